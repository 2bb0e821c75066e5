//! The one place that knows the operating system: libtorch's library file names, the variable
//! the dynamic loader searches, the rpath, the checksum tool, the lock the kernel launcher takes,
//! and how a process tells which libtorch it loaded (Linux reads `/proc/self/maps`, macOS asks
//! dyld). Linux on x86_64 is what runs here; macOS on Apple Silicon is prepared, not yet run on
//! a Mac.
//!
//! `build.rs` includes this file too (`#[path]`), so it uses nothing but `std`.
//! `tools/platform.sh` is its twin for the shell scripts; a test holds the two to the same
//! answers.

use std::path::{Path, PathBuf};

/// The systems the kit knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    /// Linux (x86_64 tested; aarch64 in the dev container's arm64 image).
    Linux,
    /// macOS (Apple Silicon).
    MacOs,
}

impl Os {
    /// The system this code was compiled for.
    pub const fn current() -> Os {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else {
            Os::Linux
        }
    }

    /// From cargo's `CARGO_CFG_TARGET_OS` (`linux`, `macos`), for a build script.
    pub fn from_target(target_os: &str) -> Option<Os> {
        match target_os {
            "linux" => Some(Os::Linux),
            "macos" => Some(Os::MacOs),
            _ => None,
        }
    }

    /// From `uname -s` (`Linux`, `Darwin`), as the shell twin tells it.
    pub fn from_uname(uname: &str) -> Option<Os> {
        match uname.trim() {
            "Linux" => Some(Os::Linux),
            "Darwin" => Some(Os::MacOs),
            _ => None,
        }
    }

    /// The file name of the shared library `name`: `torch_cpu` → `libtorch_cpu.so` on Linux,
    /// `libtorch_cpu.dylib` on macOS (what the torch wheel ships in `torch/lib/`).
    pub fn shared_library(self, name: &str) -> String {
        match self {
            Os::Linux => format!("lib{name}.so"),
            Os::MacOs => format!("lib{name}.dylib"),
        }
    }

    /// The variable the dynamic loader searches for shared libraries.
    pub fn library_path_var(self) -> &'static str {
        match self {
            Os::Linux => "LD_LIBRARY_PATH",
            Os::MacOs => "DYLD_LIBRARY_PATH",
        }
    }

    /// The linker argument that makes a binary find the libraries in `dir` at run time without
    /// the variable above (GNU ld and Apple's ld64 both take `-rpath` through the compiler).
    pub fn rpath_arg(self, dir: &Path) -> String {
        format!("-Wl,-rpath,{}", dir.display())
    }

    /// Whether libtorch may carry CUDA here (the CUDA wheels are Linux-only).
    pub fn may_have_cuda(self) -> bool {
        self == Os::Linux
    }

    /// The command that prints a file's SHA-256 as `HASH  NAME` (`-c FILE` checks a list).
    pub fn checksum_command(self) -> &'static [&'static str] {
        match self {
            Os::Linux => &["sha256sum"],
            Os::MacOs => &["shasum", "-a", "256"],
        }
    }

    /// What the kernel launcher locks its build folders with: util-linux's `flock(1)` where
    /// it exists, else Python's `fcntl.flock` on the same descriptor (macOS has no `flock(1)`;
    /// the lock belongs to the open file, so it outlives the short Python process).
    pub fn folder_lock(self) -> FolderLock {
        match self {
            Os::Linux => FolderLock::Flock,
            Os::MacOs => FolderLock::PythonFcntl,
        }
    }

    /// How a process lists the shared libraries it loaded.
    pub fn loaded_libraries_from(self) -> LoadedFrom {
        match self {
            Os::Linux => LoadedFrom::ProcMaps,
            Os::MacOs => LoadedFrom::Dyld,
        }
    }
}

/// How the kernel launcher holds a lock on a folder for a kernel's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderLock {
    /// `flock -n FD`.
    Flock,
    /// `python3 -c 'fcntl.flock(FD, …)'`.
    PythonFcntl,
}

/// Where the list of loaded shared libraries comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadedFrom {
    /// `/proc/self/maps` (its sixth column).
    ProcMaps,
    /// dyld's image list (`_dyld_image_count`, `_dyld_get_image_name`).
    Dyld,
}

/// The paths of the shared libraries loaded in this process.
pub fn loaded_libraries() -> Vec<PathBuf> {
    match Os::current().loaded_libraries_from() {
        LoadedFrom::ProcMaps => {
            let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
            paths_in_maps(&maps)
        }
        LoadedFrom::Dyld => dyld_images(),
    }
}

/// The path of the loaded library whose file name is `file_name`, if it is loaded.
pub fn loaded_library(file_name: &str) -> Option<PathBuf> {
    loaded_libraries()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == file_name))
}

/// The file paths in the text of `/proc/self/maps`, each once, in order.
fn paths_in_maps(maps: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .filter(|path| path.starts_with('/'))
        .map(PathBuf::from)
        .collect();
    paths.dedup();
    paths
}

