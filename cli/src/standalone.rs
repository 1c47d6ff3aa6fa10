//! A standalone crate generated from a document: its options, its files, and the run that
//! writes (or checks) them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::codegen;
use crate::strict::Strict;
use crate::tree::{MANIFEST, Ownership, foreign_directory, read_tree, some_paths, sync_tree};
use crate::{RUNTIME_VERSION, coverage, thousands};

/// The generated modules inside a crate.
pub const GENERATED_DIR: &str = "src/generated";

/// The options of a standalone crate, shared by `specwire generate` and `cargo xtask
/// codegen --out`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CrateArgs {
    /// Generate into an --out directory that no earlier run generated although it holds files
    /// the generator did not write, or is a git checkout. Those files are kept as they are:
    /// none is ever removed or overwritten (a generated file whose path one holds stops the
    /// run before anything is written; move it away). Not needed once the directory has a
    /// manifest.
    #[arg(long)]
    pub allow_foreign_files: bool,
    /// Package name of the crate [default: the --out directory's name].
    #[arg(long)]
    pub name: Option<String>,
    /// Compare instead of writing: print a diff and fail when the files on disk are stale.
    #[arg(long)]
    pub check: bool,
    /// `YYYY-MM-DD`: for documents that version operations by date (MongoDB Atlas), use, per
    /// operation, the newest API version not later than this date (default: the newest).
    /// Operations without such a version are left out and reported.
    #[arg(long, value_name = "DATE")]
    pub api_version: Option<String>,
    /// Also write `examples/conformance.rs`, which calls every operation once against a
    /// validating mock server such as Prism.
    #[arg(long)]
    pub conformance: bool,
    /// Also write `examples/twins.rs`, which decodes and encodes JSON with every struct
    /// model's codec and with a serde-derived twin, and reports any difference.
    #[arg(long)]
    pub twins: bool,
    /// The document the crate was generated from before: operations and types it named
    /// otherwise (renamed since, on the same method and path, or with the same shape) keep
    /// their old names as deprecated aliases for a release, so code that uses them still
    /// compiles, with warnings naming the new ones.
    #[arg(long, value_name = "OLD_SPEC")]
    pub previous: Option<PathBuf>,
    /// A waiter table (TOML: `[[waiter]]` entries naming an operation by method and path, and
    /// `[[waiter.acceptor]]` rules): each entry becomes a `wait_until_<name>` method on the
    /// operation's tag. An entry that names no operation of the document is a note.
    #[arg(long, value_name = "FILE")]
    pub waiters: Option<PathBuf>,
    /// Also write the coverage report (and the generator's notes) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub coverage_json: Option<PathBuf>,
    /// Take the runtime from this local checkout of `specwire` (its crate directory) instead
    /// of crates.io.
    #[arg(long, value_name = "DIR", conflicts_with = "runtime_git")]
    pub runtime_path: Option<PathBuf>,
    /// Take the runtime from this git repository instead of crates.io.
    #[arg(long, value_name = "URL")]
    pub runtime_git: Option<String>,
    /// With --runtime-git: the branch, tag or commit.
    #[arg(long, value_name = "REV", requires = "runtime_git")]
    pub runtime_rev: Option<String>,
    /// Fail, writing nothing, when the generator notes something of these kinds: a
    /// comma-separated list of repair, pattern, default, parameter, body, response, schema,
    /// naming, security, version, unused, and `loose` (values typed as JSON), or `all`.
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub strict: Vec<String>,
    #[command(flatten)]
    pub reading: crate::bundle::ReadingArgs,
}

impl CrateArgs {
    /// Where the runtime comes from: `--runtime-path` (relative to the current directory),
    /// `--runtime-git`, or crates.io.
    pub fn runtime(&self) -> Runtime {
        match (&self.runtime_path, &self.runtime_git) {
            (Some(path), _) => Runtime::Path(crate::paths::from_current_dir(path)),
            (None, Some(url)) => Runtime::Git {
                url: url.clone(),
                rev: self.runtime_rev.clone(),
            },
            (None, None) => Runtime::Version(RUNTIME_VERSION.to_owned()),
        }
    }
}

