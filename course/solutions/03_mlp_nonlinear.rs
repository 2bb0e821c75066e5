// Reference solutions of notebooks/03_mlp_nonlinear.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 3.1: the number of nodes (the lecture's `n_input = ?`, `n_hidden = ?`, `n_output = ?`)
// and the weight shapes `[n_input, ?]` and `[?, n_output]`.
// In a shape, write the size it stands for, by its name or its number, not another size that
// happens to be equal: the grader reruns this cell with other sizes.
// The lecture's TensorFlow, blanks and all:
//     n_input = ?
//     n_hidden = ?
//     n_output = ?
//     weights = {
//         'hidden' : tf.Variable(tf.random_normal([n_input, ?], stddev = 0.1)),
//         'output' : tf.Variable(tf.random_normal([?, n_output], stddev = 0.1))
//     }
let n_input = ⟦2⟧;
let n_hidden = ⟦2⟧;
let n_output = ⟦2⟧;

seed_everything(0);
let vs = nn::VarStore::new(Device::Cpu);
let init = nn::Init::Randn { mean: 0.0, stdev: 0.1 };
let weights = Weights {
    hidden: vs.root().var("w_hidden", &[n_input, ⟦n_hidden⟧], init),
    output: vs.root().var("w_output", &[⟦n_hidden⟧, n_output], init),
};
let biases = Biases {
    hidden: vs.root().var("b_hidden", &[n_hidden], init),
    output: vs.root().var("b_output", &[n_output], init),
};

// Hint 3.1
// Count the nodes in the lecture's 2-2-2 network: the inputs, the hidden units, the outputs (one
// per class, one-hot). A weight matrix goes from the layer it reads to the layer it feeds: [nodes
// in, nodes out].

// Hidden check 3.1
// The lecture's sizes are all 2, so a size in another's place passes the check above: the cell
// again with other sizes shows each one's role. Then the cell as it was, so that the random
// numbers after this check are what they were.
let probe = {
    // Rerun the exercise cell with let n_input = 3; let n_hidden = 5; let n_output = 6;
    (weights.hidden.size(), weights.output.size())
};
// One size changed alone leaves the others as the cell sets them: `n_output = n_hidden` (2 in the
// lecture, so the same shapes) follows n_hidden instead of counting the classes.
let alone_hidden = {
    // Rerun the exercise cell with let n_hidden = 5;
    (weights.hidden.size(), weights.output.size())
};
let alone_input = {
    // Rerun the exercise cell with let n_input = 3;
    (weights.hidden.size(), weights.output.size())
};
{
    // Rerun the exercise cell as it was
}
check_roles(
    "Exercise 3.1",
    &[("n_input", 3, 2), ("n_hidden", 5, 2), ("n_output", 6, 2)],
    &[
        ("the hidden layer's weight", probe.0, &["n_input", "n_hidden"]),
        ("the output layer's weight", probe.1, &["n_hidden", "n_output"]),
    ],
)?;
check_each_alone(
    "Exercise 3.1",
    &["the hidden layer's weight", "the output layer's weight"],
    &[vec![2, 2], vec![2, 2]],
    &[
        ("only n_hidden = 5", vec![alone_hidden.0, alone_hidden.1], vec![vec![2, 5], vec![5, 2]]),
        ("only n_input = 3", vec![alone_input.0, alone_input.1], vec![vec![3, 2], vec![2, 2]]),
    ],
)?;

// Exercise 3.2: compare the prediction with the answer (the lecture's
// `softmax_cross_entropy_with_logits(logits = ?, labels = ?)`), averaged over the examples: the
// prediction first, the labels second.
// The lecture's TensorFlow, blanks and all:
//     loss = tf.nn.softmax_cross_entropy_with_logits(logits = ?, labels = ?)
fn loss_of(pred: &Tensor, y: &Tensor) -> Tensor {
    softmax_cross_entropy_with_logits(⟦pred⟧, ⟦y⟧).mean(Kind::Float)
}

// Hint 3.2
// As in notebook 2, but with the softmax: the prediction (logits) first, the one-hot labels second,
// then the mean.

