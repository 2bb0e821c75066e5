//! Runs every notebook, with the reference solutions filled in, headless under the real evcxr
//! Jupyter kernel (`jupyter execute`), as part of `cargo test`.
//!
//! Each notebook must run with no error output, every check must print PASS, and every plotting
//! cell (one whose value is a `Chart`, `Figure` or `Image`) must show a PNG. The executed copies
//! and their PNGs are kept in `target/notebooks/executed/`.
use course::{split_trailing_expression, CellKind};
use course::{Course, Lecture};
use lectureutil::exercise::pass_line_start;
use libtest_mimic::{Arguments, Failed, Trial};
use std::sync::{Arc, Mutex};

/// One kernel at a time: a second one at once would get a cold build folder of its own
/// (`tools/rust-kernel.sh`) and compile tch again.
static ONE_KERNEL: Mutex<()> = Mutex::new(());

fn main() {
    let args = Arguments::from_args();
    let course = Arc::new(Course::here());
    let mut trials = Vec::new();
    for path in course.notebooks().expect("notebooks/ is readable") {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let course = course.clone();
        trials.push(Trial::test(
            format!("{stem}::solved_runs_in_the_rust_kernel"),
            move || {
                let lecture = course.load(&path).map_err(|e| format!("{e:#}"))?;
                let _one = ONE_KERNEL.lock().unwrap_or_else(|p| p.into_inner());
                run_in_kernel(&course, &lecture)
            },
        ));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn plotting_cells(lecture: &Lecture) -> Vec<usize> {
    lecture
        .notebook
        .cells
        .iter()
        .filter(|c| c.kind == CellKind::Code)
        .filter(|c| {
            split_trailing_expression(&c.source).1.is_some_and(|e| {
                ["Chart::", "Figure::", "Image::"]
                    .iter()
                    .any(|t| e.contains(t))
            })
        })
        .map(|c| c.number)
        .collect()
}

fn run_in_kernel(course: &Course, lecture: &Lecture) -> Result<(), Failed> {
    let spec = std::fs::read_to_string(course::doctor::kernel_json()).unwrap_or_default();
    if !spec.contains("EVCXR_TMPDIR") {
        return Err(
            "the Rust kernel is not registered with its env block: run `./course.sh setup`".into(),
        );
    }
    // Unchanged inputs (the solved notebook, the crates, the kernel) need no second run.
    let solved = course
        .write_solved(lecture)
        .and_then(|p| Ok(std::fs::read_to_string(p)?))
        .map_err(|e| format!("{e:#}"))?;
    let spec_json: serde_json::Value = serde_json::from_str(&spec).unwrap_or_default();
    let evcxr = std::fs::metadata(
        spec_json
            .pointer("/env/EVCXR_JUPYTER")
            .and_then(|v| v.as_str())
            .unwrap_or(""),
    )
    .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
    .unwrap_or_default();
    let key = course.cache_key(&["kernel", &solved, &spec, &evcxr]);
    if let Some(hit) = course.cached("kernel", &key) {
        let name = format!(
            "{}::solved_runs_in_the_rust_kernel",
            lecture.notebook.stem()
        );
        println!("{}", course::unchanged_note(&name, hit.recorded));
        return Ok(());
    }
    let run = course
        .execute_in_kernel(lecture, true)
        .map_err(|e| format!("{e:#}"))?;
    let mut problems = Vec::new();
    for cell in &run.cells {
        for e in &cell.errors {
            problems.push(format!(
                "cell {}: error output: {}",
                cell.number,
                e.lines().take(30).collect::<Vec<_>>().join("\n")
            ));
        }
        if cell.stdout.contains("FAIL") || cell.stderr.contains("FAIL") {
            problems.push(format!(
                "cell {}: a check failed: {}{}",
                cell.number, cell.stdout, cell.stderr
            ));
        }
        for (k, png) in cell.pngs.iter().enumerate() {
            if png.get(1..4) != Some(b"PNG") {
                problems.push(format!(
                    "cell {}: image/png output {} is not a PNG",
                    cell.number,
                    k + 1
                ));
            }
            let file = run.executed.with_file_name(format!(
                "{}-cell{:02}-{}.png",
                lecture.notebook.stem(),
                cell.number,
                k + 1
            ));
            std::fs::write(&file, png)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        }
    }
    let plotting = plotting_cells(lecture);
    for &number in &plotting {
        let shown = run
            .cells
            .iter()
            .find(|c| c.number == number)
            .is_some_and(|c| !c.pngs.is_empty());
        if !shown {
            problems.push(format!(
                "cell {number}: a plotting cell with no image/png output"
            ));
        }
    }
    let all_output: String = run.cells.iter().map(|c| c.stdout.as_str()).collect();
    for id in lecture.exercise_ids() {
        if !all_output.contains(&pass_line_start(&id)) {
            problems.push(format!("exercise {id}: its check printed no PASS line"));
        }
    }
    println!(
        "{}: executed in {:.0} s, {} plotting cells",
        run.executed.display(),
        run.seconds,
        plotting.len()
    );
    if problems.is_empty() {
        course
            .remember("kernel", &key, serde_json::Value::Bool(true))
            .map_err(|e| format!("{e:#}"))?;
        Ok(())
    } else {
        Err(format!(
            "{} under the Rust kernel ({}):\n{}",
            lecture.name(),
            run.executed.display(),
            problems.join("\n")
        )
        .into())
    }
}
