//! What a change of document means for users of the generated crate: a report of breaking
//! and compatible changes, in Markdown (for a pull request) or JSON.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::codegen;

/// The arguments of `specwire diff` and `cargo xtask diff`.
#[derive(clap::Args, Debug, Clone)]
pub struct DiffArgs {
    /// The document the crate was generated from.
    pub old: PathBuf,
    /// The new document.
    pub new: PathBuf,
    /// Only these tags (repeatable), e.g. `--tag "Access Tracking"`.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Print the report as JSON instead of Markdown.
    #[arg(long)]
    pub json: bool,
    /// The crate's current version, to print the version the changes call for.
    #[arg(long, value_name = "VERSION")]
    pub current_version: Option<String>,
    /// `YYYY-MM-DD`: compare the operations as of this API version (see `generate`).
    #[arg(long, value_name = "DATE")]
    pub api_version: Option<String>,
    /// Compare tag by tag and list the tags the generator cannot lower, instead of failing
    /// on the first one.
    #[arg(long)]
    pub skip_unsupported: bool,
    /// The new crate is generated with `--previous OLD`: the renames it keeps as deprecated
    /// aliases break nothing for a release.
    #[arg(long)]
    pub keeping_former_names: bool,
    #[command(flatten)]
    pub reading: crate::bundle::ReadingArgs,
}

/// Exit status when something breaks (errors exit with 1).
pub const BREAKING: u8 = 2;

/// Prints the report; exits with [`BREAKING`] when a change breaks users. `shown` names a
/// document in the report as the caller wants it named.
pub fn run(args: &DiffArgs, shown: impl Fn(&Path, &Path) -> String) -> Result<ExitCode> {
    let started = Instant::now();
    let options = codegen::Options {
        tags: (!args.tags.is_empty()).then(|| args.tags.iter().cloned().collect::<BTreeSet<_>>()),
        api_version: args.api_version.clone(),
        ..codegen::Options::default()
    };
    let read = |given: &Path| {
        let path = crate::paths::from_current_dir(given);
        crate::bundle::read_spec_with(&path, &shown(&path, given), &args.reading.reading())
    };
    let old = read(&args.old)?;
    let new = read(&args.new)?;
    let mut report = codegen::diff::diff_specs(&old, &new, &options, args.skip_unsupported)?;
    if args.keeping_former_names {
        // Only the tags compared: the others do not lower.
        let options = codegen::Options {
            tags: report.compared_tags.clone().or(options.tags.clone()),
            ..options.clone()
        };
        let kept = codegen::diff::renames_between(&old, &new, &options)?;
        report = report.keeping(&kept);
    }
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
