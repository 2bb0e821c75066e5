// Reference solutions of notebooks/05_backprop.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 5.1: the two deltas of the backward pass. δ2 multiplies ∂L/∂Ŷ by the sigmoid's
// derivative at the output, Ŷ ⊙ (1 − Ŷ); δ1 sends δ2 back through W2 (δ2 · W2ᵀ) and multiplies
// by the hidden sigmoid's derivative H ⊙ (1 − H). `-&t + 1.0` computes 1 − t.
let dl_dyhat = (&y_hat - &y) * (2.0 / m);
let delta2 = &dl_dyhat * ⟦(&y_hat * (-&y_hat + 1.0))⟧;
let grad_w2 = h.tr().matmul(&delta2);
let grad_b2 = delta2.sum_dim_intlist(0, false, Kind::Double);
let delta1 = delta2.matmul(&⟦w2.tr()⟧) * ⟦(&h * (-&h + 1.0))⟧;
let grad_w1 = x.tr().matmul(&delta1);
let grad_b1 = delta1.sum_dim_intlist(0, false, Kind::Double);

// Hint 5.1
// The sigmoid's derivative is σ(a)·(1 − σ(a)), and σ(a) is already at hand: `y_hat` at the output,
// `h` in the hidden layer. Going back through a layer multiplies by its weight matrix transposed
// (`tr()`). On tensors, `-&t + 1.0` is 1 − t.

// Hidden check 5.1
// The same cell on another draw of the parameters, against autograd: the deltas come from the
// forward pass's values, not from numbers of the seeded draw.
fn hidden_backward(x: Tensor, y: Tensor, m: f64, opts: (Kind, Device), w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, z1: Tensor, h: Tensor, z2: Tensor, y_hat: Tensor, loss: Tensor) -> Result<[Tensor; 4]> {
    // Rerun the exercise cell as it was
    Ok([grad_w1, grad_b1, grad_w2, grad_b2])
}
let hidden_params: Vec<Tensor> = [
    Tensor::from_slice(&[0.5f64, -1.0, 1.5, 2.0, 0.3, -0.7]).view([2, 3]),
    Tensor::from_slice(&[0.1f64, -0.2, 0.3]),
    Tensor::from_slice(&[1.0f64, -2.0, 0.5]).view([3, 1]),
    Tensor::from_slice(&[-0.3f64]),
]
.iter()
.map(|t| t.detach().set_requires_grad(true))
.collect();
let hidden_z1 = x.matmul(&hidden_params[0]) + &hidden_params[1];
let hidden_h = hidden_z1.sigmoid();
let hidden_z2 = hidden_h.matmul(&hidden_params[2]) + &hidden_params[3];
let hidden_y_hat = hidden_z2.sigmoid();
let hidden_loss = (&hidden_y_hat - &y).square().sum(Kind::Double) / m;
hidden_loss.backward();
let hidden_grads = hidden_backward(x.shallow_clone(), y.shallow_clone(), m, opts, hidden_params[0].detach(), hidden_params[1].detach(), hidden_params[2].detach(), hidden_params[3].detach(), hidden_z1.detach(), hidden_h.detach(), hidden_z2.detach(), hidden_y_hat.detach(), hidden_loss.detach())?;
let hidden_worst = hidden_grads
    .iter()
    .zip(&hidden_params)
    .map(|(mine, p)| (mine - p.grad()).norm().double_value(&[]) / p.grad().norm().double_value(&[]).max(1e-300))
    .fold(0.0, f64::max);
check_at_most("Exercise 5.1", "on another draw of W1, b1, W2, b2, the largest relative difference between the hand-derived and autograd gradients", hidden_worst, 1e-5)?;

// Exercise 5.2: one gradient-descent step: move each parameter against its gradient,
// new = old − lr · gradient.
let lr = 0.5;
let w1_new = &w1 - ⟦&grad_w1 * lr⟧;
let b1_new = &b1 - ⟦&grad_b1 * lr⟧;
let w2_new = &w2 - ⟦&grad_w2 * lr⟧;
let b2_new = &b2 - ⟦&grad_b2 * lr⟧;

// Hint 5.2
// Gradient descent moves every parameter against its own gradient, scaled by the learning rate: new
// = old − lr · gradient, for all four parameters. `&g * lr` scales a tensor without moving it.

// Hidden check 5.2
for (name, new, old, grad) in [("W1", &w1_new, &w1, &grad_w1), ("b1", &b1_new, &b1, &grad_b1), ("W2", &w2_new, &w2, &grad_w2), ("b2", &b2_new, &b2, &grad_b2)] {
    let error = (new - (old - grad * lr)).abs().max().double_value(&[]);
    check_at_most("Exercise 5.2", &format!("difference of the new {name} from {name} − lr·∂L/∂{name}"), error, 1e-12)?;
}
// The same cell with other gradients: each new parameter from its own gradient.
fn hidden_step(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, grad_w1: Tensor, grad_b1: Tensor, grad_w2: Tensor, grad_b2: Tensor) -> Result<[Tensor; 4]> {
    // Rerun the exercise cell as it was
    Ok([w1_new, b1_new, w2_new, b2_new])
}
let hidden_grads = [&grad_w1, &grad_b1, &grad_w2, &grad_b2].map(|g| g * -3.0 + 0.25);
let hidden_stepped = hidden_step(w1.shallow_clone(), b1.shallow_clone(), w2.shallow_clone(), b2.shallow_clone(), hidden_grads[0].shallow_clone(), hidden_grads[1].shallow_clone(), hidden_grads[2].shallow_clone(), hidden_grads[3].shallow_clone())?;
for (name, old, new, grad) in [("W1", &w1, &hidden_stepped[0], &hidden_grads[0]), ("b1", &b1, &hidden_stepped[1], &hidden_grads[1]), ("W2", &w2, &hidden_stepped[2], &hidden_grads[2]), ("b2", &b2, &hidden_stepped[3], &hidden_grads[3])] {
    let error = (new - (old - grad * lr)).abs().max().double_value(&[]);
    check_at_most("Exercise 5.2", &format!("with other gradients, difference of the new {name} from {name} − lr·its gradient"), error, 1e-12)?;
}
