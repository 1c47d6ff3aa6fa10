//! `cargo xtask codegen`: spec file → generated modules, written (only what changed), or compared.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::{shown_path, thousands, user_path};

/// Where the shipped SDK's spec and crate live, relative to the workspace root.
pub(crate) const DEFAULT_SPEC: &str = "spec/atlas-api.yaml";
pub(crate) const DEFAULT_CRATE: &str = "atlas-sdk";
/// The generated modules inside a crate.
pub(crate) const GENERATED_DIR: &str = "src/generated";
pub(crate) const DEFAULT_OUT: &str = "atlas-sdk/src/generated";
/// Marks the generated part of `atlas-sdk/Cargo.toml`'s `[features]`.
const FEATURES_BEGIN: &str = "# @generated begin: one feature per API tag (cargo xtask codegen)\n";
const FEATURES_END: &str = "# @generated end\n";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// OpenAPI 3.0 document (YAML or JSON) [default: spec/atlas-api.yaml in the workspace].
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate to generate [default: atlas-sdk in the workspace]. The atlas-sdk crate gets
    /// `src/generated/` and the feature list in its `Cargo.toml`; any other directory is
    /// replaced by a standalone crate (`Cargo.toml`, `src/lib.rs`, `src/generated/`) that
    /// uses this workspace's atlas-sdk as its runtime.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Package name of a standalone crate.
    #[arg(long, default_value = "atlas-sdk-generated")]
    name: String,
    /// Compare instead of writing: print a diff and fail when the files on disk are stale.
    #[arg(long)]
    check: bool,
    /// `YYYY-MM-DD`: use, per operation, the newest API version not later than this date
    /// (default: the newest). Operations without such a version are left out and reported.
    #[arg(long)]
    api_version: Option<String>,
    /// For a standalone crate: also write `examples/conformance.rs`, which calls every
    /// operation once against a validating mock server (see `cargo xtask conformance`).
    #[arg(long)]
    conformance: bool,
    /// Also write the coverage report (and the generator's notes) as JSON to this file.
    #[arg(long)]
    coverage_json: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let spec_path = user_path(args.spec.as_deref(), DEFAULT_SPEC);
    let out = user_path(args.out.as_deref(), DEFAULT_CRATE);
    let runtime = crate::workspace_root().join(DEFAULT_CRATE);
    let in_place = is_same_dir(&out, &runtime);
    let accessors = if in_place {
        codegen::Accessors::Inherent
    } else {
        codegen::Accessors::Trait
    };
    let output = generate(&spec_path, accessors, args.api_version)?;
    print_coverage(&output);
    if let Some(path) = &args.coverage_json {
        let report = serde_json::json!({
            "spec": spec_path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "coverage": output.coverage,
            "notes": output.diagnostics.iter().map(|d| serde_json::json!({"pointer": d.pointer, "message": d.message})).collect::<Vec<_>>(),
        });
        let text = serde_json::to_string_pretty(&report)? + "\n";
        fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    if in_place {
        let generated = out.join(GENERATED_DIR);
        let manifest_path = out.join("Cargo.toml");
        let manifest = fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let new_manifest = with_features(&manifest, &output.features_toml())
            .with_context(|| format!("updating the features of {}", manifest_path.display()))?;
        if args.check {
            let files = check(&generated, &output.files)?;
            let manifest_ok = new_manifest == manifest;
            if !manifest_ok {
                eprintln!(
                    "the feature list in {} is stale. Run `cargo xtask codegen` and commit it.",
                    manifest_path.display()
                );
            }
            return Ok(if files && manifest_ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        let synced = sync_tree(&generated, &output.files)?;
        let features = if new_manifest != manifest {
            write_file_atomically(&manifest_path, &new_manifest)?;
            "; updated the features in Cargo.toml"
        } else {
            ""
        };
        println!(
            "generated {} files into {} from {}: {synced}{features}",
            thousands(output.files.len() as u64),
            generated.display(),
            spec_path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut files = standalone_crate(&args.name, &runtime, &output)?;
    if args.conformance {
        add_conformance(&mut files, &spec_path, &args.name)?;
    }
    if args.check {
        return Ok(if check(&out, &files)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let synced = sync_tree(&out, &files)?;
    println!(
        "generated crate `{}` ({} files) into {} from {}: {synced}",
        args.name,
        thousands(files.len() as u64),
        out.display(),
        spec_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn is_same_dir(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn print_coverage(output: &codegen::Output) {
    let c = &output.coverage;
    eprintln!(
        "coverage: {}/{} operations, {}/{} component schemas (+{} inline types), {} values typed as JSON, {} notes",
        c.operations_generated,
        c.operations_in_spec,
        c.schemas_generated,
        c.schemas_in_spec,
        c.inline_types,
        c.loose.len(),
        output.diagnostics.len()
    );
    for loose in &c.loose {
        eprintln!(
            "  loose: {}: {} ({})",
            loose.pointer, loose.representation, loose.reason
        );
    }
}

/// `manifest` with the generated feature lines between the markers replaced by `features`.
fn with_features(manifest: &str, features: &str) -> Result<String> {
    let begin = manifest
        .find(FEATURES_BEGIN)
        .with_context(|| format!("no `{}` line", FEATURES_BEGIN.trim_end()))?;
    let body = begin + FEATURES_BEGIN.len();
    let end = manifest[body..]
        .find(FEATURES_END)
        .map(|e| body + e)
        .with_context(|| format!("no `{}` line", FEATURES_END.trim_end()))?;
    Ok(format!(
        "{}{features}{}",
        &manifest[..body],
        &manifest[end..]
    ))
}

/// A crate of its own around the generated modules, using `runtime` (the atlas-sdk crate)
/// by path.
pub(crate) fn standalone_crate(
    name: &str,
    runtime: &Path,
    output: &codegen::Output,
) -> Result<BTreeMap<String, String>> {
    let runtime = fs::canonicalize(runtime)
        .with_context(|| format!("finding the runtime crate {}", runtime.display()))?;
    let runtime = runtime.to_string_lossy().replace('\\', "/");
    let manifest = format!(
        "# @generated by `cargo xtask codegen --out`. Do not edit.\n\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\ndescription = \"Generated MongoDB Atlas Administration API client\"\n\n[dependencies]\natlas-sdk = {{ path = \"{runtime}\", default-features = false, features = [\"rustls\"] }}\n\n[features]\ndefault = [\"full\"]\n{}\n# A crate of its own, not a member of the workspace it was generated from.\n[workspace]\n",
        output.features_toml()
    );
    let lib = "// @generated by `cargo xtask codegen --out`. Do not edit.\n\n//! MongoDB Atlas Administration API, generated. `atlas_sdk` provides the client; `use ClientExt`\n//! for `client.<tag>()`. Each tag is a Cargo feature; `full` (the default) enables all.\n\npub use atlas_sdk;\npub use atlas_sdk::{Client, Error, Nullable};\n\n#[rustfmt::skip]\npub mod generated;\npub use generated::*;\n";
    let mut files: BTreeMap<String, String> = output
        .files
        .iter()
        .map(|(path, text)| (format!("{GENERATED_DIR}/{path}"), text.clone()))
        .collect();
    files.insert("Cargo.toml".to_owned(), manifest);
    files.insert("src/lib.rs".to_owned(), lib.to_owned());
    Ok(files)
}

/// Adds the conformance program and the dev-dependency it needs.
fn add_conformance(
    files: &mut BTreeMap<String, String>,
    spec_path: &Path,
    name: &str,
) -> Result<()> {
    let text = fs::read_to_string(spec_path)
        .with_context(|| format!("reading the spec {}", spec_path.display()))?;
    let spec = codegen::Spec::parse(&shown_path(spec_path, spec_path), &text)?;
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        ..codegen::Options::default()
    };
    let program = codegen::conformance_program(&spec, &options, name)?;
    files.insert("examples/conformance.rs".to_owned(), program);
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str(
            "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n",
        );
    }
    Ok(())
}

/// Runs the generator on the spec at `spec_path`.
pub(crate) fn generate(
    spec_path: &Path,
    accessors: codegen::Accessors,
    api_version: Option<String>,
) -> Result<codegen::Output> {
    let text = fs::read_to_string(spec_path)
        .with_context(|| format!("reading the spec {}", spec_path.display()))?;
    let spec = codegen::Spec::parse(&shown_path(spec_path, spec_path), &text)?;
    let mut command = "cargo xtask codegen".to_owned();
    if let Some(version) = &api_version {
        command.push_str(&format!(" --api-version {version}"));
    }
    let options = codegen::Options {
        accessors,
        api_version,
        command,
        ..codegen::Options::default()
    };
    let output = codegen::generate(&spec, &options)?;
    for diagnostic in &output.diagnostics {
        eprintln!("note: {}: {}", diagnostic.pointer, diagnostic.message);
    }
    Ok(output)
}

/// Writes `path` through a temporary sibling and a rename.
fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let file = temp_sibling(path)?;
    write_temp(file, path, text)?
        .persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

/// An empty temporary file in `target`'s directory, named `.{name}.XXXXXX.codegen-tmp`:
/// hidden, and recognisable should a killed run leave it behind.
fn temp_sibling(target: &Path) -> Result<tempfile::NamedTempFile> {
    let dir = target
        .parent()
        .with_context(|| format!("{} has no parent directory", target.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".codegen-tmp");
    // `tempfile` makes files only their owner can read (0600); a generated file gets the
    // mode any new file gets (0666 less the umask), as `fs::write` would give it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))
}

/// Writes `text` into `file` and closes it (thousands of staged files must not hold
/// thousands of descriptors), keeping only its path, which still deletes it when dropped.
fn write_temp(
    mut file: tempfile::NamedTempFile,
    target: &Path,
    text: &str,
) -> Result<tempfile::TempPath> {
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {} for {}", file.path().display(), target.display()))?;
    Ok(file.into_temp_path())
}

/// Every file under `dir` that belongs to the generated tree (relative path with `/` →
/// path); empty if `dir` does not exist.
///
/// `target` and `Cargo.lock` are skipped at any depth: the build output and lock file of a
/// generated crate are not generated files, and must survive regeneration. Entries are
/// classified without following symbolic links, so a link is listed as a file and never
/// walked into: nothing outside `dir` is read as part of the tree or removed as stale.
fn list_tree(dir: &Path) -> Result<BTreeMap<String, PathBuf>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in
            fs::read_dir(&current).with_context(|| format!("listing {}", current.display()))?
        {
            let entry = entry.with_context(|| format!("listing {}", current.display()))?;
            let name = entry.file_name();
            if name == "target" || name == "Cargo.lock" {
                continue;
            }
            let path = entry.path();
            let kind = entry
                .file_type()
                .with_context(|| format!("reading the type of {}", path.display()))?;
            if kind.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .context("path outside the output directory")?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, path);
            }
        }
    }
    Ok(files)
}

/// Reads every file of the generated tree under `dir` (see [`list_tree`]).
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>> {
    list_tree(dir)?
        .into_iter()
        .map(|(relative, path)| {
            let text =
                fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            Ok((relative, text))
        })
        .collect()
}

/// Whether `out` holds exactly `expected`; prints a diff when not.
fn check(out: &Path, expected: &BTreeMap<String, String>) -> Result<bool> {
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
        return Ok(true);
    }
    eprintln!(
        "{stale} generated file(s) in {} are stale. Run `cargo xtask codegen`, review the diff and the snapshot changes (`cargo insta review`), and commit them.",
        out.display()
    );
    Ok(false)
}

/// What [`sync_tree`] did to the output directory.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Synced {
    /// Files created or replaced.
    pub written: usize,
    /// Files removed because the generator no longer produces them.
    pub removed: usize,
    /// Files that already held the generated bytes, left alone.
    pub unchanged: usize,
}

impl fmt::Display for Synced {
    /// `wrote 3 files, removed 1, 1,941 unchanged`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = |n: usize| thousands(n as u64);
        write!(
            f,
            "wrote {} {}, removed {}, {} unchanged",
            count(self.written),
            if self.written == 1 { "file" } else { "files" },
            count(self.removed),
            count(self.unchanged)
        )
    }
}

/// Makes the generated tree under `out` exactly `files` (relative path → contents), writing
/// only what differs, in two phases:
///
/// 1. Stage: each new or changed file is written to a hidden temporary sibling in its final
///    directory (missing directories, `out` included, are created). Unchanged files (same
///    bytes) are not written at all, so their inode and mtime stay as they were, which
///    keeps cargo's incremental builds and open editors undisturbed.
/// 2. Commit: each temporary file is renamed over its target, then the files the generator
///    no longer produces are removed, then the directories that removal left empty.
///
/// Guaranteed: if anything fails before the commit (reading the previous tree, creating a
/// directory or temporary file, writing it, a file to be written where a directory is, a
/// path generated both as a file and as a directory), the previous tree is untouched: the
/// temporary files and the directories this call created are removed (best effort) and the
/// error is returned. `target/` and `Cargo.lock`, at any depth, are never removed, nor
/// replaced unless `files` names them. `out` existing as something other than a directory
/// is an error.
///
/// Not guaranteed: the commit is a series of renames and removals, not one atomic step. A
/// reader during it sees a mix of old and new files, and a failure or crash in it (a rename
/// refused, the process killed) leaves such a mix; rerunning finishes the job, and removes
/// any `.*.codegen-tmp` file a killed run left, like any other file not generated. Nothing
/// is fsynced, so after a power loss recently written files may be empty.
pub(crate) fn sync_tree(out: &Path, files: &BTreeMap<String, String>) -> Result<Synced> {
    match fs::metadata(out) {
        Ok(meta) if !meta.is_dir() => bail!("{} exists and is not a directory", out.display()),
        Ok(_) => {}
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error).with_context(|| format!("reading {}", out.display())),
    }
    // Listed before staging, so that this call's temporary files are not taken for stale.
    let existing = list_tree(out)?;

    // Stage. Returning early drops `staging`, which undoes everything it did.
    let mut staging = Staging::new(out);
    staging.ensure_dir(out)?;
    let mut unchanged = 0;
    for (relative, text) in files {
        // Both `x` and `x/y` generated: the rename of `x` would fail in the commit, too late.
        if let Some((dir, _)) = relative
            .match_indices('/')
            .map(|(end, _)| relative.split_at(end))
            .find(|(dir, _)| files.contains_key(*dir))
        {
            bail!("the generator writes {dir} both as a file and as the directory of {relative}");
        }
        let target = out.join(relative);
        // Every file's directory, unchanged files' too: the check that no file stands where a
        // directory is needed must come before anything is compared or written.
        let dir = target
            .parent()
            .with_context(|| format!("{} has no parent directory", target.display()))?;
        staging.ensure_dir(dir)?;
        match fs::symlink_metadata(&target) {
            // Comparing lengths first spares reading most changed files.
            Ok(meta) if meta.is_file() && meta.len() == text.len() as u64 => {
                let current =
                    fs::read(&target).with_context(|| format!("reading {}", target.display()))?;
                if current == text.as_bytes() {
                    unchanged += 1;
                    continue;
                }
            }
            // A rename cannot replace a directory with a file: fail now, while it is free.
            Ok(meta) if meta.is_dir() => bail!(
                "{} is a directory, but the generator writes a file there",
                target.display()
            ),
            // A file with other contents, or a symbolic link: replaced by the new file.
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("reading {}", target.display()));
            }
        }
        staging.stage(target, text)?;
    }

    // Commit.
    let written = staging.commit()?;
    let mut removed = 0;
    let mut emptied = BTreeSet::new();
    for (relative, path) in &existing {
        if files.contains_key(relative) {
            continue;
        }
        fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        removed += 1;
        emptied.extend(
            path.ancestors()
                .skip(1)
                .take_while(|dir| *dir != out && dir.starts_with(out))
                .map(Path::to_owned),
        );
    }
    // A directory sorts before everything inside it, so in reverse order each comes after
    // its subdirectories, and a directory that held only emptied ones goes too. Those that
    // still hold something (a `target/`, a generated file) stay.
    for dir in emptied.iter().rev() {
        match fs::remove_dir(dir) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::DirectoryNotEmpty => {}
            Err(error) => {
                return Err(error).with_context(|| format!("removing {}", dir.display()));
            }
        }
    }
    Ok(Synced {
        written,
        removed,
        unchanged,
    })
}

