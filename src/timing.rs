//! Timing helpers: a stopwatch and a `%timeit`-style repeated measurement.

use std::fmt;
use std::time::{Duration, Instant};

/// A stopwatch started at creation.
#[derive(Debug, Clone, Copy)]
pub struct Timer {
    start: Instant,
}

impl Timer {
    /// Starts the clock.
    pub fn start() -> Self {
        Timer {
            start: Instant::now(),
        }
    }

    /// Time since start.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Seconds since start.
    pub fn seconds(&self) -> f64 {
        self.elapsed().as_secs_f64()
    }
}

/// What [`time_it`] measured: like IPython's `%timeit`, the mean and standard deviation over
/// `runs` runs of `loops` calls each, per call.
#[derive(Debug, Clone, Copy)]
pub struct TimeItReport {
    /// Mean time of one call, in seconds.
    pub mean: f64,
    /// Standard deviation of one call's time across runs, in seconds.
    pub std_dev: f64,
    /// Number of runs.
    pub runs: usize,
    /// Calls per run.
    pub loops: usize,
}

fn human(seconds: f64) -> String {
    if seconds >= 1.0 {
        format!("{seconds:.3} s")
    } else if seconds >= 1e-3 {
        format!("{:.3} ms", seconds * 1e3)
    } else if seconds >= 1e-6 {
        format!("{:.3} µs", seconds * 1e6)
    } else {
        format!("{:.1} ns", seconds * 1e9)
    }
}

impl fmt::Display for TimeItReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ± {} per loop (mean ± std. dev. of {} runs, {} loops each)",
            human(self.mean),
            human(self.std_dev),
            self.runs,
            self.loops
        )
    }
}

/// Times `f` the way `%timeit` does: picks a loop count so that one run takes at least 0.2 s
/// (1, 10, 100, …), then makes 7 runs. The closure's result is kept from the optimiser.
pub fn time_it<T>(mut f: impl FnMut() -> T) -> TimeItReport {
    let mut loops = 1;
    loop {
        let t = Instant::now();
        for _ in 0..loops {
            std::hint::black_box(f());
        }
        if t.elapsed().as_secs_f64() >= 0.2 || loops >= 10_000_000 {
            break;
        }
        loops *= 10;
    }
    let runs = 7;
    let per_call: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..loops {
                std::hint::black_box(f());
            }
            t.elapsed().as_secs_f64() / loops as f64
        })
        .collect();
    let mean = per_call.iter().sum::<f64>() / runs as f64;
    let var = per_call.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / runs as f64;
    TimeItReport {
        mean,
        std_dev: var.sqrt(),
        runs,
        loops,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_it_reports_like_timeit() {
        let report = time_it(|| std::thread::sleep(Duration::from_millis(30)));
        assert_eq!(report.loops, 10);
        assert!(report.mean >= 0.03, "{report}");
        let text = report.to_string();
        assert!(
            text.contains("ms ±") && text.contains("of 7 runs, 10 loops each"),
            "{text}"
        );
        assert!(Timer::start().seconds() >= 0.0);
        assert_eq!(human(2.5e-6), "2.500 µs");
    }
}