/// One standalone generation: a document into a crate directory.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    /// The document, resolved.
    pub spec: &'a Path,
    /// How generated headers name the document (see [`crate::paths::shown`]).
    pub spec_name: &'a str,
    /// The crate's directory, resolved.
    pub out: &'a Path,
    /// How generated headers name the command (`specwire generate`).
    pub command: &'a str,
    pub args: &'a CrateArgs,
}

/// Generates (or, with `--check`, compares) the crate `job` describes.
pub fn run(job: &Job) -> Result<ExitCode> {
    let args = job.args;
    // Before the document is even read: a mistaken --out is the cheapest error to report.
    if !args.check && !args.allow_foreign_files {
        refuse_foreign_directory(job.out)?;
    }
    let strict = Strict::parse(&args.strict)?;
    let name = match &args.name {
        Some(name) => name.clone(),
        None => default_name(job.out)?,
    };
    let spec = crate::bundle::read_spec_with(job.spec, job.spec_name, &args.reading.reading())?;
    let title = spec.openapi.info.title.clone();
    let programs = (args.conformance || args.twins).then(|| programs(&spec, &name, args));
    let output = generate_reported(spec, job, codegen::Options::default(), &strict)?;
    let mut files = standalone_crate(
        &CrateHeader {
            name: &name,
            title: &title,
            command: job.command,
        },
        &args.runtime(),
        &output,
    )?;
    if let Some(programs) = programs {
        add_programs(&mut files, programs?);
    }
    if args.check {
        return Ok(
            if check(job.out, &files, Ownership::Manifest, job.command)? {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            },
        );
    }
    let synced = sync_tree(job.out, &files, Ownership::Manifest)?;
    println!(
        "generated crate `{name}` ({} files) into {} from {}: {synced}",
        thousands(files.len() as u64),
        job.out.display(),
        job.spec.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates as `job.args` say (`--api-version`, `--previous`, `--waiters`), then prints the
/// coverage, applies `--strict` (failing before anything is written) and writes
/// `--coverage-json`: what every generating command does. `base` says what the hosting
/// crate provides (accessors, its error type, hand-written types); the rest is the job's.
pub fn generate_reported(
    spec: codegen::Spec,
    job: &Job,
    base: codegen::Options,
    strict: &Strict,
) -> Result<codegen::Output> {
    let args = job.args;
    let previous = args.previous.as_deref().map(crate::paths::from_current_dir);
    let waiters = args.waiters.as_deref().map(crate::paths::from_current_dir);
    // The header names the command that regenerates the same files: with these inputs.
    let mut command = job.command.to_owned();
    for (flag, given) in [("--waiters", &args.waiters), ("--previous", &args.previous)] {
        if let Some(path) = given {
            command.push_str(&format!(
                " {flag} {}",
                path.to_string_lossy().replace('\\', "/")
            ));
        }
    }
    let output = generate(
        spec,
        &Generation {
            command: &command,
            base,
            api_version: args.api_version.clone(),
            previous: previous.as_deref(),
            waiters: waiters.as_deref(),
            reading: args.reading.reading(),
        },
    )?;
    coverage::print(&output);
    strict.enforce(&output)?;
    if let Some(path) = &args.coverage_json {
        coverage::write_json(path, job.spec_name, &output)?;
    }
    Ok(output)
}

/// The package name a crate gets without `--name`: its directory's.
fn default_name(out: &Path) -> Result<String> {
    let stem = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::paths::package_name(&stem).with_context(|| {
        format!("cannot make a package name of the directory name `{stem}`; pass --name",)
    })
}

/// How [`generate`] runs the generator.
#[derive(Debug, Clone)]
pub struct Generation<'a> {
    /// How headers name the command (`--api-version` is added when given).
    pub command: &'a str,
    /// What the hosting crate provides: accessors, its error type, hand-written types (the
    /// command, version, waiters and former names are set from the other fields).
    pub base: codegen::Options,
    /// `--api-version`.
    pub api_version: Option<String>,
    /// `--previous`: the document the crate was generated from before, whose names for
    /// renamed operations and types stay as deprecated aliases.
    pub previous: Option<&'a Path>,
    /// `--waiters`: the waiter table.
    pub waiters: Option<&'a Path>,
    /// `--refs-within`: which files the previous document may have read.
    pub reading: crate::bundle::Reading,
}

/// Reads a waiter table (TOML).
///
/// # Errors
/// When the file cannot be read or is not a waiter table (the message says where).
pub fn read_waiters(path: &Path) -> Result<codegen::waiters::WaiterTable> {
    let text = fs::read_to_string(path)
        .with_context(|| format!("reading the waiter table {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}: not a waiter table", path.display()))
}

/// Runs the generator on `spec` (dropped once lowered: emitting reuses its memory, see
/// `codegen::emit`).
pub fn generate(spec: codegen::Spec, how: &Generation) -> Result<codegen::Output> {
    let mut command = how.command.to_owned();
    if let Some(version) = &how.api_version {
        command.push_str(&format!(" --api-version {version}"));
    }
    // The hosting crate's own pin (atlas-sdk's), unless the command names another.
    let mut options = codegen::Options {
        api_version: how
            .api_version
            .clone()
            .or_else(|| how.base.api_version.clone()),
        command,
        ..how.base.clone()
    };
    if let Some(path) = how.waiters {
        options.waiters = read_waiters(path)?;
    }
    if let Some(previous) = how.previous {
        let shown = previous.to_string_lossy();
        let old = crate::bundle::read_spec_with(previous, &shown, &how.reading)?;
        let renames = codegen::diff::renames_between(&old, &spec, &options).with_context(|| {
            format!(
                "comparing with the previous document {}",
                previous.display()
            )
        })?;
        eprintln!(
            "previous: {} operation and {} type names of {} kept as deprecated aliases",
            renames.operations.len(),
            renames.types.len(),
            previous.display()
        );
        options.former_names = Some(renames);
    }
    let api = codegen::lower(&spec, &options)?;
    let source = spec.source();
    drop(spec);
    Ok(codegen::emit(&source, api, &options)?)
}

/// Fails when `out` is a directory the generator did not generate but someone else's (files
/// it did not write, or a git checkout): a mistaken `--out` (the project's own checkout, a
/// home directory) must not turn into a crate mixed into the user's files. The sync would
/// leave those files alone anyway; this stops before anything at all is written.
pub fn refuse_foreign_directory(out: &Path) -> Result<()> {
    let Some(foreign) = foreign_directory(out)? else {
        return Ok(());
    };
    let holds = match foreign.files.len() {
        0 => String::new(),
        1 => format!(
            "1 file the generator did not write ({})",
            some_paths(&foreign.files)
        ),
        n => format!(
            "{} files the generator did not write ({})",
            thousands(n as u64),
            some_paths(&foreign.files)
        ),
    };
    let what = match (foreign.git, holds.is_empty()) {
        (true, true) => "it is a git checkout".to_owned(),
        (true, false) => format!("it is a git checkout and holds {holds}"),
        (false, _) => format!("it holds {holds}"),
    };
    bail!(
        "refusing to generate into {}: {what}, and no {MANIFEST} shows that an earlier run \
         generated it. Nothing was written. Use a new or empty directory, or pass \
         --allow-foreign-files to generate beside what is there (the generator never \
         overwrites or removes a file it did not write).",
        out.display()
    )
}

/// Where a standalone crate gets the runtime from.
#[derive(Debug, Clone)]
pub enum Runtime {
    /// crates.io, this version (the default: the crate builds anywhere).
    Version(String),
    /// A local checkout of the runtime crate (the workspace's tools use their own).
    Path(PathBuf),
    /// A git repository, at a branch, tag or revision when given.
    Git { url: String, rev: Option<String> },
}

impl Runtime {
    /// The dependency's source, as Cargo.toml writes it.
    fn source(&self) -> Result<String> {
        Ok(match self {
            Runtime::Version(version) => format!("version = {}", toml_string(version)),
            Runtime::Path(path) => {
                let path = fs::canonicalize(path)
                    .with_context(|| format!("finding the runtime crate {}", path.display()))?;
                let path = path.to_string_lossy().replace('\\', "/");
                format!("path = {}", toml_string(&path))
            }
            Runtime::Git { url, rev: None } => format!("git = {}", toml_string(url)),
            Runtime::Git {
                url,
                rev: Some(rev),
            } => format!("git = {}, rev = {}", toml_string(url), toml_string(rev)),
        })
    }
}

/// What a standalone crate's `Cargo.toml` and `src/lib.rs` say about it.
#[derive(Debug, Clone, Copy)]
pub struct CrateHeader<'a> {
    /// The package name.
    pub name: &'a str,
    /// The document's `info.title`.
    pub title: &'a str,
    /// How the headers name the command that generated the crate.
    pub command: &'a str,
}

