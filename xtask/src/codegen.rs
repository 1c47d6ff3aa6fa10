//! `cargo xtask codegen`: spec file → generated modules, written atomically, or compared.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::{shown_path, user_path};

/// Where the shipped SDK's spec and generated modules live, relative to the workspace root.
pub(crate) const DEFAULT_SPEC: &str = "spec/atlas-api.yaml";
pub(crate) const DEFAULT_OUT: &str = "atlas-sdk/src/generated";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// OpenAPI 3.0 document (YAML or JSON) [default: spec/atlas-api.yaml in the workspace].
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Directory the generated modules go to; it is replaced as a whole [default:
    /// atlas-sdk/src/generated in the workspace].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Compare instead of writing: print a diff and fail when the files on disk are stale.
    #[arg(long)]
    check: bool,
    /// Do not emit `impl atlas_sdk::Client` tag accessors (needed when `--out` is outside the
    /// atlas-sdk crate; use `<Tag>::new(client)` there).
    #[arg(long)]
    no_client_accessors: bool,
    /// `YYYY-MM-DD`: use, per operation, the newest API version not later than this date
    /// (default: the newest). Operations without such a version are left out and reported.
    #[arg(long)]
    api_version: Option<String>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let spec_path = user_path(args.spec.as_deref(), DEFAULT_SPEC);
    let out = user_path(args.out.as_deref(), DEFAULT_OUT);
    let files = generate(&spec_path, !args.no_client_accessors, args.api_version)?;
    if args.check {
        return check(&out, &files);
    }
    write_atomically(&out, &files)?;
    println!(
        "generated {} files into {} from {}",
        files.len(),
        out.display(),
        spec_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs the generator on the spec at `spec_path`.
pub(crate) fn generate(
    spec_path: &Path,
    client_accessors: bool,
    api_version: Option<String>,
) -> Result<BTreeMap<String, String>> {
    let text = fs::read_to_string(spec_path)
        .with_context(|| format!("reading the spec {}", spec_path.display()))?;
    let spec = codegen::Spec::parse(&shown_path(spec_path, spec_path), &text)?;
    let mut command = "cargo xtask codegen".to_owned();
    if let Some(version) = &api_version {
        command.push_str(&format!(" --api-version {version}"));
    }
    let options = codegen::Options {
        client_accessors,
        api_version,
        command,
        ..codegen::Options::default()
    };
    let output = codegen::generate(&spec, &options)?;
    for diagnostic in &output.diagnostics {
        eprintln!("note: {}: {}", diagnostic.pointer, diagnostic.message);
    }
    Ok(output.files)
}

/// Reads every file under `dir` (relative path → contents); empty if `dir` does not exist.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("listing {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .context("path outside the output directory")?
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                files.insert(relative, text);
            }
        }
    }
    Ok(files)
}

fn check(out: &Path, expected: &BTreeMap<String, String>) -> Result<ExitCode> {
    let actual = read_tree(out)?;
    let mut stale = 0;
    for (path, want) in expected {
        match actual.get(path) {
            Some(have) if have == want => {}
            Some(have) => {
                stale += 1;
                let diff = similar::TextDiff::from_lines(have.as_str(), want.as_str());
                print!(
                    "{}",
                    diff.unified_diff().context_radius(3).header(
                        &format!("a/{path} (on disk)"),
                        &format!("b/{path} (generated)")
                    )
                );
            }
            None => {
                stale += 1;
                println!("missing: {path} (the generator now produces it)");
            }
        }
    }
    for path in actual.keys().filter(|p| !expected.contains_key(*p)) {
        stale += 1;
        println!("extra: {path} (the generator no longer produces it)");
    }
    if stale == 0 {
        println!("{} is up to date ({} files)", out.display(), expected.len());
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!(
        "{stale} generated file(s) in {} are stale. Run `cargo xtask codegen`, review the diff and the snapshot changes (`cargo insta review`), and commit them.",
        out.display()
    );
    Ok(ExitCode::FAILURE)
}

/// Replaces `out` with exactly `files`: everything is written to a sibling directory first
/// and swapped in with renames, so a failure leaves the previous output untouched.
fn write_atomically(out: &Path, files: &BTreeMap<String, String>) -> Result<()> {
    let parent = out
        .parent()
        .with_context(|| format!("{} has no parent directory", out.display()))?;
    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".codegen-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a staging directory in {}", parent.display()))?;
    for (relative, text) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let staged = staging.keep();
    let backup = parent.join(format!(
        ".codegen-old-{}",
        out.file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy())
    ));
    if backup.exists() {
        fs::remove_dir_all(&backup).with_context(|| format!("removing {}", backup.display()))?;
    }
    if out.exists() {
        if !out.is_dir() {
            bail!("{} exists and is not a directory", out.display());
        }
        fs::rename(out, &backup).with_context(|| format!("moving {} aside", out.display()))?;
    }
    if let Err(error) = fs::rename(&staged, out) {
        // Put the previous output back before reporting.
        if backup.exists() {
            let _ = fs::rename(&backup, out);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(error).with_context(|| format!("moving the new output into {}", out.display()));
    }
    if backup.exists() {
        fs::remove_dir_all(&backup).with_context(|| format!("removing {}", backup.display()))?;
    }
    Ok(())
}
