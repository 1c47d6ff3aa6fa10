//! Median, min and max of repeated measurements, and the JSON lines the benchmark programs of
//! `atlas-bench` print (one `Sample` per line: `name`, `runs`, `median_ms`, `min_ms`, `max_ms`,
//! `extra`).

use anyhow::{Context, Result};
use serde_json::Value;

/// A summary of repeated measurements (milliseconds, or any unit the caller keeps to).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stats {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Stats {
    /// Summarises `values`; `None` when there are none.
    pub(crate) fn of(values: &[f64]) -> Option<Stats> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => return None,
            n if !n.is_multiple_of(2) => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Some(Stats {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
        })
    }
}

/// One line printed by an `atlas-bench` program.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub name: String,
    pub stats: Stats,
    pub extra: serde_json::Map<String, Value>,
}

/// Reads the samples of a program's stdout (lines that are not JSON objects are an error:
/// the programs print nothing else).
pub(crate) fn parse_samples(stdout: &str) -> Result<Vec<Sample>> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).with_context(|| format!("not a sample line: {line}"))?;
            let number = |key: &str| {
                value
                    .get(key)
                    .and_then(Value::as_f64)
                    .with_context(|| format!("sample without `{key}`: {line}"))
            };
            Ok(Sample {
                name: value
                    .get("name")
                    .and_then(Value::as_str)
                    .with_context(|| format!("sample without a name: {line}"))?
                    .to_owned(),
                stats: Stats {
                    median: number("median_ms")?,
                    min: number("min_ms")?,
                    max: number("max_ms")?,
                    runs: value.get("runs").and_then(Value::as_u64).unwrap_or(1) as usize,
                },
                extra: value
                    .get("extra")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_odd_and_even_counts() {
        let odd = Stats::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((odd.median, odd.min, odd.max, odd.runs), (2.0, 1.0, 3.0, 3));
        assert_eq!(Stats::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
        assert_eq!(Stats::of(&[]), None);
    }

    #[test]
    fn sample_lines_parse_and_garbage_is_an_error() {
        let samples = parse_samples(
            "{\"name\":\"decode/sdk\",\"runs\":3,\"median_ms\":2.0,\"min_ms\":1.0,\"max_ms\":4.0,\"extra\":{\"bytes\":10}}\n",
        )
        .unwrap();
        assert_eq!(samples[0].name, "decode/sdk");
        assert_eq!(samples[0].stats.max, 4.0);
        assert_eq!(samples[0].extra["bytes"], 10);
        assert!(parse_samples("compiling...\n").is_err());
    }
}