/// A crate of its own around the generated modules, using the runtime from `runtime`.
pub fn standalone_crate(
    header: &CrateHeader,
    runtime: &Runtime,
    output: &codegen::Output,
) -> Result<BTreeMap<String, String>> {
    let source = runtime.source()?;
    let CrateHeader {
        name,
        title,
        command,
    } = *header;
    // One line of the title: it goes into a TOML string and a doc comment.
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = if title.is_empty() { "the API" } else { &title };
    let description = toml_string(&format!("Rust client for {title}, generated"));
    let manifest = format!(
        "# @generated by `{command}`. Do not edit.\n\n[package]\nname = {}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\ndescription = {description}\n\n[dependencies]\nspecwire = {{ {source}, default-features = false, features = [\"rustls-ring\"] }}\n\n[features]\ndefault = [\"full\"]\n{}\n# A crate of its own, not a member of the workspace it was generated from.\n[workspace]\n",
        toml_string(name),
        output.features_toml()
    );
    let lib = format!(
        "// @generated by `{command}`. Do not edit.\n\n//! {title}, generated. The runtime, `specwire`, provides the client: start one with\n//! `client_builder()`, and `use ClientExt` for `client.<tag>()`. Each tag is a Cargo\n//! feature; `full` (the default) enables all.\n#![cfg_attr(docsrs, feature(doc_cfg))]\n\npub use specwire;\npub use specwire::{{Client, Nullable}};\n\n#[rustfmt::skip]\npub mod generated;\npub use generated::*;\n"
    );
    let mut files: BTreeMap<String, String> = output
        .files
        .iter()
        .map(|(path, text)| (format!("{GENERATED_DIR}/{path}"), text.clone()))
        .collect();
    files.insert("Cargo.toml".to_owned(), manifest);
    files.insert("src/lib.rs".to_owned(), lib);
    Ok(files)
}

