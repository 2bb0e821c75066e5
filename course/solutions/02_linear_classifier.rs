// Reference solutions of notebooks/02_linear_classifier.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 2.1: the logits are the inputs times the weights (the lecture's `tf.matmul(?, ?)`).
// Fill in the two blanks so that `y_pred(x, w)` computes x·w.
// The lecture's TensorFlow, blanks and all:
//     y_pred = tf.matmul(?,?)
fn y_pred(x: &Tensor, w: &Tensor) -> Tensor {
    ⟦x⟧.matmul(⟦w⟧)
}

// Hint 2.1
// With x of shape [n, 3] (the bias column included) and w of shape [3, 1], which order of `matmul`
// gives one logit per row, [n, 1]? Matrix products do not commute.

// Hidden check 2.1
// x·w for inputs and weights other than the check's.
let hidden_x = Tensor::from_slice(&[2.0f32, 0.0, -1.0, 1.0, 3.0, 1.0, 0.5, 1.0, 1.0]).view([3, 3]);
let hidden_w = Tensor::from_slice(&[1.0f32, 2.0, -0.5]).view([3, 1]);
let hidden_logits = to_vec(&y_pred(&hidden_x, &hidden_w))?;
check("Exercise 2.1", hidden_logits == [2.5, 6.5, 2.0], format!("y_pred([[2, 0, -1], [1, 3, 1], [0.5, 1, 1]], [1, 2, -0.5]ᵀ) = {hidden_logits:?}, expected [2.5, 6.5, 2.0]: compute x·w from the arguments"))?;

// Exercise 2.2: train. The lecture feeds `feed_dict = {x: ?, y: ?}` at every step: give `y_pred`
// the training inputs and the loss the training targets.
// The lecture's TensorFlow, blanks and all:
//     sess.run(optm, feed_dict = {x: ?, y: ?})
let mut optm = nn::Sgd::default().build(&vs, lr)?;
for epoch in 0..n_iter {
    let logits = y_pred(&⟦train_x⟧, &w);
    let loss = sigmoid_cross_entropy_with_logits(&logits, &⟦train_y⟧).mean(Kind::Float);
    optm.backward_step(&loss);
}
println!("trained for {n_iter} iterations");

// Hint 2.2
// The lecture's `feed_dict` gives the model the training data at every step: the inputs go into
// `y_pred`, the labels into the loss. The names are defined in the data cells above.

// Exercise 2.3: the lecture's placeholders `[None, ?]` fix how many columns are fed in. Here
// the data is viewed as [any number of rows, columns]: fill in the widths of x and y.
// The lecture's TensorFlow, blanks and all:
//     x = tf.placeholder(tf.float32, [None, ?])
//     y = tf.placeholder(tf.float32, [None, ?])
let x = train_x.f_view([-1, ⟦n_input⟧])?;
let y = train_y.f_view([-1, ⟦n_output⟧])?;

// Hint 2.3
// `f_view([-1, k])` reshapes to k columns and as many rows as it takes (the lecture's `[None, k]`).
// How many columns do the inputs have, and the labels? Use the sizes defined above. The `?` after
// `f_view(…)` is Rust's error operator, not a blank.

// Exercise 2.4: compare the prediction with the answer: the lecture's
// `sigmoid_cross_entropy_with_logits(logits=?, labels=?)`, averaged over the examples: the
// prediction first, the labels second.
// The lecture's TensorFlow, blanks and all:
//     loss = tf.nn.sigmoid_cross_entropy_with_logits(logits=?, labels=?)
fn loss_of(pred: &Tensor, y: &Tensor) -> Tensor {
    sigmoid_cross_entropy_with_logits(⟦pred⟧, ⟦y⟧).mean(Kind::Float)
}

// Hint 2.4
// The loss compares a prediction with the answer: the logits first, the labels second, as in
// exercise 2.2; the mean over the rows follows.

// Hidden check 2.4
// The loss of predictions and labels other than the check's.
let hidden_logits = Tensor::from_slice(&[1.0f32, -1.0, 0.0]).view([3, 1]);
let hidden_labels = Tensor::from_slice(&[0.0f32, 0.0, 1.0]).view([3, 1]);
let hidden_expected = (1f64.exp().ln_1p() + (-1f64).exp().ln_1p() + 2f64.ln()) / 3.0;
check_close("Exercise 2.4", "loss_of([1, -1, 0], [0, 0, 1]), computed from its arguments", loss_of(&hidden_logits, &hidden_labels).double_value(&[]), hidden_expected, 1e-5)?;

// Exercise 2.5: the number of output nodes changes: one per class (the lecture's `n_output = ?`).
// The lecture's TensorFlow, blanks and all:
//     n_output = ?
let n_input: i64 = 2;
let n_output: i64 = ⟦2⟧;

// Hint 2.5
// With one-hot labels every class has an output node of its own, and a column of its own in the
// label matrix. How many classes are there?
