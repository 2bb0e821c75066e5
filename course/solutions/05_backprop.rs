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
