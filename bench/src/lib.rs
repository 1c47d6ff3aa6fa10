//! Shared by the benchmark programs that `cargo xtask bench` runs: timing a closure a number of
//! times and reporting median, min and max as one JSON line on stdout, which the xtask reads.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// One measurement: the median, fastest and slowest of `runs` timed runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sample {
    /// What was measured, e.g. `decode/sdk`.
    pub name: String,
    pub runs: usize,
    pub median_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// Anything else worth reporting (sizes, counts), free-form.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Sample {
    /// Summarises `durations` (at least one).
    pub fn from_durations(name: impl Into<String>, durations: &[Duration]) -> Sample {
        let mut ms: Vec<f64> = durations.iter().map(|d| d.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let median = match ms.len() {
            0 => 0.0,
            n if n % 2 == 1 => ms[n / 2],
            n => (ms[n / 2 - 1] + ms[n / 2]) / 2.0,
        };
        Sample {
            name: name.into(),
            runs: ms.len(),
            median_ms: median,
            min_ms: ms.first().copied().unwrap_or(0.0),
            max_ms: ms.last().copied().unwrap_or(0.0),
            extra: serde_json::Map::new(),
        }
    }

    /// Adds a free-form detail.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Sample {
        self.extra.insert(key.to_owned(), value.into());
        self
    }

    /// Prints the sample as one JSON line (the protocol `cargo xtask bench` reads).
    pub fn print(&self) {
        match serde_json::to_string(self) {
            Ok(line) => println!("{line}"),
            Err(error) => eprintln!("cannot encode sample {}: {error}", self.name),
        }
    }
}

/// Runs `f` `warmup` times untimed, then `runs` times timed.
pub fn measure<T>(name: &str, warmup: usize, runs: usize, mut f: impl FnMut() -> T) -> Sample {
    for _ in 0..warmup {
        std::hint::black_box(f());
    }
    let durations: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    Sample::from_durations(name, &durations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let odd = Sample::from_durations("odd", &ms(&[30, 10, 20]));
        assert_eq!(
            (odd.median_ms, odd.min_ms, odd.max_ms, odd.runs),
            (20.0, 10.0, 30.0, 3)
        );
        let even = Sample::from_durations("even", &ms(&[40, 10, 20, 30]));
        assert_eq!(even.median_ms, 25.0);
    }

    #[test]
    fn a_sample_round_trips_through_its_json_line() {
        let sample = Sample::from_durations("x", &[Duration::from_millis(5)]).with("lines", 3);
        let line = serde_json::to_string(&sample).unwrap();
        assert_eq!(serde_json::from_str::<Sample>(&line).unwrap(), sample);
    }
}
pub mod subset;
