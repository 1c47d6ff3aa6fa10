//! `cargo xtask update-spec NEW.yaml`: a new MongoDB document becomes the shipped SDK's, as a
//! release: the spec replaced, the SDK regenerated with the old document's names for renamed
//! operations and types kept as deprecated aliases (`spec/former-names.toml`), the diff's
//! report written into CHANGELOG.md under "Unreleased", and the crate's version set to the
//! one the report calls for. Everything is computed before anything is written: a document
//! that does not generate leaves the workspace as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use codegen_cli::standalone::{CrateArgs, Job};
use codegen_cli::strict::Strict;
use codegen_cli::tree::write_file_atomically;

use crate::codegen::{DEFAULT_CRATE, DEFAULT_SPEC, FORMER_NAMES, atlas_options, sdk_output};

const CHANGELOG: &str = "CHANGELOG.md";
const UNRELEASED: &str = "## Unreleased";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// MongoDB's new document (YAML or JSON).
    new: PathBuf,
    /// The workspace to update [default: this one]: a copy, to try an update first.
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = match &args.workspace {
        Some(dir) => codegen_cli::paths::from_current_dir(dir),
        None => crate::workspace_root(),
    };
    let new_path = codegen_cli::paths::from_current_dir(&args.new);
    let spec_path = root.join(DEFAULT_SPEC);
    let old = codegen_cli::bundle::read_spec(&spec_path, DEFAULT_SPEC)?;
    let new_text =
        fs::read_to_string(&new_path).with_context(|| format!("reading {}", new_path.display()))?;
    // Read as the file it becomes, so that the generated headers name it.
    let new = codegen::Spec::parse(DEFAULT_SPEC, &new_text)
        .with_context(|| format!("reading {}", new_path.display()))?;

    // The report, as the regenerated crate will be: the renames kept as aliases.
    let mut options = atlas_options(&root)?;
    options.former_names = None;
    let unchanged = |e: anyhow::Error| {
        e.context(format!(
            "{} does not generate; nothing was changed",
            new_path.display()
        ))
    };
    let renames = codegen::diff::renames_between(&old, &new, &options)
        .context("finding the renamed operations and types")
        .map_err(unchanged)?;
    let report = codegen::diff::diff_specs(&old, &new, &options, false)
        .context("comparing the documents")
        .map_err(unchanged)?
        .keeping(&renames);
    let manifest_path = root.join(DEFAULT_CRATE).join("Cargo.toml");
    let current = crate_version(&manifest_path)?;
    let next = report.next_version(&current).unwrap_or(current.clone());

    // Generate first, keeping the new renames: nothing is written unless it works.
    let crate_args = CrateArgs::default();
    let job = Job {
        spec: &spec_path,
        spec_name: DEFAULT_SPEC,
        out: &root.join(DEFAULT_CRATE),
        command: "cargo xtask codegen",
        args: &crate_args,
    };
    let keeping = codegen::Options {
        former_names: (!renames.is_empty()).then(|| renames.clone()),
        ..options.clone()
    };
    let sdk = sdk_output(&root, new, &job, keeping, &Strict::default()).with_context(|| {
        format!(
            "{} does not generate; nothing was changed",
            new_path.display()
        )
    })?;
    let former_names = former_names_toml(&renames)?;

    let title = new_path.file_name().map_or_else(
        || "the new document".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let changelog_path = root.join(CHANGELOG);
    let changelog = fs::read_to_string(&changelog_path)
        .with_context(|| format!("reading {}", changelog_path.display()))?;
    let entry = changelog_entry(&title, &report, &current, &next);
    let changelog = with_unreleased_entry(&changelog, &entry);

    write_file_atomically(&spec_path, &new_text)?;
    write_file_atomically(&root.join(FORMER_NAMES), &former_names)?;
    let wrote = crate::codegen::write_sdk(&sdk)?;
    write_file_atomically(&changelog_path, &changelog)?;
    set_version(&root, &current, &next)?;
    println!("{wrote}");
    println!(
        "{DEFAULT_SPEC} is now {title}: {} breaking, {} compatible change(s); {} operation and {} type rename(s) kept as deprecated aliases ({FORMER_NAMES}); version {current} → {next}; the report is in {CHANGELOG} under \"Unreleased\".",
        report
            .changes
            .iter()
            .filter(|c| c.impact == codegen::diff::Impact::Breaking)
            .count(),
        report
            .changes
            .iter()
            .filter(|c| c.impact != codegen::diff::Impact::Breaking)
            .count(),
        renames.operations.len(),
        renames.types.len(),
    );
    Ok(ExitCode::SUCCESS)
}