/// `text` as a TOML basic string, quotes included.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The example programs a crate asked for, and the dev-dependencies they need.
pub struct Programs {
    files: Vec<(&'static str, String)>,
    dev_dependencies: String,
    round_trips: Option<RoundTrips>,
}

/// What `examples/round_trips.rs` checks, and how to build it cheaply.
#[derive(Debug, Clone)]
pub struct RoundTrips {
    /// How many union examples it decodes and encodes again.
    pub examples: usize,
    /// The features that compile every union it names (build it with default features
    /// off and these on).
    pub features: Vec<String>,
}

impl Programs {
    /// The round-trip program's checks, when the document's unions have examples (it is
    /// written with `--conformance`).
    #[must_use]
    pub fn round_trips(&self) -> Option<&RoundTrips> {
        self.round_trips.as_ref()
    }
}

/// The example programs `args` asks for (`--conformance`, `--twins`) of the crate `name`.
///
/// # Errors
/// When the generator cannot write one (the document does not lower).
pub fn programs(spec: &codegen::Spec, name: &str, args: &CrateArgs) -> Result<Programs> {
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        api_version: args.api_version.clone(),
        ..codegen::Options::default()
    };
    let mut programs = Programs {
        files: Vec::new(),
        dev_dependencies: String::from("\n[dev-dependencies]\n"),
        round_trips: None,
    };
    if args.conformance {
        let program = codegen::conformance_program(spec, &options, name)?;
        programs.files.push(("examples/conformance.rs", program));
        if let Some(round_trips) = codegen::round_trip_program(spec, &options, name)? {
            programs
                .files
                .push(("examples/round_trips.rs", round_trips.source));
            programs.round_trips = Some(RoundTrips {
                examples: round_trips.examples,
                features: round_trips.features,
            });
        }
        programs
            .dev_dependencies
            .push_str("tokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n");
    }
    if args.twins {
        let program = codegen::codec_twins_program(spec, &options, name)?;
        programs.files.push(("examples/twins.rs", program));
        // The twins' derives; the SDK's own serde is the same crate, without `derive`.
        programs
            .dev_dependencies
            .push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
    }
    Ok(programs)
}

