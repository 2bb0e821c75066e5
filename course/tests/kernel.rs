//! Runs every notebook, with the reference solutions filled in, headless under the real evcxr
//! Jupyter kernel (`jupyter execute`), as part of `cargo test`.
//!
//! Every code cell runs twice in a row (a student's Shift+Enter twice), and both times it must
//! show no error output, every check must print PASS, and every plotting cell (one whose value is
//! a `Chart`, `Figure` or `Image`) must show a PNG. The executed copies
//! and their PNGs are kept in `target/notebooks/executed/`.
use course::{Course, Lecture};
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
    let key = course.cache_key(&["kernel, every cell twice", &solved, &spec, &evcxr]);
    if let Some(hit) = course.cached("kernel", &key) {
        let name = format!(
            "{}::solved_runs_in_the_rust_kernel",
            lecture.notebook.stem()
        );
        println!("{}", course::unchanged_note(&name, hit.recorded));
        return Ok(());
    }
    // Every code cell twice in a row, as a student who presses Shift+Enter twice: both runs of
    // every cell must show what one run shows.
    let (run, [first, second]) = course
        .execute_twice_in_kernel(lecture)
        .map_err(|e| format!("{e:#}"))?;
    let mut problems = lecture.problems_in_solved_outputs(&first);
    problems.extend(
        lecture
            .problems_in_solved_outputs(&second)
            .into_iter()
            .map(|p| format!("run again: {p}")),
    );
    // The figures as files, to open and look at: the SVG the kernel showed, and its PNG.
    for cell in &first {
        for (k, svg) in cell.svgs.iter().enumerate() {
            let file = run.executed.with_file_name(format!(
                "{}-cell{:02}-{}.svg",
                lecture.notebook.stem(),
                cell.number,
                k + 1
            ));
            std::fs::write(&file, svg)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            // One that cannot be drawn is among the problems already.
            if let Ok(png) = lectureutil::plot::svg_to_png(svg) {
                let file = file.with_extension("png");
                std::fs::write(&file, png)
                    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            }
        }
    }
    println!(
        "{}: executed in {:.0} s, {} plotting cells",
        run.executed.display(),
        run.seconds,
        lecture.plotting_cells().len()
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
