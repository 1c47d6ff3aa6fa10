//! Section 5 of `BENCHMARKS.md`: the side-by-side table of [`peers`](super::peers), and its
//! targets.

use std::fmt::Write as _;

use super::Runs;
use super::peers::{Place, Row};
use super::stats::Stats;
use crate::thousands;

/// `median (min–max)` in seconds from milliseconds, two decimals.
fn seconds(stats: &Stats) -> String {
    format!(
        "{:.2} ({:.2}–{:.2})",
        stats.median / 1e3,
        stats.min / 1e3,
        stats.max / 1e3
    )
}

pub(crate) fn markdown(
    rows: &[Row],
    runs: Runs,
    md: &mut String,
    targets: &mut Vec<(String, String, bool)>,
) {
    let _ = writeln!(
        md,
        "## 5. Side by side with openapi-to-rust

Each generator's installed command on the same document: ours (`specwire generate DOC --out DIR`, the release build `cargo install` gives) and openapi-to-rust 0.23.0 (`openapi-to-rust generate DOC --output-dir DIR`, installed by `cargo install --locked`), {} runs each, alternating. *First* is a new, empty directory each run; *again* regenerates into the directory the generator wrote before (ours then writes only what changed: here nothing); *on disk* is the disk the workspace is on, *in memory* a tmpfs (`/dev/shm`). Times are whole processes, in seconds. `cargo check` is of each generator's crate alone, as in section 2 ({} runs; ours with all features; progenitor 0.15 where it generates), in seconds.

| Document | Files (ours / theirs) | First, on disk: ours | theirs | Again, on disk: ours | theirs | First, in memory: ours | theirs |
|---|---|---|---|---|---|---|---|",
        runs.generation, runs.compile
    );
    for row in rows {
        let mut cells = vec![
            row.label.clone(),
            format!("{} / {}", thousands(row.files.0), thousands(row.files.1)),
        ];
        for place in Place::ALL {
            match row.generation.iter().find(|(p, _, _)| *p == place) {
                Some((_, ours, theirs)) => {
                    cells.push(mark_faster(seconds(ours), ours.median <= theirs.median));
                    cells.push(seconds(theirs));
                }
                None => cells.extend(["–".to_owned(), "–".to_owned()]),
            }
        }
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(
        md,
        "\n`cargo check` (seconds, the median CPU time in brackets, peak memory of the largest `rustc`):\n\n| Document | ours | openapi-to-rust | progenitor |\n|---|---|---|---|"
    );
    for row in rows {
        let cells: Vec<String> = row
            .checks
            .iter()
            .map(|(_, check)| match check {
                Ok(check) => format!(
                    "{:.1} ({:.1}–{:.1}) [CPU {:.1}], {:.0} MiB",
                    check.wall.median,
                    check.wall.min,
                    check.wall.max,
                    check.cpu.median,
                    check.peak_mib
                ),
                Err(reason) => reason.replace('|', "\\|"),
            })
            .collect();
        let _ = writeln!(md, "| {} | {} |", row.label, cells.join(" | "));
    }
    md.push('\n');
    let first_on_disk: Vec<(&str, f64, f64)> = rows
        .iter()
        .filter_map(|row| {
            let (_, ours, theirs) = row
                .generation
                .iter()
                .find(|(p, _, _)| *p == Place::DiskEmpty)?;
            Some((row.label.as_str(), ours.median, theirs.median))
        })
        .collect();
    check_targets(rows, targets);
    if !first_on_disk.is_empty() {
        let slower: Vec<String> = first_on_disk
            .iter()
            .filter(|(_, ours, theirs)| ours > theirs)
            .map(|(label, ours, theirs)| {
                format!("{label} {:.2} s / {:.2} s", ours / 1e3, theirs / 1e3)
            })
            .collect();
        targets.push((
            "First generation on disk at most openapi-to-rust's, on every document of section 5"
                .to_owned(),
            if slower.is_empty() {
                format!("all {} documents", first_on_disk.len())
            } else {
                format!("slower on {}", slower.join(", "))
            },
            slower.is_empty(),
        ));
    }
}

/// The compile targets this section's checks answer: the full Atlas crate's check (ours, all
/// features) within 10 s and 1 GB, and ours faster than each peer's wherever theirs compiles.
fn check_targets(rows: &[Row], targets: &mut Vec<(String, String, bool)>) {
    let ours = |row: &Row| match row.checks.first() {
        Some((_, Ok(check))) => Some(check.clone()),
        _ => None,
    };
    if let Some(check) = rows.iter().find(|r| r.label == "Atlas 2025").and_then(ours) {
        targets.push((
            "`cargo check`, full 2025 crate, all features ≤ 10 s (section 5)".to_owned(),
            format!("{:.1} s (CPU {:.1} s)", check.wall.median, check.cpu.median),
            check.wall.median <= 10.0,
        ));
        targets.push((
            "Peak memory of that check ≤ 1 GB (section 5)".to_owned(),
            format!("{:.0} MiB", check.peak_mib),
            check.peak_mib * 1024.0 * 1024.0 <= 1e9,
        ));
    }
    for peer in ["openapi-to-rust", "progenitor"] {
        let mut compared = Vec::new();
        for row in rows {
            let theirs = row.checks.iter().find_map(|(name, check)| match check {
                Ok(check) if *name == peer => Some(check.wall.median),
                _ => None,
            });
            if let (Some(ours), Some(theirs)) = (ours(row), theirs) {
                compared.push((row.label.as_str(), ours.wall.median, theirs));
            }
        }
        if compared.is_empty() {
            continue;
        }
        let slower: Vec<&str> = compared
            .iter()
            .filter(|(_, ours, theirs)| ours > theirs)
            .map(|(label, _, _)| *label)
            .collect();
        targets.push((
            format!("Our `cargo check` faster than {peer}'s wherever its crate compiles"),
            if slower.is_empty() {
                format!("{} of {}", compared.len(), compared.len())
            } else {
                format!("slower on {}", slower.join(", "))
            },
            slower.is_empty(),
        ));
    }
}

/// A figure in bold when it is the faster of the two.
fn mark_faster(figure: String, faster: bool) -> String {
    if faster {
        format!("**{figure}**")
    } else {
        figure
    }
}