/// The stage phase of [`sync_tree`]: temporary files and created directories, removed again
/// when dropped (after a failure) unless committed.
struct Staging {
    out: PathBuf,
    /// Temporary files, each with the path it replaces.
    temps: Vec<(tempfile::TempPath, PathBuf)>,
    /// Directories this call created, parents first.
    created: Vec<PathBuf>,
    /// Directories known to exist, so each is looked at once, not once per file.
    known: HashSet<PathBuf>,
}

impl Staging {
    fn new(out: &Path) -> Self {
        Self {
            out: out.to_owned(),
            temps: Vec::new(),
            created: Vec::new(),
            known: HashSet::new(),
        }
    }

    /// Writes `text` to a temporary sibling of `target`, whose directory exists.
    fn stage(&mut self, target: PathBuf, text: &str) -> Result<()> {
        let temp = write_temp(temp_sibling(&target)?, &target, text)?;
        self.temps.push((temp, target));
        Ok(())
    }

    /// Makes sure `dir` is a directory, creating it and its missing parents one by one (not
    /// with `create_dir_all`) so that each can be removed again.
    fn ensure_dir(&mut self, dir: &Path) -> Result<()> {
        let mut missing = Vec::new();
        let mut current = dir;
        while !self.known.contains(current) {
            // Below `out` a symbolic link does not count as a directory: files written through
            // it would land outside the tree that `list_tree` sees. `out` and its parents may
            // be links.
            let below_out = current != self.out && current.starts_with(&self.out);
            let meta = if below_out {
                fs::symlink_metadata(current)
            } else {
                fs::metadata(current)
            };
            match meta {
                Ok(meta) if meta.is_dir() => {
                    self.known.insert(current.to_owned());
                    break;
                }
                Ok(_) => bail!(
                    "{} is not a directory, but generated files go inside it",
                    current.display()
                ),
                Err(error) if error.kind() == io::ErrorKind::NotFound => missing.push(current),
                Err(error) => {
                    return Err(error).with_context(|| format!("reading {}", current.display()));
                }
            }
            match current.parent() {
                // A relative path's last parent is empty: the current directory, which exists.
                Some(parent) if !parent.as_os_str().is_empty() => current = parent,
                _ => break,
            }
        }
        for dir in missing.into_iter().rev() {
            fs::create_dir(dir).with_context(|| format!("creating {}", dir.display()))?;
            self.created.push(dir.to_owned());
            self.known.insert(dir.to_owned());
        }
        Ok(())
    }