// Hidden check 3.2
// The loss of predictions and labels other than the check's.
let hidden_logits = Tensor::from_slice(&[1.0f32, -1.0, 0.0, 0.0, 0.0, 3.0]).view([3, 2]);
let hidden_labels = Tensor::from_slice(&[0.0f32, 1.0, 1.0, 0.0, 0.0, 1.0]).view([3, 2]);
let hidden_expected = (2f64.exp().ln_1p() + 2f64.ln() + (-3f64).exp().ln_1p()) / 3.0;
check_close("Exercise 3.2", "loss_of([[1, -1], [0, 0], [0, 3]], [[0, 1], [1, 0], [0, 1]]), computed from its arguments", loss_of(&hidden_logits, &hidden_labels).double_value(&[]), hidden_expected, 1e-5)?;

// Exercise 3.3: feed the training data (the lecture's `feed_dict = {x: ?, y: ?}`), both in the
// training step and in the loss record.
// The lecture's TensorFlow, blanks and all:
//     sess.run(optm, feed_dict = {x: ?, y: ?})
//     loss_record.append(sess.run(loss, feed_dict = {x: ?, y: ?}))
let lr = 0.01;
let mut optm = nn::Sgd::default().build(&vs, lr)?;
let n_batch: usize = 50;
let n_iter: usize = 30000;
let n_prt: usize = 250;

let mut loss_record: Vec<f64> = Vec::new();
for epoch in 0..n_iter {
    let loss = loss_of(&build_model(&⟦train_x⟧, &weights, &biases), &⟦train_y⟧);
    optm.backward_step(&loss);
    if epoch % n_prt == 0 {
        let c = tch::no_grad(|| loss_of(&build_model(&⟦train_x⟧, &weights, &biases), &⟦train_y⟧));
        loss_record.push(c.double_value(&[]));
    }
}
let w_hat_hidden = to_rows(&weights.hidden)?;
let w_hat_output = to_rows(&weights.output)?;
let b_hat_hidden = to_vec(&biases.hidden)?;
let b_hat_output = to_vec(&biases.output)?;

// Hint 3.3
// Training and the printed cost both use the training data: the inputs go into `build_model`, the
// labels into `loss_of`.

// Hidden check 3.3
// The loss record is the training loss: its last entry, 250 steps before the end of training,
// is close to the loss of the trained model on the training data.
let trained_loss = loss_of(&build_model(&train_x, &weights, &biases), &train_y).double_value(&[]);
let recorded_last = loss_record.last().copied().unwrap_or(f64::NAN);
check(
    "Exercise 3.3",
    (recorded_last - trained_loss).abs() < 0.01,
    format!("the last loss recorded is {recorded_last:.4}, but the trained model's loss on the training data is {trained_loss:.4}: record the loss of the training inputs against the training labels"),
)?;

// Exercise 3.4: a 2-4-2 network: the number of nodes, the weight and bias shapes (the lecture's
// `[?, ?]` and `[?]`), and the input widths of the placeholders `[None, ?]`.
// In a shape, write the size it stands for, by its name or its number, not another size that
// happens to be equal: the grader reruns this cell with other sizes.
// The lecture's TensorFlow, blanks and all:
//     n_input = ?
//     n_hidden = ?
//     n_output = ?
//     weights = {
//         'hidden' : tf.Variable(tf.random_normal([?, ?], stddev = 0.1)),
//         'output' : tf.Variable(tf.random_normal([?, ?], stddev = 0.1))
//     }
//     biases = {
//         'hidden' : tf.Variable(tf.random_normal([?], stddev = 0.1)),
//         'output' : tf.Variable(tf.random_normal([?], stddev = 0.1))
//     }
//     x = tf.placeholder(tf.float32, [None, ?])
//     y = tf.placeholder(tf.float32, [None, ?])
let n_input = ⟦2⟧;
let n_hidden = ⟦4⟧;
let n_output = ⟦2⟧;

seed_everything(0);
let vs = nn::VarStore::new(Device::Cpu);
let init = nn::Init::Randn { mean: 0.0, stdev: 0.1 };
let weights = Weights {
    hidden: vs.root().var("w_hidden", &[⟦n_input⟧, ⟦n_hidden⟧], init),
    output: vs.root().var("w_output", &[⟦n_hidden⟧, ⟦n_output⟧], init),
};
let biases = Biases {
    hidden: vs.root().var("b_hidden", &[⟦n_hidden⟧], init),
    output: vs.root().var("b_output", &[⟦n_output⟧], init),
};
let x = train_x.f_view([-1, ⟦n_input⟧])?;
let y = train_y.f_view([-1, ⟦n_output⟧])?;