#[cfg(target_os = "macos")]
fn dyld_images() -> Vec<PathBuf> {
    use std::ffi::{c_char, CStr};
    extern "C" {
        fn _dyld_image_count() -> u32;
        fn _dyld_get_image_name(index: u32) -> *const c_char;
    }
    // SAFETY: dyld's documented calls; a name is a C string it owns, or null for an index
    // that went away meanwhile.
    unsafe {
        (0.._dyld_image_count())
            .filter_map(|i| {
                let name = _dyld_get_image_name(i);
                (!name.is_null())
                    .then(|| PathBuf::from(CStr::from_ptr(name).to_string_lossy().into_owned()))
            })
            .collect()
    }
}

#[cfg(not(target_os = "macos"))]
fn dyld_images() -> Vec<PathBuf> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_and_macos_decisions() {
        assert_eq!(Os::Linux.shared_library("torch_cpu"), "libtorch_cpu.so");
        assert_eq!(Os::MacOs.shared_library("torch_cpu"), "libtorch_cpu.dylib");
        assert_eq!(Os::Linux.library_path_var(), "LD_LIBRARY_PATH");
        assert_eq!(Os::MacOs.library_path_var(), "DYLD_LIBRARY_PATH");
        let dir = Path::new("/x/torch/lib");
        assert_eq!(Os::MacOs.rpath_arg(dir), "-Wl,-rpath,/x/torch/lib");
        assert_eq!(Os::Linux.rpath_arg(dir), "-Wl,-rpath,/x/torch/lib");
        assert!(Os::Linux.may_have_cuda() && !Os::MacOs.may_have_cuda());
        assert_eq!(Os::Linux.checksum_command(), ["sha256sum"]);
        assert_eq!(Os::MacOs.checksum_command(), ["shasum", "-a", "256"]);
        assert_eq!(Os::Linux.folder_lock(), FolderLock::Flock);
        assert_eq!(Os::MacOs.folder_lock(), FolderLock::PythonFcntl);
        assert_eq!(Os::Linux.loaded_libraries_from(), LoadedFrom::ProcMaps);
        assert_eq!(Os::MacOs.loaded_libraries_from(), LoadedFrom::Dyld);
        assert_eq!(Os::from_target("macos"), Some(Os::MacOs));
        assert_eq!(Os::from_target("linux"), Some(Os::Linux));
        assert_eq!(Os::from_target("windows"), None);
        assert_eq!(Os::from_uname("Darwin\n"), Some(Os::MacOs));
        assert_eq!(Os::from_uname("Linux"), Some(Os::Linux));
    }

    #[test]
    fn maps_give_each_mapped_file_once() {
        let maps = "\
55d0-55d1 r--p 00000000 fd:01 1 /usr/bin/prog
55d1-55d2 r-xp 00001000 fd:01 1 /usr/bin/prog
7f00-7f01 r--p 00000000 fd:01 2 /x/torch/lib/libtorch_cpu.so
7f01-7f02 rw-p 00000000 00:00 0
7f02-7f03 rw-p 00000000 00:00 0 [heap]
7f03-7f04 r--p 00000000 fd:01 3 /x/torch/lib/libc10.so";
        let paths = paths_in_maps(maps);
        assert_eq!(
            paths,
            [
                PathBuf::from("/usr/bin/prog"),
                "/x/torch/lib/libtorch_cpu.so".into(),
                "/x/torch/lib/libc10.so".into()
            ]
        );
    }

    #[test]
    fn this_process_has_loaded_libtorch() {
        // Tests link lectureutil, which links libtorch (build.rs).
        let _ = tch::Tensor::from(1.0f32);
        let name = Os::current().shared_library("torch_cpu");
        let found = loaded_library(&name).expect("libtorch_cpu is loaded");
        assert!(found.is_file(), "{}", found.display());
    }

    /// `tools/platform.sh` answers as this module does, for both systems.
    #[test]
    fn the_shell_twin_agrees() {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/platform.sh");
        for (uname, os) in [("Linux", Os::Linux), ("Darwin", Os::MacOs)] {
            let out = std::process::Command::new("bash")
                .arg("-c")
                .arg(format!(
                    "PLATFORM_UNAME={uname}; . {script}; \
                     echo \"$PLATFORM_OS|$LIBTORCH_CPU|$LIBRARY_PATH_VAR|${{SHA256[*]}}|$FOLDER_LOCK\""
                ))
                .output()
                .expect("bash runs");
            let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
            let lock = match os.folder_lock() {
                FolderLock::Flock => "flock",
                FolderLock::PythonFcntl => "python-fcntl",
            };
            let want = format!(
                "{}|{}|{}|{}|{lock}",
                match os {
                    Os::Linux => "linux",
                    Os::MacOs => "macos",
                },
                os.shared_library("torch_cpu"),
                os.library_path_var(),
                os.checksum_command().join(" "),
            );
            assert_eq!(
                text,
                want,
                "{uname}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
