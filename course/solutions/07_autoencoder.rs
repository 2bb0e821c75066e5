// Reference solutions of notebooks/07_autoencoder.ipynb, one section per exercise cell.
// Each ⟦answer⟧ is what a student fills in: with every ⟦…⟧ replaced by `?`, a section must equal
// the notebook's exercise cell (`cargo test` checks this).

// Exercise 7.1: the shape of the input and the latent variable, the encoder and decoder
// structure (the lecture's `n_input = ?`, `n_encoder1 = ?`, … : 784, 500, 300, 2, 300, 500),
// and the length of each bias (the lecture's `tf.random_normal([?])`).
// A bias is as long as its own layer: write that size by its name or its number, not another
// size that happens to be equal (the grader reruns this cell with other sizes).
// The lecture's TensorFlow, blanks and all:
//     n_input = ?
//     n_encoder1 = ?
//     n_encoder2 = ?
//     n_latent = ?
//     n_decoder2 = ?
//     n_decoder1 = ?
//     biases = {
//         'encoder1' : tf.Variable(tf.random_normal([?], stddev = 0.1)),
//         …  (one for each layer: encoder2, latent, decoder2, decoder1)
//         'reconst' : tf.Variable(tf.random_normal([?], stddev = 0.1))
//     }
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
// Each size set by itself: changed alone, the others stay as the cell sets them.
// `n_decoder2 = n_encoder2` gives the lecture's shapes, as both are 300.
let alone_encoder1 = {
    // Rerun the exercise cell with let n_encoder1: i64 = 11;
    [&weights.encoder1, &weights.encoder2, &weights.latent, &weights.decoder2, &weights.decoder1, &weights.reconst, &biases.encoder1, &biases.encoder2, &biases.latent, &biases.decoder2, &biases.decoder1, &biases.reconst].map(|t| t.size())
};
let alone_encoder2 = {
    // Rerun the exercise cell with let n_encoder2: i64 = 7;
    [&weights.encoder1, &weights.encoder2, &weights.latent, &weights.decoder2, &weights.decoder1, &weights.reconst, &biases.encoder1, &biases.encoder2, &biases.latent, &biases.decoder2, &biases.decoder1, &biases.reconst].map(|t| t.size())
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
let lecture_layers = |e1: i64, e2: i64| vec![vec![784, e1], vec![e1, e2], vec![e2, 2], vec![2, 300], vec![300, 500], vec![500, 784], vec![e1], vec![e2], vec![2], vec![300], vec![500], vec![784]];
check_each_alone(
    "Exercise 7.1",
    &["encoder 1's weight", "encoder 2's weight", "the latent layer's weight", "decoder 2's weight", "decoder 1's weight", "the reconstruction's weight", "encoder 1's bias", "encoder 2's bias", "the latent layer's bias", "decoder 2's bias", "decoder 1's bias", "the reconstruction's bias"],
    &lecture_layers(500, 300),
    &[
        ("only n_encoder1 = 11", alone_encoder1.to_vec(), lecture_layers(11, 300)),
        ("only n_encoder2 = 7", alone_encoder2.to_vec(), lecture_layers(500, 7)),
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

// Hidden check 7.2
// The interpolation for other codes and other α than the check's.
let (hidden_za, hidden_zb) = (Tensor::from_slice(&[1.0f32, -2.0]).view([1, 2]), Tensor::from_slice(&[3.0f32, 4.0]).view([1, 2]));
let mut hidden_gap = 0.0f64;
for alpha in [0.1, 0.5, 0.6, 0.9] {
    let want = &hidden_za * (1.0 - alpha) + &hidden_zb * alpha;
    hidden_gap = hidden_gap.max((interpolate(&hidden_za, &hidden_zb, alpha) - want).abs().max().double_value(&[]));
}
check_at_most("Exercise 7.2", "largest difference of interpolate([1, -2], [3, 4], α) from (1 − α)·z0 + α·z1 for α = 0.1, 0.5, 0.6, 0.9", hidden_gap, 1e-6)?;
