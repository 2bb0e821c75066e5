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

// Exercise 7.2: the interpolated latent code (1 − α)·f(x) + α·f(x′), from the codes `z0` of x and
// `z1` of x′ (each 1×2).
fn interpolate(z0: &Tensor, z1: &Tensor, alpha: f64) -> Tensor {
    ⟦z0 * (1.0 - alpha) + z1 * alpha⟧
}

// Hint 7.2
// Linear interpolation: α = 0 must give `z0`, α = 1 must give `z1`, and in between a mix whose two
// weights add up to 1.
