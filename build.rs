//! Links libtorch so that every binary, example and test of this package runs without
//! `LD_LIBRARY_PATH` and really carries CUDA support.
//!
//! libtorch is found through `LIBTORCH`, which `.cargo/config.toml` points at the project's
//! `.venv/libtorch` (made by `./course.sh setup`). The generated notebook scripts reuse this file
//! as their own build script, so they link the same way.
use std::env;
use std::path::PathBuf;

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
    let lib = libtorch.join("lib");
    if !lib.join("libtorch_cpu.so").exists() {
        println!(
            "cargo:warning=no libtorch_cpu.so under {}: run `./course.sh setup` or point LIBTORCH \
             at a torch 2.11.0 install",
            lib.display()
        );
        return;
    }
    let lib = lib.canonicalize().unwrap_or(lib);
    println!("cargo:rustc-link-search=native={}", lib.display());
    // Binaries find libtorch at run time through their own rpath.
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    // Without this the linker's --as-needed drops libtorch_cuda.so (nothing references it by
    // symbol) and `tch::Cuda::is_available()` stays false even on a GPU machine.
    if lib.join("libtorch_cuda.so").exists() {
        println!("cargo:rustc-link-arg=-Wl,--no-as-needed");
        println!("cargo:rustc-link-arg=-ltorch_cuda");
        println!("cargo:rustc-link-arg=-Wl,--as-needed");
    }
    println!("cargo:rustc-env=LECTUREUTIL_LIBTORCH_LIB={}", lib.display());
}
