//! Links libtorch so that every binary, example and test of this package runs without
//! `LD_LIBRARY_PATH` and really carries CUDA support.
//!
//! libtorch is found through `LIBTORCH`, which `.cargo/config.toml` points at the project's
//! `.venv/libtorch` (made by `./course.sh setup`). The generated notebook scripts reuse this file
//! as their own build script, so they link the same way.
use std::env;
use std::path::PathBuf;

// The one place that knows the platform (library names, the rpath); only part of it is used here.
#[allow(dead_code)]
#[path = "src/platform.rs"]
mod platform;
use platform::Os;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    let libtorch = match env::var_os("LIBTORCH") {
        Some(dir) => PathBuf::from(dir),
        None => {
            println!(
                "cargo:warning=LIBTORCH is not set: run `./course.sh setup` from the repository root \
                 (it installs torch 2.11.0 into .venv and .cargo/config.toml points LIBTORCH at it)"
            );
            return;
        }
    };
    let os = env::var("CARGO_CFG_TARGET_OS")
        .ok()
        .and_then(|t| Os::from_target(&t))
        .unwrap_or(Os::current());
    let lib = libtorch.join("lib");
    let torch_cpu = os.shared_library("torch_cpu");
    if !lib.join(&torch_cpu).exists() {
        println!(
            "cargo:warning=no {torch_cpu} under {}: run `./course.sh setup` or point LIBTORCH \
             at a torch 2.11.0 install",
            lib.display()
        );
        return;
    }
    let lib = lib.canonicalize().unwrap_or(lib);
    println!("cargo:rustc-link-search=native={}", lib.display());
    // Binaries find libtorch at run time through their own rpath.
    println!("cargo:rustc-link-arg={}", os.rpath_arg(&lib));
    // Without this the linker's --as-needed drops libtorch_cuda.so (nothing references it by
    // symbol) and `tch::Cuda::is_available()` stays false even on a GPU machine. Only where the
    // CUDA libraries it needs are installed: the CPU-only set-up leaves out cuBLAS, cuDNN & co.
    if let Some(site) = lib.parent().and_then(|torch| torch.parent()) {
        // Where `setup --cuda` adds the CUDA libraries.
        println!("cargo:rerun-if-changed={}", site.join("nvidia").display());
    }
    let cuda = os.may_have_cuda()
        && lib.join(os.shared_library("torch_cuda")).exists()
        && cuda_installed(&lib);
    println!(
        "cargo:rustc-env=LECTUREUTIL_SETUP={}",
        if cuda { "cuda" } else { "cpu" }
    );
    if cuda {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch_cuda");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
    println!("cargo:rustc-env=LECTUREUTIL_LIBTORCH_LIB={}", lib.display());
}

/// Whether the CUDA libraries that `libtorch_cuda.so` needs are installed: cuBLAS and cuDNN
/// beside libtorch (a libtorch download) or in the wheel's `nvidia/` packages
/// (`./course.sh setup --cuda`).
fn cuda_installed(lib: &std::path::Path) -> bool {
    let mut dirs = vec![lib.to_path_buf()];
    if let Some(site) = lib.parent().and_then(|torch| torch.parent()) {
        dirs.push(site.join("nvidia"));
    }
    let mut names = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                names.push(entry.file_name().to_string_lossy().into_owned());
            }
        }
    }
    ["libcublas.so", "libcudnn.so"]
        .iter()
        .all(|want| names.iter().any(|n| n.starts_with(want)))
}
