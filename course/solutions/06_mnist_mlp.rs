// Reference solutions of notebooks/06_mnist_mlp.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 6.1: the sizes (the lecture's `n_input = ?`, `n_hidden = ?`, `n_output = ?`: 784
// pixels, 100 hidden units, 10 classes) and the four variables (the lecture's `weights = {…: ?}`
// and `biases = {…: ?}`): normal with standard deviation 0.1, named in the VarStore `w_hidden`,
// `w_output`, `b_hidden` and `b_output` (the grader looks them up by these names).
// The lecture's TensorFlow, blanks and all:
//     n_input = ?
//     n_hidden = ?
//     n_output = ?
//     weights = {'hidden' : ?, 'output' : ?}
//     biases = {'hidden' : ?, 'output' : ?}
let n_input: i64 = ⟦784⟧;
let n_hidden: i64 = ⟦100⟧;
let n_output: i64 = ⟦10⟧;

seed_everything(0);
let vs = nn::VarStore::new(device);
let init = nn::Init::Randn { mean: 0.0, stdev: 0.1 };
let weights = Weights {
    hidden: ⟦vs.root().var("w_hidden", &[n_input, n_hidden], init)⟧,
    output: ⟦vs.root().var("w_output", &[n_hidden, n_output], init)⟧,
};
let biases = Biases {
    hidden: ⟦vs.root().var("b_hidden", &[n_hidden], init)⟧,
    output: ⟦vs.root().var("b_output", &[n_output], init)⟧,
};

// Hint 6.1
// An MNIST image is 28×28 pixels, fed as one row; the lecture's hidden layer has 100 units; there
// is one output per digit. Every weight and bias is a variable of the VarStore
// (`vs.root().var(name, &[shape], init)`, as in notebook 3): a weight is [nodes in, nodes out], a
// bias has one value per node.

// Hidden check 6.1
// The lecture's initialisation, N(0, 0.1²), under the lecture's names (a constant or another
// spread trains differently).
let named = vs.variables();
for name in ["w_hidden", "w_output", "b_hidden", "b_output"] {
    let Some(t) = named.get(name) else {
        check("Exercise 6.1", false, format!("no variable named {name:?} in the VarStore (it has {:?})", named.keys().collect::<Vec<_>>()))?;
        continue;
    };
    let (mean, std) = (t.mean(Kind::Double).double_value(&[]), t.std(true).double_value(&[]));
    let (low, high) = if t.numel() >= 1000 { (0.09, 0.11) } else { (0.03, 0.2) };
    check(
        "Exercise 6.1",
        mean.abs() < 0.1 && (low..=high).contains(&std),
        format!("{name} has mean {mean:.3} and standard deviation {std:.3}; the lecture draws it from a normal with mean 0 and standard deviation 0.1 (`init`)"),
    )?;
}

// Exercise 6.2: the lecture opens a session and runs the initializer (`? ? ?`). In tch the
// variables are initialised when created; what is left is the optimizer: Adam over the
// variables of `vs`, with learning rate `lr`.
// The lecture's TensorFlow, blanks and all:
//     # open session
//     ?
//     # define init
//     ?
//     # run init
//     ?
//     optm = tf.train.AdamOptimizer(LR).minimize(loss)  (no blank there; here it has two)
let mut optm = nn::Adam::default().build(&⟦vs⟧, ⟦lr⟧)?;

// Hint 6.2
// An optimizer in tch is built from the VarStore that holds the trainable variables, and the
// learning rate: `build(&store, rate)`.

// Exercise 6.3: c1 is the loss on the training batch, c2 on a test batch: feed the test batch
// (the lecture's `feed_dict = {x: ?, y: ?}`).
// The test loss must differ from the training loss and end at most 1.0: the test batch's inputs
// with its own labels.
// The lecture's TensorFlow, blanks and all:
//     c1 = sess.run(loss, feed_dict = {x: train_x, y: train_y})
//     c2 = sess.run(loss, feed_dict = {x: ?, y: ?})
let timer = Timer::start();
let mut loss_record_train: Vec<f64> = Vec::new();
let mut loss_record_test: Vec<f64> = Vec::new();
for epoch in 0..n_iter {
    let (train_x, train_y) = mnist.train.next_batch(n_batch)?;
    let (train_x, train_y) = (train_x.to_device(device), train_y.to_device(device));
    optm.backward_step(&loss_of(&build_model(&train_x, &weights, &biases), &train_y));
    if epoch % n_prt == 0 {
        let (test_x, test_y) = mnist.test.next_batch(n_batch)?;
        let (test_x, test_y) = (test_x.to_device(device), test_y.to_device(device));
        let c1 = tch::no_grad(|| loss_of(&build_model(&train_x, &weights, &biases), &train_y)).double_value(&[]);
        let c2 = tch::no_grad(|| loss_of(&build_model(&⟦test_x⟧, &weights, &biases), &⟦test_y⟧)).double_value(&[]);
        loss_record_train.push(c1);
        loss_record_test.push(c2);
        println!("Iter : {epoch}");
        println!("Cost : {c1}");
    }
}
let train_seconds = timer.seconds();
println!("{n_iter} iterations in {train_seconds:.1} s");

// Hint 6.3
// c2 shows how the model does on data it was never trained on: feed the test batch, its inputs and
// its labels.

// Hidden check 6.3
check(
    "Exercise 6.3",
    loss_record_test.iter().zip(&loss_record_train).any(|(test, train)| test != train),
    "the test losses equal the training losses: c2 must be computed on the test batch",
)?;
let last_test_loss = loss_record_test[loss_record_test.len() - 1];
check_at_most("Exercise 6.3", "the last test loss (the test batch's inputs with its own labels)", last_test_loss, 1.0)?;