/// Adds `programs` to a crate's `files`, and their dev-dependencies to its manifest.
pub fn add_programs(files: &mut BTreeMap<String, String>, programs: Programs) {
    for (path, text) in programs.files {
        files.insert(path.to_owned(), text);
    }
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str(&programs.dev_dependencies);
    }
}

/// Whether `out` holds exactly `expected`; prints a diff when not. Files the generator did
/// not write are not compared (regeneration would keep them, so they cannot be stale), only
/// named; nor is the manifest, which is bookkeeping. `command` is what the message tells the
/// user to run.
pub fn check(
    out: &Path,
    expected: &BTreeMap<String, String>,
    ownership: Ownership,
    command: &str,
) -> Result<bool> {
    let on_disk = read_tree(out, ownership, expected)?;
    let actual = &on_disk.files;
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
    if !on_disk.foreign.is_empty() {
        println!(
            "not compared: {} ({} the generator did not write)",
            some_paths(&on_disk.foreign),
            if on_disk.foreign.len() == 1 {
                "a file"
            } else {
                "files"
            }
        );
    }
    if stale == 0 {
        println!("{} is up to date ({} files)", out.display(), expected.len());
        return Ok(true);
    }
    eprintln!(
        "{stale} generated file(s) in {} are stale. Rerun `{command}` without --check, review the diff, and commit them.",
        out.display()
    );
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MongoDB's waiter table (`spec/waiters.toml`) reads, and a broken table says where.
    #[test]
    fn waiter_tables_read_or_say_where_they_break() {
        let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/waiters.toml");
        let table = read_waiters(&shipped).unwrap();
        let names: Vec<&str> = table.waiters.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(names.len(), 23, "{names:?}");
        assert_eq!(
            names[..5],
            [
                "cluster_ready",
                "cluster_deleted",
                "flex_cluster_ready",
                "flex_cluster_deleted",
                "search_index_ready"
            ]
        );
        // A restore job ends when `finishedAt` appears.
        let restore = &table.waiters[names
            .iter()
            .position(|n| *n == "backup_restore_job_finished")
            .unwrap()];
        let last = restore.acceptors.last().unwrap();
        assert_eq!(
            (last.field.as_deref(), last.present),
            (Some("/finishedAt"), true)
        );
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("waiters.toml");
        fs::write(&broken, "[[waiter]]\nname = \"x\"\nmethod = 3\n").unwrap();
        let error = format!("{:#}", read_waiters(&broken).unwrap_err());
        assert!(
            error.contains("not a waiter table") && error.contains("line 3"),
            "{error}"
        );
    }

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(toml_string("x\ny\u{7}"), "\"x\\ny\\u0007\"");
    }
}
