//! Baselines of results that cannot pass, each row with the reason a person gave it:
//! `column<TAB>…<TAB>reason`. A run renders its rows with the reasons already written, so a
//! row that stays keeps its reason through `--bless`, and a new one reads "UNREVIEWED" until
//! someone explains it.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use similar::TextDiff;

/// What a row not yet reviewed says instead of its reason.
pub(crate) const UNREVIEWED: &str = "UNREVIEWED: say why it cannot pass, or fix it";

/// A baseline file as it was before this run.
pub(crate) struct Baseline {
    pub(crate) text: String,
    /// Reason by key (every column but the last), for rows of `columns` columns.
    reasons: BTreeMap<String, String>,
}

impl Baseline {
    /// Reads `path` (empty when it does not exist yet); rows are lines of `columns`
    /// tab-separated columns, the last one the reason.
    pub(crate) fn read(path: &Path, columns: usize) -> Baseline {
        let text = fs::read_to_string(path).unwrap_or_default();
        let reasons = text
            .lines()
            .filter(|l| !l.starts_with('#') && l.split('\t').count() == columns)
            .filter_map(|l| l.rsplit_once('\t'))
            .map(|(key, reason)| (key.to_owned(), reason.to_owned()))
            .collect();
        Baseline { text, reasons }
    }

    /// The rows of the baseline, as `(key, reason)`.
    pub(crate) fn rows(&self) -> impl Iterator<Item = (&str, &str)> {
        self.reasons.iter().map(|(k, r)| (k.as_str(), r.as_str()))
    }

    /// The reason written for `key`, or [`UNREVIEWED`].
    pub(crate) fn reason(&self, key: &str) -> &str {
        self.reasons.get(key).map_or(UNREVIEWED, String::as_str)
    }
}

/// What a run found, as the baseline's new text and the rows that have no reason yet
/// (`key<TAB>detail`, shown to the reviewer).
pub(crate) struct Found {
    pub(crate) text: String,
    pub(crate) unreviewed: Vec<String>,
}

impl Found {
    /// Appends the row `key`, with its reason from `baseline`; `detail` tells a reviewer
    /// what happened when there is no reason yet.
    pub(crate) fn row(&mut self, baseline: &Baseline, key: &str, detail: &str) {
        let reason = baseline.reason(key);
        if reason == UNREVIEWED {
            self.unreviewed.push(format!("{key}\t{detail}"));
        }
        self.text.push_str(&format!("{key}\t{reason}\n"));
    }
}

/// Writes `found` to `path` under `--bless`; otherwise compares it with `baseline` and
/// prints the difference. Returns whether the run agrees with the baseline (always, when
/// blessing). `command` is what the reviewer runs to bless.
pub(crate) fn settle(
    path: &Path,
    baseline: &Baseline,
    found: &Found,
    bless: bool,
    command: &str,
) -> Result<bool> {
    if bless {
        fs::write(path, &found.text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
        for line in &found.unreviewed {
            println!("to review: {line}");
        }
        return Ok(true);
    }
    if baseline.text == found.text {
        return Ok(true);
    }
    let diff = TextDiff::from_lines(baseline.text.as_str(), found.text.as_str());
    print!(
        "{}",
        diff.unified_diff()
            .context_radius(1)
            .header(&format!("{} (baseline)", path.display()), "now")
    );
    for line in &found.unreviewed {
        println!("new: {line}");
    }
    eprintln!(
        "the results differ from {}; review, then `{command} --bless` and give each new row its reason",
        path.display()
    );
    Ok(false)
}
