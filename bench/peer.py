"""The lecture's seven training workloads in PyTorch: the peer of `cargo run --release --bin bench`.

Same data recipes, models, initialisation (normal, std 0.1), optimizers, iterations, batch sizes,
and the same habit of reading the loss back only at the print cycle. Default torch threads.
Prints one JSON line per workload (``--json``) or a table. ``--cuda`` trains the two MNIST
workloads on the GPU, with batches picked on the CPU and copied over, as `bench` does.
"""
import gzip
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MNIST_DIR = os.environ.get("LECTUREUTIL_MNIST_DIR", os.path.join(ROOT, "MNIST_data"))
DEVICE = torch.device("cuda" if "--cuda" in sys.argv else "cpu")


def two_class(recipe, m=1000, seed=0, bias_column=False):
    gen = torch.Generator().manual_seed(seed)
    rand = lambda: torch.rand(m, 1, generator=gen, dtype=torch.float64)
    if recipe == "linear":
        x1, x2 = 8 * rand(), 7 * rand() - 4
        g = 0.8 * x1 + x2 - 3
    else:
        x1, x2 = 10 * rand() - 5, 8 * rand() - 4
        g = -0.5 * (x1 - 1) ** 2 + 2 * x2 + 5 if recipe == "quadratic" else -0.5 * (x1 * x2 - 1) ** 2 + 2 * x2 + 5
    c1, c0 = torch.where(g[:, 0] >= 0)[0], torch.where(g[:, 0] < 0)[0]
    cols = lambda idx: ([torch.ones(len(idx), 1, dtype=torch.float64)] if bias_column else []) + [x1[idx], x2[idx]]
    x = torch.cat([torch.cat(cols(c1), 1), torch.cat(cols(c0), 1)])
    y = torch.cat([torch.ones(len(c1), 1), torch.zeros(len(c0), 1)])
    return x.float(), y


def var(*shape, device="cpu"):
    return (torch.randn(*shape, device=device) * 0.1).requires_grad_()


def train(n_iter, params, opt, loss_fn):
    start = time.perf_counter()
    last = float("nan")
    for epoch in range(n_iter):
        loss = loss_fn()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if epoch % 250 == 0 or epoch + 1 == n_iter:
            last = loss.item()
    return time.perf_counter() - start, last


def small(name, recipe, bias_column, hidden, one_hot, lr, n_iter):
    torch.manual_seed(0)
    x, y = two_class(recipe, bias_column=bias_column)
    if one_hot:
        y = torch.cat([1 - y, y], dim=1)
    n_in, n_out = x.shape[1], y.shape[1]
    params = []
    if hidden:
        w_h, b_h = var(n_in, hidden), var(hidden)
        params += [w_h, b_h]
    w_o = var(hidden or n_in, n_out)
    params.append(w_o)
    b_o = None if bias_column else var(n_out)
    if b_o is not None:
        params.append(b_o)

    def forward():
        h = torch.sigmoid(x @ w_h + b_h) if hidden else x
        out = h @ w_o
        return out + b_o if b_o is not None else out

    def loss_fn():
        logits = forward()
        if one_hot:
            return torch.mean(-(y * F.log_softmax(logits, dim=-1)).sum(-1))
        return F.binary_cross_entropy_with_logits(logits, y)

    opt = torch.optim.SGD(params, lr=lr)
    seconds, last = train(n_iter, params, opt, loss_fn)
    with torch.no_grad():
        logits = forward()
        pred = logits.argmax(-1) if one_hot else (logits > 0).squeeze(1)
        truth = y.argmax(-1) if one_hot else (y > 0.5).squeeze(1)
        acc = (pred == truth).float().mean().item()
    return dict(workload=name, iterations=n_iter, seconds=seconds, final_loss=last, train_acc=acc)


def read_idx(name):
    path = os.path.join(MNIST_DIR, name)
    opened = open(path, "rb") if os.path.exists(path) else gzip.open(path + ".gz", "rb")
    with opened as f:
        data = bytearray(f.read())
    if name.endswith("idx3-ubyte"):
        return torch.frombuffer(data, dtype=torch.uint8, offset=16).view(-1, 784).float() / 255.0
    return torch.frombuffer(data, dtype=torch.uint8, offset=8).long()


def mnist():
    tx, ty = read_idx("train-images-idx3-ubyte"), read_idx("train-labels-idx1-ubyte")
    vx, vy = read_idx("t10k-images-idx3-ubyte"), read_idx("t10k-labels-idx1-ubyte")
    return tx[5000:], ty[5000:], vx, vy


