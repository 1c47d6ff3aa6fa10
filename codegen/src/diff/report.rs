//! The change report as Markdown a reviewer reads top to bottom.

use std::fmt::Write as _;

use super::{Bump, Impact, Report};

/// Renders `report` as Markdown: a verdict line, then breaking and compatible changes as
/// tables grouped by subject.
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# SDK changes: `{}` → `{}`\n", report.old, report.new);
    let bump = match report.bump {
        Bump::None => "none (no change visible to SDK users)",
        Bump::Patch => "patch",
        Bump::Minor => "minor",
        Bump::Major => "major (breaking)",
    };
    let _ = writeln!(
        out,
        "**Suggested version bump: {bump}** — {} breaking, {} compatible change(s){}.\n",
        report.breaking,
        report.compatible,
        if report.not_compared.is_empty() {
            String::new()
        } else {
            format!("; {} tag(s) not compared", report.not_compared.len())
        }
    );
    for (impact, title, why) in [
        (Impact::Breaking, "Breaking changes", "Why it breaks"),
        (
            Impact::Compatible,
            "Compatible changes",
            "Why it is compatible",
        ),
    ] {
        let changes: Vec<_> = report
            .changes
            .iter()
            .filter(|c| c.impact == impact)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        let _ = writeln!(out, "| Where | Change | {why} |");
        let _ = writeln!(out, "|---|---|---|");
        for change in changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                escape(&change.subject),
                escape(&change.detail),
                escape(&change.reason)
            );
        }
        out.push('\n');
    }
    if report.changes.is_empty() {
        out.push_str("No changes.\n");
    }
    if !report.not_compared.is_empty() {
        let _ = writeln!(
            out,
            "\n## Not compared\n\n{} tag(s) the generator cannot lower yet; their changes are not in this report.\n",
            report.not_compared.len()
        );
        let _ = writeln!(out, "| Tag | Reason |");
        let _ = writeln!(out, "|---|---|");
        for skipped in &report.not_compared {
            let _ = writeln!(
                out,
                "| {} | {} |",
                escape(&skipped.tag),
                escape(&skipped.reason)
            );
        }
    }
    out
}

fn escape(cell: &str) -> String {
    cell.replace('|', "\\|").replace('\n', " ")
}
