//! Runs every notebook, with the reference solutions filled in, headless under the real evcxr
//! Jupyter kernel (`tools/execute_notebook.py`), as part of `cargo test`.
//!
//! Every code cell runs twice in a row (a student's Shift+Enter twice), and both times it must
//! show no error output, every check must print PASS, and every plotting cell (one whose value is
//! a `Chart`, `Figure` or `Image`) must show an `image/svg+xml` figure that resvg can draw. The
//! executed copies, their SVGs and the PNGs of those are kept in `target/notebooks/executed/`.
use course::{CellKind, Course, Lecture};
use libtest_mimic::{Arguments, Failed, Trial};
use std::collections::BTreeSet;
use std::sync::{Arc, Condvar, Mutex};

/// One kernel per core at a time: each gets a build folder of its own (`tools/rust-kernel.sh`,
/// copied from the seed). The runner waits for a check's late PASS line, which a kernel on a
/// busy machine can send after its cell has ended (`jupyter execute` lost it). The longest
/// notebooks go first, so that the last one does not run alone while a core has nothing to do.
struct Places {
    running: usize,
    /// Who waits: (expected cost, notebook).
    waiting: BTreeSet<(u64, String)>,
}

static PLACES: Mutex<Places> = Mutex::new(Places {
    running: 0,
    waiting: BTreeSet::new(),
});
static PLACE_FREED: Condvar = Condvar::new();

/// Holds one of the kernel places until dropped.
struct KernelPlace;

impl KernelPlace {
    /// Waits until a place is free and no costlier notebook waits for one.
    fn take(cost: u64, name: &str) -> KernelPlace {
        let most = std::thread::available_parallelism().map_or(1, |n| n.get());
        let me = (cost, name.to_string());
        let mut places = PLACES.lock().unwrap_or_else(|p| p.into_inner());
        places.waiting.insert(me.clone());
        while places.running >= most || places.waiting.last() != Some(&me) {
            places = PLACE_FREED.wait(places).unwrap_or_else(|p| p.into_inner());
        }
        places.waiting.remove(&me);
        places.running += 1;
        PLACE_FREED.notify_all();
        KernelPlace
    }
}

impl Drop for KernelPlace {
    fn drop(&mut self) {
        PLACES.lock().unwrap_or_else(|p| p.into_inner()).running -= 1;
        PLACE_FREED.notify_all();
    }
}

/// What a notebook is expected to cost under the kernel, every cell twice: a second or so for
/// each cell's build, and twice its reference run where the grader measured one.
fn expected_cost(course: &Course, lecture: &Lecture) -> u64 {
    let cells = lecture
        .notebook
        .cells
        .iter()
        .filter(|c| c.kind == CellKind::Code)
        .count() as f64;
    let reference = course.reference_timings(lecture).map_or(0.0, |t| t.total);
    (2.0 * cells + 2.0 * reference).round() as u64
}

fn main() {
    let args = Arguments::from_args();
    // Kernels side by side, each with libtorch's default of one thread per core, spin against
    // each other: notebook 3 took 413 s instead of about 60. One thread each, as the grader's
    // programs (set before any thread starts; each kernel inherits it).
    if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
        std::env::set_var("OMP_NUM_THREADS", "1");
        std::env::set_var("MKL_NUM_THREADS", "1");
    }
    let course = Arc::new(Course::here());
    let mut trials = Vec::new();
    // Costliest first here too: the test threads start trials in this order.
    let mut paths = course.notebooks().expect("notebooks/ is readable");
    paths.sort_by_cached_key(|path| {
        std::cmp::Reverse(
            course
                .load(path)
                .map_or(0, |lecture| expected_cost(&course, &lecture)),
        )
    });
    for path in paths {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let course = course.clone();
        trials.push(Trial::test(
            format!("{stem}::solved_runs_in_the_rust_kernel"),
            move || {
                let lecture = course.load(&path).map_err(|e| format!("{e:#}"))?;
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
    let place = KernelPlace::take(expected_cost(course, lecture), &lecture.name());
    let (run, [first, second]) = course
        .execute_twice_in_kernel(lecture)
        .map_err(|e| format!("{e:#}"))?;
    drop(place);
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