def mnist_mlp():
    torch.manual_seed(0)
    tx, ty, vx, vy = mnist()
    ty1 = F.one_hot(ty, 10).float()
    d = DEVICE
    w_h, b_h, w_o, b_o = var(784, 100, device=d), var(100, device=d), var(100, 10, device=d), var(10, device=d)
    forward = lambda x: torch.relu(x @ w_h + b_h) @ w_o + b_o
    opt = torch.optim.Adam([w_h, b_h, w_o, b_o], lr=1e-4)
    gen = torch.Generator().manual_seed(0)
    state = {"order": torch.randperm(len(tx), generator=gen), "at": 0}

    def next_batch(n):
        if state["at"] + n > len(tx):
            state["order"], state["at"] = torch.randperm(len(tx), generator=gen), 0
        idx = state["order"][state["at"] : state["at"] + n]
        state["at"] += n
        return tx[idx].to(d), ty1[idx].to(d)

    def loss_fn():
        x, y = next_batch(50)
        return torch.mean(-(y * F.log_softmax(forward(x), dim=-1)).sum(-1))

    seconds, last = train(3000, None, opt, loss_fn)
    with torch.no_grad():
        acc = (forward(vx.to(d)).argmax(-1) == vy.to(d)).float().mean().item()
    return dict(workload="mnist_mlp", iterations=3000, seconds=seconds, final_loss=last, test_acc=acc)


def autoencoder():
    torch.manual_seed(0)
    tx, ty, vx, vy = mnist()
    keep = lambda x, y: x[(y == 1) | (y == 5) | (y == 6)]
    tx, vx = keep(tx, ty), keep(vx, vy)
    sizes = [784, 500, 300, 2, 300, 500, 784]
    d = DEVICE
    layers = [(var(a, b, device=d), var(b, device=d)) for a, b in zip(sizes, sizes[1:])]

    def forward(x):
        for i, (w, b) in enumerate(layers):
            x = x @ w + b
            if i not in (2, 5):
                x = torch.tanh(x)
        return x

    opt = torch.optim.Adam([p for layer in layers for p in layer], lr=1e-4)
    gen = torch.Generator().manual_seed(0)

    def loss_fn():
        x = tx[torch.randint(len(tx), (50,), generator=gen)].to(d)
        return torch.mean((x - forward(x)) ** 2)

    seconds, last = train(2500, None, opt, loss_fn)
    with torch.no_grad():
        vx = vx.to(d)
        mse = torch.mean((vx - forward(vx)) ** 2).item()
    return dict(workload="autoencoder", iterations=2500, seconds=seconds, final_loss=last, test_mse=mse)


def mnist_load():
    start = time.perf_counter()
    tx, _, vx, _ = mnist()
    seconds = time.perf_counter() - start
    # The training split leaves out the 5000 validation images, which were read all the same.
    return dict(workload="mnist_load", iterations=1, seconds=seconds, final_loss=None, images=len(tx) + 5000 + len(vx))


WORKLOADS = {
    "logreg": lambda: small("logreg", "linear", True, 0, False, 0.05, 10000),
    "bias": lambda: small("bias", "linear", False, 0, False, 0.05, 15000),
    "onehot": lambda: small("onehot", "linear", False, 0, True, 0.05, 10000),
    "mlp_2_2_2": lambda: small("mlp_2_2_2", "quadratic", False, 2, True, 0.01, 30000),
    "mlp_2_4_2": lambda: small("mlp_2_4_2", "product", False, 4, True, 0.01, 40000),
    "mnist_mlp": mnist_mlp,
    "autoencoder": autoencoder,
    "mnist_load": mnist_load,
}

if __name__ == "__main__":
    args = sys.argv[1:]
    as_json = "--json" in args
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 1
    names = [a for a in args if not a.startswith("--") and not a.isdigit()] or list(WORKLOADS)
    for name in names:
        # --repeat N: N runs in this process, the last reported; the first pays the one-time set-up.
        runs = [WORKLOADS[name]() for _ in range(max(repeat, 1))]
        result = runs[-1]
        result["us_per_iter"] = result.pop("seconds") / result["iterations"] * 1e6
        if len(runs) > 1:
            result["first_us_per_iter"] = runs[0]["seconds"] / result["iterations"] * 1e6
        result["device"] = str(DEVICE) if name in ("mnist_mlp", "autoencoder") else "cpu"
        if as_json:
            print(json.dumps(result), flush=True)
        else:
            print(result, flush=True)
