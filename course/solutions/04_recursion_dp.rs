// Reference solutions of notebooks/04_recursion_dp.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 4.1: naive Fibonacci, straight from the definition: fib(1) = fib(2) = 1 and
// fib(n) = fib(n - 1) + fib(n - 2).
fn fib(n: u64) -> u64 {
    if n <= 2 {
        ⟦1⟧
    } else {
        ⟦fib(n - 1) + fib(n - 2)⟧
    }
}

// Hint 4.1
// Write the definition down as code: for n = 1 and n = 2 the answer is 1; for a larger n it is the
// sum of the two numbers before it, each found by calling `fib` itself.

// Hidden check 4.1
// fib on every n from 1 to 25, not only the check's two.
let mut hidden_wrong: Vec<String> = Vec::new();
let (mut hidden_f, mut hidden_next) = (1u64, 1u64);
for k in 1..=25u64 {
    let got = fib(k);
    if got != hidden_f {
        hidden_wrong.push(format!("fib({k}) = {got}, expected {hidden_f}"));
    }
    (hidden_f, hidden_next) = (hidden_next, hidden_f + hidden_next);
}
check("Exercise 4.1", hidden_wrong.is_empty(), format!("{}: fib(n) must follow the definition for every n", hidden_wrong.join("; ")))?;

// Exercise 4.2: the memoised Fibonacci. When F(n) is not in the table yet, compute it from the
// two smaller subproblems, store it, and return it.
fn mfib(n: usize, memo: &mut [u64]) -> u64 {
    if memo[n - 1] != 0 {
        memo[n - 1]
    } else if n <= 2 {
        memo[n - 1] = 1;
        memo[n - 1]
    } else {
        memo[n - 1] = ⟦mfib(n - 1, memo) + mfib(n - 2, memo)⟧;
        memo[n - 1]
    }
}

// Hint 4.2
// Compute the missing value from the two smaller problems with the memoised function itself
// (`mfib`, passing the table on), so that each value is computed once. Calling the naive `fib` here
// would take ages.
