//! `cargo xtask diff OLD NEW`: what a spec change means for users of the SDK.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{shown_path, user_path};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The spec the SDK was generated from.
    old: PathBuf,
    /// The new spec.
    new: PathBuf,
    /// Only these tags (repeatable), e.g. `--tag "Access Tracking"`.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Print the report as JSON instead of Markdown.
    #[arg(long)]
    json: bool,
    /// The SDK's current version, to print the version the changes call for.
    #[arg(long)]
    current_version: Option<String>,
    /// `YYYY-MM-DD`: compare the operations as of this API version (see `codegen`).
    #[arg(long)]
    api_version: Option<String>,
    /// Compare tag by tag and list the tags the generator cannot lower yet, instead of
    /// failing on the first one.
    #[arg(long)]
    skip_unsupported: bool,
}

/// Exit status when something breaks (errors exit with 1).
const BREAKING: u8 = 2;

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let started = Instant::now();
    let options = codegen::Options {
        tags: (!args.tags.is_empty()).then(|| args.tags.iter().cloned().collect::<BTreeSet<_>>()),
        api_version: args.api_version.clone(),
        ..codegen::Options::default()
    };
    let old = parse(&args.old)?;
    let new = parse(&args.new)?;
    let report = codegen::diff::diff_specs(&old, &new, &options, args.skip_unsupported)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).context("serializing the report")?
        );
    } else {
        print!("{}", codegen::diff::render_markdown(&report));
        if let Some(current) = &args.current_version
            && let Some(next) = report.next_version(current)
        {
            println!("Next version: {current} → **{next}**");
        }
    }
    eprintln!(
        "{} change(s), {} tag(s) not compared, in {:.0?}",
        report.changes.len(),
        report.not_compared.len(),
        started.elapsed()
    );
    Ok(if report.is_breaking() {
        ExitCode::from(BREAKING)
    } else {
        ExitCode::SUCCESS
    })
}

fn parse(path: &std::path::Path) -> Result<codegen::Spec> {
    let full = user_path(Some(path), "");
    let text =
        std::fs::read_to_string(&full).with_context(|| format!("reading {}", full.display()))?;
    Ok(codegen::Spec::parse(&shown_path(&full, path), &text)?)
}
