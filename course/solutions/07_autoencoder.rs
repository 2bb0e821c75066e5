// Reference solutions of notebooks/07_autoencoder.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 7.1: the shape of the input and the latent variable, the encoder and decoder
// structure (the lecture's `n_input = ?`, `n_encoder1 = ?`, … : 784, 500, 300, 2, 300, 500),
// and the length of each bias (the lecture's `tf.random_normal([?])`).
let n_input: i64 = ⟦784⟧;
let n_encoder1: i64 = ⟦500⟧;
let n_encoder2: i64 = ⟦300⟧;
let n_latent: i64 = ⟦2⟧;
let n_decoder2: i64 = ⟦300⟧;
let n_decoder1: i64 = ⟦500⟧;

seed_everything(0);
let device = best_device();
let vs = nn::VarStore::new(device);
let weights = Layers {
    encoder1: var(&vs, "w_encoder1", &[n_input, n_encoder1]),
    encoder2: var(&vs, "w_encoder2", &[n_encoder1, n_encoder2]),
    latent: var(&vs, "w_latent", &[n_encoder2, n_latent]),
    decoder2: var(&vs, "w_decoder2", &[n_latent, n_decoder2]),
    decoder1: var(&vs, "w_decoder1", &[n_decoder2, n_decoder1]),
    reconst: var(&vs, "w_reconst", &[n_decoder1, n_input]),
};
let biases = Layers {
    encoder1: var(&vs, "b_encoder1", &[⟦n_encoder1⟧]),
    encoder2: var(&vs, "b_encoder2", &[⟦n_encoder2⟧]),
    latent: var(&vs, "b_latent", &[⟦n_latent⟧]),
    decoder2: var(&vs, "b_decoder2", &[⟦n_decoder2⟧]),
    decoder1: var(&vs, "b_decoder1", &[⟦n_decoder1⟧]),
    reconst: var(&vs, "b_reconst", &[⟦n_input⟧]),
};

// Hint 7.1
// Read the sizes off the lecture's autoencoder: 784 → 500 → 300 → 2 → 300 → 500 → 784. Every bias
// has one value per node of its own layer.

// Hidden check 7.1
// Encoder and decoder share their sizes (500, 300): the cell again with sizes all different shows
// each bias's layer. Then the cell as it was, so that the random numbers after this check are what
// they were.
let probe = {
    // Rerun the exercise cell with let n_input: i64 = 13; let n_encoder1: i64 = 11; let n_encoder2: i64 = 7; let n_latent: i64 = 3; let n_decoder2: i64 = 5; let n_decoder1: i64 = 9;
    [&biases.encoder1, &biases.encoder2, &biases.latent, &biases.decoder2, &biases.decoder1, &biases.reconst].map(|t| t.size())
};
{
    // Rerun the exercise cell as it was
}
let [encoder1, encoder2, latent, decoder2, decoder1, reconst] = probe;
check_roles(
    "Exercise 7.1",
    &[("n_input", 13, 784), ("n_encoder1", 11, 500), ("n_encoder2", 7, 300), ("n_latent", 3, 2), ("n_decoder2", 5, 300), ("n_decoder1", 9, 500)],
    &[
        ("the bias of encoder 1", encoder1, &["n_encoder1"]),
        ("the bias of encoder 2", encoder2, &["n_encoder2"]),
        ("the latent layer's bias", latent, &["n_latent"]),
        ("the bias of decoder 2", decoder2, &["n_decoder2"]),
        ("the bias of decoder 1", decoder1, &["n_decoder1"]),
        ("the reconstruction's bias", reconst, &["n_input"]),
    ],
)?;

// Exercise 7.2: the interpolated latent code (1 − α)·f(x) + α·f(x′), from the codes `z0` of x and
// `z1` of x′ (each 1×2).
fn interpolate(z0: &Tensor, z1: &Tensor, alpha: f64) -> Tensor {
    ⟦z0 * (1.0 - alpha) + z1 * alpha⟧
}

// Hint 7.2
// Linear interpolation: α = 0 must give `z0`, α = 1 must give `z1`, and in between a mix whose two
// weights add up to 1.