// Hint 3.4
// A 2-4-2 network: the hidden layer now has four units. Each weight matrix is [nodes in, nodes out]
// of its layer, each bias has one value per node of its layer, and the data is reshaped to the
// number of inputs and outputs.

// Hidden check 3.4
// n_input and n_output are both 2: the cell again with other sizes (and data of other widths)
// shows each one's role. Then the cell as it was, so that the random numbers after this check are
// what they were.
let probe = {
    let train_x = Tensor::zeros([60, 3], (Kind::Float, Device::Cpu));
    let train_y = Tensor::zeros([60, 6], (Kind::Float, Device::Cpu));
    // Rerun the exercise cell with let n_input = 3; let n_hidden = 5; let n_output = 6;
    let sizes = [&weights.hidden, &weights.output, &biases.hidden, &biases.output, &x, &y].map(|t| t.size());
    sizes
};
// Each number of nodes set by itself: one changed alone (or the sizes of the cells before
// changed) leaves the others as the cell sets them. `n_output = n_input` gives the lecture's
// shapes, as both are 2.
let zeros = |columns: i64| Tensor::zeros([60, columns], (Kind::Float, Device::Cpu));
// The shapes of the weights and biases, and the widths of x and y (their rows follow the data).
let sizes_and_widths = |shapes: &[&Tensor], x: &Tensor, y: &Tensor| {
    let mut sizes: Vec<Vec<i64>> = shapes.iter().map(|t| t.size()).collect();
    sizes.extend([x, y].map(|t| t.size()[1..].to_vec()));
    sizes
};
let alone_input = {
    let (train_x, train_y) = (zeros(3), zeros(2));
    // Rerun the exercise cell with let n_input = 3;
    sizes_and_widths(&[&weights.hidden, &weights.output, &biases.hidden, &biases.output], &x, &y)
};
let alone_output = {
    let (train_x, train_y) = (zeros(2), zeros(6));
    // Rerun the exercise cell with let n_output = 6;
    sizes_and_widths(&[&weights.hidden, &weights.output, &biases.hidden, &biases.output], &x, &y)
};
let earlier_changed = {
    let (n_input, n_hidden, n_output) = (3i64, 5i64, 6i64);
    let (train_x, train_y) = (zeros(2), zeros(2));
    // Rerun the exercise cell as it was
    sizes_and_widths(&[&weights.hidden, &weights.output, &biases.hidden, &biases.output], &x, &y)
};
{
    // Rerun the exercise cell as it was
}
let [w_hidden, w_output, b_hidden, b_output, probe_x, probe_y] = probe;
check_roles(
    "Exercise 3.4",
    &[("n_input", 3, 2), ("n_hidden", 5, 4), ("n_output", 6, 2)],
    &[
        ("the hidden layer's weight", w_hidden, &["n_input", "n_hidden"]),
        ("the output layer's weight", w_output, &["n_hidden", "n_output"]),
        ("the hidden layer's bias", b_hidden, &["n_hidden"]),
        ("the output layer's bias", b_output, &["n_output"]),
        ("x (from 60 rows of 3 inputs)", vec![probe_x[1]], &["n_input"]),
        ("y (from 60 rows of 6 outputs)", vec![probe_y[1]], &["n_output"]),
    ],
)?;
let lecture_shapes = |i: i64, o: i64| vec![vec![i, 4], vec![4, o], vec![4], vec![o], vec![i], vec![o]];
check_each_alone(
    "Exercise 3.4",
    &["the hidden layer's weight", "the output layer's weight", "the hidden layer's bias", "the output layer's bias", "x's width", "y's width"],
    &lecture_shapes(2, 2),
    &[
        ("only n_input = 3 (and 3 input columns)", alone_input, lecture_shapes(3, 2)),
        ("only n_output = 6 (and 6 label columns)", alone_output, lecture_shapes(2, 6)),
        ("n_input = 3, n_hidden = 5, n_output = 6 from the cells before", earlier_changed, lecture_shapes(2, 2)),
    ],
)?;

