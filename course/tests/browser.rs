//! The student's path in a real browser: JupyterLab in headless Chromium opens the first
//! notebook with the reference answers, runs all cells, and the page must show the Rust kernel
//! (the one the server started ahead, as `./course.sh lab` does),
//! PASS under every check, no error, and an image under every plotting cell; typing into a check
//! cell changes nothing (its metadata locks it) while typing into an exercise cell does. The
//! screenshot is kept in `target/browser/`.
//!
//! Needs Chromium and playwright-core: `./course.sh test --browser` installs what is missing
//! and runs it. Under plain `cargo test` it is ignored, with that command as the reason.
use course::{Course, BROWSER_ENV};
use libtest_mimic::{Arguments, Completion, Trial};

const NOTEBOOK: &str = "01_perceptron_xor";

fn main() {
    let args = Arguments::from_args();
    let trial = Trial::ignorable_test(
        format!("{NOTEBOOK}::solved_runs_in_jupyterlab_in_chromium"),
        || {
            if std::env::var_os(BROWSER_ENV).is_none() {
                return Ok(Completion::ignored_with(
                    "needs Chromium: run `./course.sh test --browser`",
                ));
            }
            let course = Course::here();
            let path = course
                .course_notebooks_dir()
                .join(format!("{NOTEBOOK}.ipynb"));
            let lecture = course.load(&path).map_err(|e| format!("{e:#}"))?;
            let run = course
                .run_in_browser(&lecture)
                .map_err(|e| format!("{e:#}"))?;
            let mut problems = run.problems.clone();
            if run.kernel != ("rust".to_string(), "Rust".to_string()) {
                problems.push(format!(
                    "the notebook runs on kernel {:?}, not the Rust kernel",
                    run.kernel
                ));
            }
            if !run.pooled_kernel {
                problems.push(
                    "the notebook did not get the Rust kernel that JupyterLab started ahead \
                     (tools/kernel_pool.py)"
                        .into(),
                );
            }
            if !run.cells.is_empty() {
                problems.extend(lecture.problems_in_solved_outputs(&run.cells));
            }
            for number in lecture.plotting_cells() {
                if !run.rendered_images.contains(&number) {
                    problems.push(format!(
                        "cell {number}: the page shows no loaded image under this plotting cell"
                    ));
                } else if !run.rendered_svgs.contains(&number) {
                    problems.push(format!(
                        "cell {number}: the figure under this plotting cell is not an SVG"
                    ));
                }
            }
            // Locked cells look locked: JupyterLab honours `"editable": false`.
            match run.check_cell_took_typing {
                Some((_, false)) => {}
                Some((cell, true)) => problems.push(format!(
                    "cell {cell}: typing into a check cell changed it; its metadata should lock it"
                )),
                None => problems.push("no check cell was typed into".into()),
            }
            if !matches!(run.exercise_cell_took_typing, Some((_, true))) {
                problems.push(format!(
                    "typing into an exercise cell did not change it ({:?}): the probe proves nothing",
                    run.exercise_cell_took_typing
                ));
            }
            let png = std::fs::read(&run.screenshot).unwrap_or_default();
            if png.get(1..4) != Some(b"PNG") {
                problems.push(format!("no screenshot at {}", run.screenshot.display()));
            }
            println!(
                "{NOTEBOOK} in Chromium: kernel ready at {:.1} s (started ahead: {}), all cells run at {:.1} s; images under cells {:?}, SVG under {:?}; screenshot {}",
                run.kernel_ready_s,
                run.pooled_kernel,
                run.run_all_s,
                run.rendered_images,
                run.rendered_svgs,
                run.screenshot.display()
            );
            if problems.is_empty() {
                Ok(Completion::Completed)
            } else {
                Err(problems.join("\n").into())
            }
        },
    );
    libtest_mimic::run(&args, vec![trial]).exit();
}
