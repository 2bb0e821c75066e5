//! A notebook run the way a student runs it: JupyterLab in headless Chromium, Run All Cells
//! (`tools/browser/lab.mjs` drives the page), and what the page then shows.

use crate::cmd;
use crate::course::Course;
use crate::kernel::{cell_outputs, CellOutputs};
use crate::lecture::Lecture;
use anyhow::{ensure, Context, Result};
use serde_json::Value;
use std::path::PathBuf;

/// Set to run the browser test (`./course.sh test --browser` does); plain `cargo test` needs no
/// browser.
pub const BROWSER_ENV: &str = "LECTUREUTIL_BROWSER";

/// What the page showed after Run All Cells.
#[derive(Debug, Clone)]
pub struct BrowserRun {
    /// The kernel's name (`rust`) and the name the page shows (`Rust`).
    pub kernel: (String, String),
    /// Whether the notebook got the kernel that the server started ahead (`tools/kernel_pool.py`).
    pub pooled_kernel: bool,
    /// Every code cell's outputs, read from the page's notebook model.
    pub cells: Vec<CellOutputs>,
    /// Cells (numbered from 1) that show an image the browser loaded and decoded.
    pub rendered_images: Vec<usize>,
    /// Cells whose loaded image is an SVG (an `image/svg+xml` output).
    pub rendered_svgs: Vec<usize>,
    /// Whether typing into the first check cell changed it (`None`: not tried), and the cell.
    pub check_cell_took_typing: Option<(usize, bool)>,
    /// The same for the first exercise cell.
    pub exercise_cell_took_typing: Option<(usize, bool)>,
    /// What went wrong driving the page, if anything.
    pub problems: Vec<String>,
    /// The screenshot: the page scrolled to the last figure.
    pub screenshot: PathBuf,
    /// Seconds from the start: kernel ready, all cells run.
    pub kernel_ready_s: f64,
    /// Seconds from the start to the end of Run All Cells.
    pub run_all_s: f64,
}

impl Course {
    /// Opens the solved `lecture` in JupyterLab in Chromium, runs all cells and reads the page.
    /// The screenshot and the report go to `target/browser/`.
    pub fn run_in_browser(&self, lecture: &Lecture) -> Result<BrowserRun> {
        let solved = self.write_solved(lecture)?;
        let dir = self.target_dir().join("browser");
        std::fs::create_dir_all(&dir)?;
        let stem = lecture.notebook.stem();
        let screenshot = dir.join(format!("{stem}.png"));
        let report = dir.join(format!("{stem}.json"));
        let _ = std::fs::remove_file(&screenshot);
        let _ = std::fs::remove_file(&report);
        let script = self.root.join("tools/browser/lab.mjs");
        ensure!(
            self.root
                .join("tools/browser/node_modules/playwright-core")
                .is_dir(),
            "playwright-core is not installed: run `./course.sh test --browser`"
        );
        let out = cmd::finish(
            cmd::program("node")
                .current_dir(&self.root)
                .env("JUPYTER_PATH", self.root.join(".venv/share/jupyter"))
                .arg(&script)
                .arg(self.root.join(".venv/bin/jupyter"))
                .arg(solved.parent().expect("a folder"))
                .arg(solved.file_name().expect("a file name"))
                .arg(&screenshot)
                .arg(&report),
            "node tools/browser/lab.mjs",
        )?;
        let text = std::fs::read_to_string(&report).with_context(|| {
            format!(
                "the browser script wrote no report:\n{}{}",
                out.stdout, out.stderr
            )
        })?;
        let json: Value = serde_json::from_str(&text)?;
        let text_of = |p: &str| {
            json.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let seconds = |k: &str| json["seconds"][k].as_f64().unwrap_or(f64::NAN);
        let mut problems: Vec<String> = json["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        let cells = match json.get("notebook") {
            Some(notebook) if !notebook.is_null() => cell_outputs(notebook)?,
            _ => {
                problems.push("the page's notebook model could not be read".to_string());
                Vec::new()
            }
        };
        let numbers = |pointer: &str| -> Vec<usize> {
            json.pointer(pointer)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|n| n.as_u64().map(|n| n as usize))
                .collect()
        };
        let edit = |label: &str| {
            let e = json.pointer(&format!("/edits/{label}"))?;
            Some((e["cell"].as_u64()? as usize, e["changed"].as_bool()?))
        };
        Ok(BrowserRun {
            check_cell_took_typing: edit("check"),
            exercise_cell_took_typing: edit("exercise"),
            kernel: (text_of("/kernel/name"), text_of("/kernel/display_name")),
            pooled_kernel: json["pooled_kernel"].as_bool().unwrap_or(false),
            cells,
            rendered_images: numbers("/rendered_images"),
            rendered_svgs: numbers("/rendered_svgs"),
            problems,
            screenshot,
            kernel_ready_s: seconds("kernel_ready"),
            run_all_s: seconds("run_all"),
        })
    }
}