    /// Renames every temporary file over its target; returns how many there were.
    fn commit(mut self) -> Result<usize> {
        let temps = std::mem::take(&mut self.temps);
        let count = temps.len();
        // On failure the temporary files not yet renamed are deleted as they drop, and `drop`
        // removes the created directories that no renamed file went into.
        for (temp, target) in temps {
            temp.persist(&target)
                .with_context(|| format!("replacing {}", target.display()))?;
        }
        // Every created directory now holds a committed file, or is `out` itself.
        self.created.clear();
        Ok(count)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Best effort: this runs while an error is already on its way to the user, and a
        // leftover temporary file or empty directory is harmless (the next successful run
        // removes it). Each `TempPath` deletes its file as it drops.
        self.temps.clear();
        for dir in self.created.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(path, text)| ((*path).to_owned(), (*text).to_owned()))
            .collect()
    }

    /// Everything under `dir`, hidden entries and directories included (`None` for a
    /// directory), so that any leftover shows up.
    fn snapshot(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
        let mut entries = BTreeMap::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(current) = stack.pop() {
            for entry in fs::read_dir(&current).unwrap() {
                let path = entry.unwrap().path();
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if fs::symlink_metadata(&path).unwrap().is_dir() {
                    entries.insert(relative, None);
                    stack.push(path);
                } else {
                    entries.insert(relative, Some(fs::read(&path).unwrap()));
                }
            }
        }
        entries
    }

    /// A tree written by `sync_tree` itself, as a previous regeneration left it.
    fn previous(pairs: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        sync_tree(dir.path(), &files(pairs)).unwrap();
        dir
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let out = previous(&[("mod.rs", "pub mod a;\n"), ("a/mod.rs", "// a\n")]);
        // An mtime far in the past: any rewrite, however quick, would move it to now.
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let mut before = Vec::new();
        for name in ["mod.rs", "a/mod.rs"] {
            let path = out.path().join(name);
            fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(old)
                .unwrap();
            before.push(fs::metadata(&path).unwrap());
        }

        let synced = sync_tree(
            out.path(),
            &files(&[
                ("mod.rs", "pub mod a;\n"),
                ("a/mod.rs", "// a\n"),
                ("b.rs", "// new\n"),
            ]),
        )
        .unwrap();

        assert_eq!(
            synced,
            Synced {
                written: 1,
                removed: 0,
                unchanged: 2
            }
        );
        for (name, before) in ["mod.rs", "a/mod.rs"].into_iter().zip(before) {
            let after = fs::metadata(out.path().join(name)).unwrap();
            assert_eq!(after.modified().unwrap(), old, "{name} was rewritten");
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt as _;
                assert_eq!(after.ino(), before.ino(), "{name} was replaced");
            }
            #[cfg(not(unix))]
            let _ = before;
        }
    }

    #[test]
    fn changed_and_new_files_get_their_contents() {
        let out = previous(&[("mod.rs", "pub mod a;\n"), ("a/mod.rs", "// a\n")]);
        let synced = sync_tree(
            out.path(),
            &files(&[
                ("mod.rs", "pub mod a;\n"),
                // Same length, other bytes: the length check alone must not call it unchanged.
                ("a/mod.rs", "// b\n"),
                ("a/deep/er/new.rs", "// new\n"),
            ]),
        )
        .unwrap();
        assert_eq!(
            synced,
            Synced {
                written: 2,
                removed: 0,
                unchanged: 1
            }
        );
        assert_eq!(
            snapshot(out.path()),
            BTreeMap::from([
                ("a".to_owned(), None),
                ("a/deep".to_owned(), None),
                ("a/deep/er".to_owned(), None),
                ("a/deep/er/new.rs".to_owned(), Some(b"// new\n".to_vec())),
                ("a/mod.rs".to_owned(), Some(b"// b\n".to_vec())),
                ("mod.rs".to_owned(), Some(b"pub mod a;\n".to_vec())),
            ])
        );
    }

    #[test]
    fn stale_files_and_the_directories_they_leave_empty_are_removed() {
        let out = previous(&[
            ("mod.rs", "// root\n"),
            ("gone/mod.rs", "// gone\n"),
            ("gone/deeper/x.rs", "// gone too\n"),
            ("mixed/kept.rs", "// kept\n"),
            ("mixed/stale.rs", "// stale\n"),
        ]);
        let synced = sync_tree(
            out.path(),
            &files(&[("mod.rs", "// root\n"), ("mixed/kept.rs", "// kept\n")]),
        )
        .unwrap();
        assert_eq!(
            synced,
            Synced {
                written: 0,
                removed: 3,
                unchanged: 2
            }
        );
        assert_eq!(
            snapshot(out.path()),
            BTreeMap::from([
                ("mixed".to_owned(), None),
                ("mixed/kept.rs".to_owned(), Some(b"// kept\n".to_vec())),
                ("mod.rs".to_owned(), Some(b"// root\n".to_vec())),
            ])
        );
    }

    #[test]
    fn target_and_cargo_lock_survive() {
        let out = previous(&[("Cargo.toml", "[package]\n"), ("sub/gone.rs", "// gone\n")]);
        let kept = [
            "Cargo.lock",
            "target/debug/build.bin",
            "sub/Cargo.lock",
            "sub/target/x",
        ];
        for path in kept {
            let path = out.path().join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, "not generated").unwrap();
        }
        let synced = sync_tree(
            out.path(),
            &files(&[("Cargo.toml", "[package]\nname = \"x\"\n")]),
        )
        .unwrap();
        assert_eq!(
            synced,
            Synced {
                written: 1,
                removed: 1,
                unchanged: 0
            }
        );
        for path in kept {
            assert_eq!(
                fs::read_to_string(out.path().join(path)).unwrap(),
                "not generated",
                "{path}"
            );
        }
        assert!(!out.path().join("sub/gone.rs").exists());
    }

    #[test]
    fn a_failure_while_staging_leaves_the_previous_tree_untouched() {
        let out = previous(&[
            ("a.rs", "// a\n"),
            ("b/c.rs", "// c\n"),
            ("stale.rs", "// stale\n"),
            ("z.rs", "// z\n"),
        ]);
        fs::write(out.path().join("Cargo.lock"), "# lock\n").unwrap();
        let before = snapshot(out.path());

        // In path order, everything before `z.rs/oops.rs` is staged (two changed files, two
        // new ones in new directories) before creating the directory `z.rs` fails, as it is
        // a file.
        let error = sync_tree(
            out.path(),
            &files(&[
                ("a.rs", "// a, changed\n"),
                ("b/c.rs", "// c, changed\n"),
                ("b/new/d.rs", "// d\n"),
                ("new/e.rs", "// e\n"),
                ("z.rs/oops.rs", "// cannot be\n"),
            ]),
        )
        .unwrap_err();

        assert!(
            format!("{error:#}").contains("z.rs is not a directory"),
            "{error:#}"
        );
        // Byte for byte, with no temporary file or created directory left.
        assert_eq!(snapshot(out.path()), before);
    }

    #[test]
    fn a_directory_where_a_file_goes_fails_before_anything_is_written() {
        let out = previous(&[("a.rs", "// a\n"), ("m/inner.rs", "// inner\n")]);
        let before = snapshot(out.path());
        let error = sync_tree(
            out.path(),
            &files(&[("a.rs", "// a, changed\n"), ("m", "// a file now\n")]),
        )
        .unwrap_err();
        assert!(format!("{error:#}").contains("is a directory"), "{error:#}");
        assert_eq!(snapshot(out.path()), before);
    }

    #[test]
    fn a_missing_output_directory_is_created_and_removed_again_on_failure() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("new/crate");
        // `x/a` and `x/f` are staged (creating `new`, `new/crate` and `new/crate/x`) before
        // `x/f/g` turns out impossible.
        let error = sync_tree(
            &out,
            &files(&[("x/a", "// a\n"), ("x/f", "bad"), ("x/f/g", "bad")]),
        )
        .unwrap_err();
        assert!(
            format!("{error:#}").contains("x/f both as a file and as the directory of x/f/g"),
            "{error:#}"
        );
        assert!(snapshot(base.path()).is_empty());

        let synced = sync_tree(&out, &files(&[("src/lib.rs", "// lib\n")])).unwrap();
        assert_eq!(synced.written, 1);
        assert_eq!(
            fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// lib\n"
        );
    }

    #[test]
    fn an_output_path_that_is_a_file_is_an_error() {
        let base = tempfile::tempdir().unwrap();
        let out = base.path().join("file");
        fs::write(&out, "x").unwrap();
        let error = sync_tree(&out, &files(&[("a.rs", "")])).unwrap_err();
        assert!(
            error.to_string().contains("is not a directory"),
            "{error:#}"
        );
        assert_eq!(fs::read_to_string(&out).unwrap(), "x");
    }

    /// Staged through `tempfile`, whose files are private (0600) unless told otherwise.
    #[cfg(unix)]
    #[test]
    fn written_files_get_the_mode_of_any_new_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let out = previous(&[("a.rs", "// a\n")]);
        let plain = out.path().join("plain");
        fs::write(&plain, "").unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode(&out.path().join("a.rs")), mode(&plain));
    }

    #[test]
    fn the_summary_reads_as_one_line() {
        let synced = Synced {
            written: 3,
            removed: 1,
            unchanged: 1941,
        };
        assert_eq!(
            synced.to_string(),
            "wrote 3 files, removed 1, 1,941 unchanged"
        );
        let one = Synced {
            written: 1,
            ..Synced::default()
        };
        assert_eq!(one.to_string(), "wrote 1 file, removed 0, 0 unchanged");
    }
}