// Exercise 3.5: the loss of the whole model: the prediction `build_model(?, ?, ?)`, its softmax
// cross-entropy against the labels (`logits = ?, labels = ?`) and the mean (`reduce_mean(?)`).
// The lecture's TensorFlow, blanks and all:
//     pred = build_model(?, ?, ?)
//     loss = tf.nn.softmax_cross_entropy_with_logits(logits = ?, labels = ?)
//     loss = tf.reduce_mean(?)
fn model_loss(x: &Tensor, y: &Tensor, weights: &Weights, biases: &Biases) -> Tensor {
    let pred = build_model(⟦x⟧, ⟦weights⟧, ⟦biases⟧);
    let loss = softmax_cross_entropy_with_logits(&⟦pred⟧, ⟦y⟧);
    ⟦loss⟧.mean(Kind::Float)
}

// Hint 3.5
// Chain the three steps of the lecture: predict with `build_model` from the inputs and the
// parameters, compare the prediction with the labels with the softmax cross-entropy, then average
// the loss over the rows.

// Hidden check 3.5
// The loss of the model on other rows, with other weights.
let hidden_x = Tensor::from_slice(&[1.0f32, -2.0, 0.5, 3.0, -1.5, 0.0]).view([3, 2]);
let hidden_y = Tensor::from_slice(&[1.0f32, 0.0, 0.0, 1.0, 0.0, 1.0]).view([3, 2]);
let hidden_weights = Weights {
    hidden: Tensor::from_slice(&[1.0f32, -2.0, 0.5, 1.5, 0.0, 1.0, -1.0, 2.0]).view([2, 4]),
    output: Tensor::from_slice(&[2.0f32, -1.0, -1.5, 1.0, 0.5, 0.5, 1.0, -2.0]).view([4, 2]),
};
let hidden_biases = Biases {
    hidden: Tensor::from_slice(&[0.5f32, -0.5, 0.0, 1.0]),
    output: Tensor::from_slice(&[1.0f32, -1.0]),
};
let hidden_expected = tch::no_grad(|| {
    let logits = build_model(&hidden_x, &hidden_weights, &hidden_biases);
    -(&hidden_y * logits.log_softmax(-1, Kind::Float)).sum(Kind::Float).double_value(&[]) / 3.0
});
let hidden_got = tch::no_grad(|| model_loss(&hidden_x, &hidden_y, &hidden_weights, &hidden_biases)).double_value(&[]);
check_close("Exercise 3.5", "model_loss on 3 other rows with other weights, computed from its arguments", hidden_got, hidden_expected, 1e-5)?;

// Exercise 3.6: the training cycle: feed the data (`feed_dict = {x: ?, y: ?}`) in the step and in
// the loss record.
// The lecture's TensorFlow, blanks and all:
//     sess.run(optm, feed_dict = {x: ?, y: ?})
//     loss_record.append(sess.run(loss, feed_dict = {x: ?, y: ?}))
let lr = 0.01;
let mut optm = nn::Sgd::default().build(&vs, lr)?;
let n_batch: usize = 50;
let n_iter: usize = 40000;
let n_prt: usize = 250;

let mut loss_record: Vec<f64> = Vec::new();
for epoch in 0..n_iter {
    optm.backward_step(&model_loss(&⟦x⟧, &⟦y⟧, &weights, &biases));
    if epoch % n_prt == 0 {
        let c = tch::no_grad(|| model_loss(&⟦x⟧, &⟦y⟧, &weights, &biases));
        loss_record.push(c.double_value(&[]));
    }
}
let w_hat = to_rows(&weights.hidden)?;
let b_hat = to_vec(&biases.hidden)?;

// Hint 3.6
// Feed the inputs and labels reshaped in exercise 3.4, both in the training step and in the printed
// cost.

// Hidden check 3.6
// The loss record is the training loss: its last entry, 250 steps before the end of training,
// is close to the loss of the trained model on the training data.
let trained_loss = model_loss(&x, &y, &weights, &biases).double_value(&[]);
let recorded_last = loss_record.last().copied().unwrap_or(f64::NAN);
check(
    "Exercise 3.6",
    (recorded_last - trained_loss).abs() < 0.01,
    format!("the last loss recorded is {recorded_last:.4}, but the trained model's loss on the training data is {trained_loss:.4}: record the loss of the inputs x against the labels y"),
)?;
