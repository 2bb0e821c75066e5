// Reference solutions of notebooks/02_linear_classifier.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 2.1: the logits are the inputs times the weights (the lecture's `tf.matmul(?, ?)`).
// Fill in the two blanks so that `y_pred(x, w)` computes x·w.
fn y_pred(x: &Tensor, w: &Tensor) -> Tensor {
    ⟦x⟧.matmul(⟦w⟧)
}

// Hint 2.1
// With x of shape [n, 3] (the bias column included) and w of shape [3, 1], which order of `matmul`
// gives one logit per row, [n, 1]? Matrix products do not commute.

// Exercise 2.2: train. The lecture feeds `feed_dict = {x: ?, y: ?}` at every step: give `y_pred`
// the training inputs and the loss the training targets.
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
let x = train_x.f_view([-1, ⟦n_input⟧])?;
let y = train_y.f_view([-1, ⟦n_output⟧])?;

// Hint 2.3
// `f_view([-1, k])` reshapes to k columns and as many rows as it takes (the lecture's `[None, k]`).
// How many columns do the inputs have, and the labels? Use the sizes defined above. The `?` after
// `f_view(…)` is Rust's error operator, not a blank.

// Exercise 2.4: compare the prediction with the answer: the lecture's
// `sigmoid_cross_entropy_with_logits(logits=?, labels=?)`, averaged over the examples.
fn loss_of(pred: &Tensor, y: &Tensor) -> Tensor {
    sigmoid_cross_entropy_with_logits(⟦pred⟧, ⟦y⟧).mean(Kind::Float)
}

// Hint 2.4
// The loss compares a prediction with the answer: the logits first, the labels second, as in
// exercise 2.2; the mean over the rows follows.

// Exercise 2.5: the number of output nodes changes: one per class (the lecture's `n_output = ?`).
let n_input: i64 = 2;
let n_output: i64 = ⟦2⟧;

// Hint 2.5
// With one-hot labels every class has an output node of its own, and a column of its own in the
// label matrix. How many classes are there?
