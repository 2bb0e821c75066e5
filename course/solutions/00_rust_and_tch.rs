// Reference solutions of notebooks/00_rust_and_tch.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 0.1: a tensor of zeros with 4 rows and as many columns as the text `columns` says.
// The `?` after `parse()` is Rust's error operator (keep it); the two in `[?, ?]` are blanks.
let columns = " 3\n";
let n: i64 = columns.trim().parse()?;
let zeros = Tensor::zeros([⟦4⟧, ⟦n⟧], (Kind::Float, Device::Cpu));

// Hint 0.1
// The shape is [rows, columns]: the number of rows is given, the number of columns is what the
// cell read from the text. A blank is the `?` alone; the `?` right after `parse()` stays.

// Hidden check 0.1
// The columns come from the text: run again with other text.
let hidden_shape = {
    // Rerun the exercise cell with let columns = "5";
    zeros.size()
};
check("Exercise 0.1", hidden_shape == [4, 5], format!("run again with columns = \"5\", zeros has shape {hidden_shape:?}, expected [4, 5]: the number of columns is n, read from the text"))?;

// Exercise 0.2: the elementwise sum and product of `u` and `v`, leaving both usable.
let u = Tensor::from_slice(&[1.0f32, 2.0, 3.0]);
let v = Tensor::from_slice(&[4.0f32, 5.0, 6.0]);
let sum = ⟦&u + &v⟧;
let product = ⟦&u * &v⟧;

// Hint 0.2
// `+` and `*` on two tensors work element by element. Written on the tensors themselves they move
// them away (the second line could not use them again): put `&` in front of each to borrow it.

// Hidden check 0.2
// The sum and product of u and v themselves: run again with other vectors.
let (hidden_sum, hidden_product) = {
    // Rerun the exercise cell with let u = Tensor::from_slice(&[2.0f32, -1.0, 0.5]); let v = Tensor::from_slice(&[3.0f32, 4.0, -2.0]);
    (to_vec(&sum)?, to_vec(&product)?)
};
check("Exercise 0.2", hidden_sum == [5.0, 3.0, -1.5] && hidden_product == [6.0, -4.0, -1.0], format!("run again with u = [2, -1, 0.5] and v = [3, 4, -2]: sum = {hidden_sum:?} and product = {hidden_product:?}, expected [5.0, 3.0, -1.5] and [6.0, -4.0, -1.0]: compute them from u and v"))?;

// Exercise 0.3: the column vector `v` (3×1, with `view`), the last column of `m` (2×1, with
// `narrow(dimension, start, length)`), and the matrix product of `m` and `v` (2×1).
let m = Tensor::from_slice(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).view([2, 3]);
let v = Tensor::from_slice(&[1.0f32, 0.0, -1.0]).view([⟦3⟧, ⟦1⟧]);
let last_column = m.narrow(⟦1⟧, ⟦2⟧, ⟦1⟧);
let mv = m.matmul(&⟦v⟧);

// Hint 0.3
// A view's shape is [rows, columns]. Columns run along dimension 1 and are counted from 0, so the
// last of three starts at 2; a slice one column wide has length 1. `m` is 2×3: it multiplies a
// tensor with 3 rows.

// Hidden check 0.3
// The product with v itself: run again with another v.
let hidden_mv = {
    // Rerun the exercise cell with let v = Tensor::from_slice(&[2.0f32, 1.0, 0.0]).view([3, 1]);
    to_vec(&mv)?
};
check("Exercise 0.3", hidden_mv == [4.0, 13.0], format!("run again with v = [2, 1, 0]ᵀ, m·v = {hidden_mv:?}, expected [4.0, 13.0]: multiply m by v itself"))?;