/// The former names `cargo xtask codegen` keeps as aliases, from `spec/former-names.toml`
/// (`None` when there is no such file, or it lists nothing).
pub(crate) fn read_former_names(path: &Path) -> Result<Option<codegen::diff::Renames>> {
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(None);
    };
    let renames: codegen::diff::Renames = toml::from_str(&text)
        .with_context(|| format!("{} is not a rename table", path.display()))?;
    Ok((!renames.is_empty()).then_some(renames))
}

fn former_names_toml(renames: &codegen::diff::Renames) -> Result<String> {
    let table = toml::to_string(renames).context("writing the rename table")?;
    Ok(format!(
        "# The previous release's names of operations and types the current document renamed:\n\
         # `cargo xtask codegen` keeps them as deprecated aliases for one release. Written by\n\
         # `cargo xtask update-spec`; the next update replaces it.\n\n{table}"
    ))
}

/// The `version` of `[package]` in a manifest.
fn crate_version(manifest: &Path) -> Result<String> {
    let table = crate::builds::read_manifest(manifest)?;
    table
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("{} names no package version", manifest.display()))
}

/// The CHANGELOG section for this update: the diff's report and the version it calls for.
fn changelog_entry(
    title: &str,
    report: &codegen::diff::Report,
    current: &str,
    next: &str,
) -> String {
    let body = codegen::diff::render_markdown(report);
    // The report's own headings sit one level below the entry's.
    let body = body
        .lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("##{l}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "### API document: {title} (`cargo xtask update-spec`)\n\nVersion {current} → **{next}**. Renamed operations and types keep their old names as deprecated aliases for this release.\n\n{}\n\n",
        body.trim()
    )
}

/// `changelog` with `entry` first under its "## Unreleased" heading (one is added above the
/// first release's heading when there is none).
fn with_unreleased_entry(changelog: &str, entry: &str) -> String {
    if let Some(at) = changelog.find(&format!("\n{UNRELEASED}")) {
        let heading_end = changelog[at + 1..]
            .find('\n')
            .map_or(changelog.len(), |e| at + 1 + e + 1);
        // The blank line after the heading is the entry's; the entry ends with its own.
        let rest = &changelog[heading_end..];
        return format!(
            "{}\n{entry}{}",
            &changelog[..heading_end],
            rest.strip_prefix('\n').unwrap_or(rest)
        );
    }
    match changelog.find("\n## ") {
        Some(at) => format!(
            "{}{UNRELEASED}\n\n{entry}{}",
            &changelog[..=at],
            &changelog[at + 1..]
        ),
        None => format!("{changelog}\n{UNRELEASED}\n\n{entry}"),
    }
}

/// Sets atlas-sdk's version where the workspace names it: its manifest, the workspace's
/// dependency on it, and the lock file.
fn set_version(root: &Path, current: &str, next: &str) -> Result<()> {
    if current == next {
        return Ok(());
    }
    let edits = [
        (
            root.join(DEFAULT_CRATE).join("Cargo.toml"),
            "name = \"mongodb-atlas-sdk\"",
            "version = ",
        ),
        (
            root.join("Cargo.toml"),
            "package = \"mongodb-atlas-sdk\"",
            "version = ",
        ),
        (
            root.join("Cargo.lock"),
            "name = \"mongodb-atlas-sdk\"",
            "version = ",
        ),
    ];
    for (path, anchor, key) in edits {
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        let Some(at) = text.find(anchor) else {
            bail!("{} does not name mongodb-atlas-sdk", path.display());
        };
        let old = format!("{key}\"{current}\"");
        let Some(offset) = text[at..].find(&old) else {
            bail!(
                "{} does not give mongodb-atlas-sdk the version {current}",
                path.display()
            );
        };
        let start = at + offset;
        let updated = format!(
            "{}{key}\"{next}\"{}",
            &text[..start],
            &text[start + old.len()..]
        );
        write_file_atomically(&path, &updated)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_goes_first_under_unreleased() {
        let log = "# Changelog\n\nIntro.\n\n## Unreleased — things\n\nOld entry.\n\n## 0.2.0\n";
        assert_eq!(
            with_unreleased_entry(log, "### New\n\n"),
            "# Changelog\n\nIntro.\n\n## Unreleased — things\n\n### New\n\nOld entry.\n\n## 0.2.0\n"
        );
        let released = "# Changelog\n\n## 0.2.0\n\nDone.\n";
        assert_eq!(
            with_unreleased_entry(released, "### New\n\n"),
            "# Changelog\n\n## Unreleased\n\n### New\n\n## 0.2.0\n\nDone.\n"
        );
    }
}
