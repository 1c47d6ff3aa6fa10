//! Progenitor 0.15, driven as a library by the `progenitor` program of `atlas-bench`, on
//! inputs both generators handle: subsets of the 2025 spec cut by tag (with the components
//! they reach), since progenitor cannot process MongoDB's full specs.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use super::SPEC_2025;
use super::process;
use super::stats::{Sample, Stats, parse_samples};

/// A common input of both generators.
#[derive(Clone, Debug)]
pub(crate) struct Input {
    pub label: String,
    pub spec: PathBuf,
}

/// The subsets compared side by side (tag presets of the `progenitor` program; how they were
/// found is documented in `atlas_bench::subset`):
/// - Access Tracking alone, as published;
/// - the largest set of tags progenitor handles as published (4 tags: it refuses every request
///   body of a versioned media type such as `application/vnd.atlas.2023-01-01+json`);
/// - the largest set it handles once those media types are renamed `application/json` (37
///   tags; both generators read that same rewritten file).
const SUBSETS: &[(&str, &str, bool, &str)] = &[
    (
        "2025: Access Tracking",
        "Access Tracking",
        false,
        "subset-access-tracking.json",
    ),
    (
        "2025: the 4 tags progenitor handles as published",
        "@progenitor-2025",
        false,
        "subset-progenitor-2025.json",
    ),
    (
        "2025: 37 tags, media types renamed application/json",
        "@progenitor-2025-plain-json",
        true,
        "subset-progenitor-2025-plain-json.json",
    ),
];

/// Writes the subsets of [`SUBSETS`] into `work`.
pub(crate) fn inputs(program: &Path, root: &Path, work: &Path) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for (label, tags, plain_json, file) in SUBSETS {
        let spec = work.join(file);
        let mut command = Command::new(program);
        command
            .arg("subset")
            .arg("--spec")
            .arg(root.join(SPEC_2025))
            .arg("--tags")
            .arg(tags)
            .arg("--out")
            .arg(&spec);
        if *plain_json {
            command.arg("--json-media-types");
        }
        process::run_ok(&mut command).with_context(|| format!("cutting the subset `{label}`"))?;
        inputs.push(Input {
            label: (*label).to_owned(),
            spec,
        });
    }
    Ok(inputs)
}

/// What progenitor did with one input.
pub(crate) enum Outcome {
    /// Per stage (`progenitor/parse`, `…/generate`, `…/format`, `…/total`).
    Generated(Vec<Sample>),
    /// It did not finish: the reason, as short as possible.
    Failed(String),
}

/// Runs progenitor `runs` times on `spec`, each run a fresh child process as ours are (so
/// neither side gets a warm allocator or cache from a previous run; a crash is an outcome).
pub(crate) fn generate(program: &Path, spec: &Path, runs: usize) -> Result<Outcome> {
    let mut per_name: Vec<(String, Vec<f64>, serde_json::Map<String, serde_json::Value>)> =
        Vec::new();
    for _ in 0..runs.max(1) {
        let measured = process::run(
            Command::new(program)
                .arg("generate")
                .arg("--spec")
                .arg(spec)
                .arg("--runs")
                .arg("1"),
        )?;
        if !measured.output.status.success() {
            return Ok(Outcome::Failed(failure_reason(
                &measured.output.status,
                &measured.output.stderr,
            )));
        }
        for sample in parse_samples(&String::from_utf8_lossy(&measured.output.stdout))? {
            match per_name
                .iter_mut()
                .find(|(name, _, _)| *name == sample.name)
            {
                Some((_, values, _)) => values.push(sample.stats.median),
                None => per_name.push((sample.name, vec![sample.stats.median], sample.extra)),
            }
        }
    }
    Ok(Outcome::Generated(
        per_name
            .into_iter()
            .filter_map(|(name, values, extra)| {
                Some(Sample {
                    name,
                    stats: Stats::of(&values)?,
                    extra,
                })
            })
            .collect(),
    ))
}

/// Writes progenitor's crate for `spec` into `out` (for the compile-cost section).
pub(crate) fn write_crate(program: &Path, spec: &Path, out: &Path) -> Result<()> {
    process::run_ok(
        Command::new(program)
            .arg("generate")
            .arg("--spec")
            .arg(spec)
            .arg("--runs")
            .arg("1")
            .arg("--out")
            .arg(out),
    )?;
    Ok(())
}

/// The last meaningful line of a failed run's stderr (a panic message or a stack overflow).
fn failure_reason(status: &std::process::ExitStatus, stderr: &[u8]) -> String {
    format!(
        "{status}: {}",
        last_meaningful_line(&String::from_utf8_lossy(stderr), 160)
    )
}

/// The last line of `text` that is not blank nor a `note:`, at most `limit` characters: what
/// a failed program said last (its panic or refusal), not the command line before it.
pub(crate) fn last_meaningful_line(text: &str, limit: usize) -> String {
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("note:"))
        .unwrap_or("");
    line.chars().take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::last_meaningful_line;

    #[test]
    fn the_last_meaningful_line_skips_blanks_and_notes() {
        let stderr = "\"progenitor\" \"generate\"\nthread panicked: too many media types\nnote: run with RUST_BACKTRACE=1\n\n";
        assert_eq!(
            last_meaningful_line(stderr, 120),
            "thread panicked: too many media types"
        );
        assert_eq!(last_meaningful_line(stderr, 6), "thread");
        assert_eq!(last_meaningful_line("", 10), "");
    }
}