// Exercise 0.4: minimise f(w) = (w − 3)² with 30 optimizer steps; then `w` as an f64 and the final
// loss, computed under `no_grad`.
let vs = nn::VarStore::new(Device::Cpu);
let w = vs.root().var("w", &[1], nn::Init::Const(0.0));
let mut optm = nn::Sgd::default().build(&vs, 0.1)?;
for _ in 0..30 {
    let loss = (&w - ⟦3.0⟧).square().sum(Kind::Float);
    optm.backward_step(&⟦loss⟧);
}
let w_hat: f64 = ⟦w.double_value(&[0])⟧;
let final_loss = tch::no_grad(|| ⟦(&w - 3.0).square().sum(Kind::Float)⟧);

// Hint 0.4
// The loss is smallest where w equals the number subtracted from it. The optimizer steps against
// the gradient of the loss you give it. A one-element tensor becomes an f64 with `double_value`,
// and inside `no_grad` compute the same loss as in the loop, from the trained `w`.

// Hidden check 0.4
// w_hat and final_loss from the trained w: run again from another starting point.
let (hidden_w, hidden_w_hat, hidden_loss) = {
    // Rerun the exercise cell with let w = vs.root().var("w", &[1], nn::Init::Const(1.0));
    (w.double_value(&[0]), w_hat, final_loss.double_value(&[]))
};
let hidden_want = (hidden_w - 3.0).powi(2);
check("Exercise 0.4", hidden_w_hat == hidden_w && (hidden_loss - hidden_want).abs() < 1e-9, format!("run again from w = 1: w_hat = {hidden_w_hat} and final_loss = {hidden_loss:e}, expected {hidden_w} and (w − 3)² = {hidden_want:e}: read both from the trained w"))?;

// Exercise 0.5: fill in the shapes from the function's arguments, then count the weights of
// `weights` (the number of elements of its two fields).
struct Weights {
    hidden: Tensor,
    output: Tensor,
}

fn zero_weights(n_input: i64, n_hidden: i64, n_output: i64) -> Weights {
    Weights {
        hidden: Tensor::zeros([⟦n_input⟧, ⟦n_hidden⟧], (Kind::Float, Device::Cpu)),
        output: Tensor::zeros([⟦n_hidden⟧, ⟦n_output⟧], (Kind::Float, Device::Cpu)),
    }
}

let weights = zero_weights(2, 4, 3);
let n_weights = ⟦weights.hidden.numel() + weights.output.numel()⟧;

// Hint 0.5
// Inside the function, the sizes are its arguments: write their names, so that the function
// works for any network. Outside, `weights.hidden` is one field of the struct and `.numel()` its
// number of elements: add those of the two fields.

// Hidden check 0.5
// The count comes from the fields: run again with another network.
let hidden_count = {
    // Rerun the exercise cell with let weights = zero_weights(3, 2, 5);
    n_weights
};
check("Exercise 0.5", hidden_count == 16, format!("run again with weights = zero_weights(3, 2, 5), n_weights = {hidden_count}, expected 3·2 + 2·5 = 16: count the elements of weights.hidden and weights.output"))?;

// Exercise 0.6: the square of each error, through a closure in `map`, then the mean of the
// squares.
let errors: Vec<f64> = vec![0.1, -0.2, 0.4, -0.1];
let squares: Vec<f64> = errors.iter().map(|e| ⟦e * e⟧).collect();
let mse: f64 = ⟦squares.iter().sum::<f64>() / squares.len() as f64⟧;

// Hint 0.6
// The closure's argument `e` is one error (a `&f64`, and arithmetic works on it as on a number);
// what the closure returns goes into the new list in its place: here, that error squared. The
// mean is the sum of `squares` over how many items it has: count them with `len()` rather than
// writing the 4, so that it holds for any list.

// Hidden check 0.6
// The squares and the mean of the errors themselves: run again with other errors.
let (hidden_squared, hidden_mse) = {
    // Rerun the exercise cell with let errors: Vec<f64> = vec![1.0, -3.0];
    (squares.clone(), mse)
};
check("Exercise 0.6", hidden_squared == [1.0, 9.0] && hidden_mse == 5.0, format!("run again with errors = [1, -3]: squares = {hidden_squared:?} and mse = {hidden_mse}, expected [1.0, 9.0] and 5: square each error and divide by the number of errors"))?;
