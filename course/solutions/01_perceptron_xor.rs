// Reference solutions of notebooks/01_perceptron_xor.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this). A `// Hidden check <id>` section runs
// after that exercise's check cell when it is graded; the notebook does not show it.

// Exercise 1.1: choose the weights [ω0, ω1, ω2] so that the neuron computes x1 OR x2.
let w_or = [⟦-0.5⟧, ⟦1.0⟧, ⟦1.0⟧];

// Hint 1.1
// The neuron fires when ω0 + ω1·x1 + ω2·x2 > 0. OR must stay silent only for (0, 0), where the sum
// is ω0 alone, and one input of 1 must be enough to fire it. Compare with `w_and` above, which
// needs both inputs.

// Exercise 1.2: build φ(x) = [x1, x2, x1·x2] as a 4×3 tensor. The first two columns are given;
// the third column is the product of `x1` and `x2`, one value per row.
let x1 = xor_x.narrow(1, 0, 1);
let x2 = xor_x.narrow(1, 1, 1);
let phi = Tensor::cat(&[&x1, &x2, &⟦(&x1 * &x2)⟧], 1);

// Hint 1.2
// The third column is x1 times x2, element by element, one value per row. In Rust `a * b` on
// tensors moves both out of their variables, and `x1`, `x2` are used again: multiply references
// (`&a * &b`), and put the product in parentheses so that the `&` in front applies to all of it.

// Hidden check 1.2
let (hx1, hx2) = (xor_x.narrow(1, 0, 1), xor_x.narrow(1, 1, 1));
let lecture_phi = Tensor::cat(&[&hx1, &hx2, &(&hx1 * &hx2)], 1);
check(
    "Exercise 1.2",
    phi.size() == [4, 3] && phi.to_kind(Kind::Float).equal(&lecture_phi.to_kind(Kind::Float)),
    "φ(x) is [x1, x2, x1·x2] row by row (another column can make XOR separable, but it is not the lecture's φ)",
)?;
// The third column from x1 and x2 themselves: the cell run again with other inputs.
let hidden_product = {
    // Rerun the exercise cell with let x1 = Tensor::from_slice(&[2.0f32, 0.5, -2.0, 1.5]).view([4, 1]); let x2 = Tensor::from_slice(&[-1.0f32, 3.0, 4.0, -0.5]).view([4, 1]);
    to_vec(&phi.narrow(1, 2, 1))?
};
check("Exercise 1.2", hidden_product == [-2.0, 1.5, -8.0, -0.75], format!("run again with x1 = [2, 0.5, -2, 1.5] and x2 = [-1, 3, 4, -0.5], the third column of φ is {hidden_product:?}, expected x1·x2 = [-2.0, 1.5, -8.0, -0.75]: compute it from x1 and x2"))?;
