//! `cargo xtask codegen`: spec file → generated modules, written (only what changed, see
//! [`crate::tree`]), or compared.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::tree::{
    MANIFEST, Ownership, foreign_directory, read_tree, some_paths, sync_tree, write_file_atomically,
};
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
    /// `src/generated/` and the feature list in its `Cargo.toml`; any other directory gets a
    /// standalone crate (`Cargo.toml`, `src/lib.rs`, `src/generated/`) that uses this
    /// workspace's atlas-sdk as its runtime, and a `.atlas-codegen-manifest` listing the
    /// files written. Regeneration replaces and removes only files the generator wrote (that
    /// list, or an `@generated` first line); a directory holding other files, or a git
    /// checkout, that no earlier run generated is refused (see --allow-foreign-files).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Generate into an --out directory that no earlier run generated although it holds files
    /// the generator did not write, or is a git checkout. Those files are kept as they are:
    /// none is ever removed or overwritten (a generated file whose path one holds stops the
    /// run before anything is written; move it away). Not needed once the directory has a
    /// manifest, nor for atlas-sdk itself.
    #[arg(long)]
    allow_foreign_files: bool,
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
    /// operation once against a validating mock server (`cargo xtask full-specs` runs it against Prism).
    #[arg(long)]
    conformance: bool,
    /// For a standalone crate: also write `examples/twins.rs`, which decodes and encodes
    /// JSON with every struct model's codec and with a serde-derived twin, and reports any
    /// difference (`cargo xtask full-specs` runs it).
    #[arg(long)]
    twins: bool,
    /// Also write the coverage report (and the generator's notes) as JSON to this file.
    #[arg(long)]
    coverage_json: Option<PathBuf>,
    /// For a standalone crate: take the runtime (mongodb-atlas-sdk) from this local
    /// checkout instead of crates.io.
    #[arg(long, conflicts_with = "runtime_git")]
    runtime_path: Option<PathBuf>,
    /// For a standalone crate: take the runtime from this git repository instead of
    /// crates.io.
    #[arg(long)]
    runtime_git: Option<String>,
    /// With --runtime-git: the branch, tag or commit.
    #[arg(long, requires = "runtime_git")]
    runtime_rev: Option<String>,
    /// Fail, writing nothing, when the generator notes something of these kinds: a
    /// comma-separated list of pattern, default, parameter, body, response, schema, naming,
    /// security, version, unused, and `loose` (values typed as JSON), or `all`.
    #[arg(long, value_delimiter = ',')]
    strict: Vec<String>,
}

/// The kinds `--strict` names, checked before anything is generated.
pub(crate) struct Strict {
    kinds: Vec<codegen::ir::NoteKind>,
    loose: bool,
}

impl Strict {
    pub(crate) fn parse(names: &[String]) -> Result<Strict> {
        let mut strict = Strict {
            kinds: Vec::new(),
            loose: false,
        };
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match name {
                "all" => {
                    strict.kinds = codegen::ir::NoteKind::ALL.to_vec();
                    strict.loose = true;
                }
                "loose" => strict.loose = true,
                other => match codegen::ir::NoteKind::parse(other) {
                    Some(kind) => strict.kinds.push(kind),
                    None => anyhow::bail!(
                        "--strict: unknown kind `{other}`; expected `all`, `loose` or one of {}",
                        codegen::ir::NoteKind::ALL
                            .iter()
                            .map(|k| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            }
        }
        Ok(strict)
    }

    /// The notes (and loose values) `output` has of the chosen kinds, one line each.
    pub(crate) fn violations(&self, output: &codegen::Output) -> Vec<String> {
        let notes = output
            .diagnostics
            .iter()
            .filter(|d| self.kinds.contains(&d.kind))
            .map(|d| format!("{} note: {}: {}", d.kind, d.pointer, d.message));
        let loose = output
            .coverage
            .loose
            .iter()
            .filter(|_| self.loose)
            .map(|l| format!("loose: {}: {} ({})", l.pointer, l.representation, l.reason));
        notes.chain(loose).collect()
    }
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let spec_path = user_path(args.spec.as_deref(), DEFAULT_SPEC);
    let out = user_path(args.out.as_deref(), DEFAULT_CRATE);
    let runtime = crate::workspace_root().join(DEFAULT_CRATE);
    let in_place = is_same_dir(&out, &runtime);
    // Before the spec is even read: a mistaken --out is the cheapest error to report.
    if !in_place && !args.check && !args.allow_foreign_files {
        refuse_foreign_directory(&out)?;
    }
    let strict = Strict::parse(&args.strict)?;
    let accessors = if in_place {
        codegen::Accessors::Inherent
    } else {
        codegen::Accessors::Trait
    };
    let output = generate(&spec_path, accessors, args.api_version)?;
    print_coverage(&output);
    let violations = strict.violations(&output);
    if !violations.is_empty() {
        for line in &violations {
            eprintln!("strict: {line}");
        }
        anyhow::bail!(
            "--strict: {} note(s) of the kinds you chose; nothing was written",
            violations.len()
        );
    }
    if let Some(path) = &args.coverage_json {
        let report = serde_json::json!({
            "spec": spec_path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "coverage": output.coverage,
            "notes": output.diagnostics.iter().map(|d| serde_json::json!({"kind": d.kind, "pointer": d.pointer, "message": d.message})).collect::<Vec<_>>(),
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
            let files = check(&generated, &output.files, Ownership::Headers)?;
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
        // Headers alone tell generated files there (all carry one): a manifest would be one
        // more file in the checked-in tree.
        let synced = sync_tree(&generated, &output.files, Ownership::Headers)?;
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
    let source = match (&args.runtime_path, &args.runtime_git) {
        (Some(path), _) => Runtime::Path(user_path(Some(path), DEFAULT_CRATE)),
        (None, Some(url)) => Runtime::Git {
            url: url.clone(),
            rev: args.runtime_rev.clone(),
        },
        (None, None) => Runtime::published()?,
    };
    let mut files = standalone_crate(&args.name, &source, &output)?;
    if args.conformance || args.twins {
        add_programs(
            &mut files,
            &spec_path,
            &args.name,
            args.conformance,
            args.twins,
        )?;
    }
    if args.check {
        return Ok(if check(&out, &files, Ownership::Manifest)? {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let synced = sync_tree(&out, &files, Ownership::Manifest)?;
    println!(
        "generated crate `{}` ({} files) into {} from {}: {synced}",
        args.name,
        thousands(files.len() as u64),
        out.display(),
        spec_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Fails when `out` is a directory the generator did not generate but someone else's (files
/// it did not write, or a git checkout): a mistaken `--out` (the project's own checkout, a
/// home directory) must not turn into a crate mixed into the user's files. The sync would
/// leave those files alone anyway; this stops before anything at all is written.
fn refuse_foreign_directory(out: &Path) -> Result<()> {
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

/// Where a standalone crate gets the runtime from.
#[derive(Debug, Clone)]
pub(crate) enum Runtime {
    /// crates.io, this version (the default: the crate builds anywhere).
    Version(String),
    /// A local checkout of the runtime crate (this workspace's tools use their own).
    Path(PathBuf),
    /// A git repository, at a branch, tag or revision when given.
    Git { url: String, rev: Option<String> },
}

impl Runtime {
    /// This workspace's runtime crate by path: for the corpus, the benchmarks and the full
    /// specs, which test the runtime as it is now.
    pub(crate) fn workspace() -> Runtime {
        Runtime::Path(crate::workspace_root().join(DEFAULT_CRATE))
    }

    /// The runtime's version on crates.io that this generator produces code for.
    pub(crate) fn published() -> Result<Runtime> {
        let manifest_path = crate::workspace_root()
            .join(DEFAULT_CRATE)
            .join("Cargo.toml");
        let manifest = fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .with_context(|| format!("no version in {}", manifest_path.display()))?;
        Ok(Runtime::Version(version.to_owned()))
    }

    /// The dependency's source, as Cargo.toml writes it.
    fn source(&self) -> Result<String> {
        Ok(match self {
            Runtime::Version(version) => format!("version = \"{version}\""),
            Runtime::Path(path) => {
                let path = fs::canonicalize(path)
                    .with_context(|| format!("finding the runtime crate {}", path.display()))?;
                format!("path = \"{}\"", path.to_string_lossy().replace('\\', "/"))
            }
            Runtime::Git { url, rev: None } => format!("git = \"{url}\""),
            Runtime::Git {
                url,
                rev: Some(rev),
            } => format!("git = \"{url}\", rev = \"{rev}\""),
        })
    }
}

/// A crate of its own around the generated modules, using the runtime from `runtime`.
pub(crate) fn standalone_crate(
    name: &str,
    runtime: &Runtime,
    output: &codegen::Output,
) -> Result<BTreeMap<String, String>> {
    let source = runtime.source()?;
    let manifest = format!(
        "# @generated by `cargo xtask codegen --out`. Do not edit.\n\n[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\ndescription = \"Generated MongoDB Atlas Administration API client\"\n\n[dependencies]\natlas-sdk = {{ package = \"mongodb-atlas-sdk\", {source}, default-features = false, features = [\"rustls-ring\"] }}\n\n[features]\ndefault = [\"full\"]\n{}\n# A crate of its own, not a member of the workspace it was generated from.\n[workspace]\n",
        output.features_toml()
    );
    let lib = "// @generated by `cargo xtask codegen --out`. Do not edit.\n\n//! MongoDB Atlas Administration API, generated. `atlas_sdk` provides the client; `use ClientExt`\n//! for `client.<tag>()`. Each tag is a Cargo feature; `full` (the default) enables all.\n#![cfg_attr(docsrs, feature(doc_cfg))]\n\npub use atlas_sdk;\npub use atlas_sdk::{Client, Error, Nullable};\n\n#[rustfmt::skip]\npub mod generated;\npub use generated::*;\n";
    let mut files: BTreeMap<String, String> = output
        .files
        .iter()
        .map(|(path, text)| (format!("{GENERATED_DIR}/{path}"), text.clone()))
        .collect();
    files.insert("Cargo.toml".to_owned(), manifest);
    files.insert("src/lib.rs".to_owned(), lib.to_owned());
    Ok(files)
}

/// Adds the conformance program, the codec-twins program, or both, and the dev-dependencies
/// they need.
fn add_programs(
    files: &mut BTreeMap<String, String>,
    spec_path: &Path,
    name: &str,
    conformance: bool,
    twins: bool,
) -> Result<()> {
    let text = fs::read_to_string(spec_path)
        .with_context(|| format!("reading the spec {}", spec_path.display()))?;
    let spec = codegen::Spec::parse(&shown_path(spec_path, spec_path), &text)?;
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        ..codegen::Options::default()
    };
    let mut dev = String::from("\n[dev-dependencies]\n");
    if conformance {
        let program = codegen::conformance_program(&spec, &options, name)?;
        files.insert("examples/conformance.rs".to_owned(), program);
        dev.push_str("tokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n");
    }
    if twins {
        let program = codegen::codec_twins_program(&spec, &options, name)?;
        files.insert("examples/twins.rs".to_owned(), program);
        // The twins' derives; the SDK's own serde is the same crate, without `derive`.
        dev.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
    }
    if let Some(manifest) = files.get_mut("Cargo.toml") {
        manifest.push_str(&dev);
    }
    Ok(())
}

/// Runs the generator on the spec at `spec_path`.
pub(crate) fn generate(
    spec_path: &Path,
    accessors: codegen::Accessors,
    api_version: Option<String>,
) -> Result<codegen::Output> {
    let spec = crate::bundle::read_spec(spec_path)?;
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
    // The document is dropped once lowered: emitting reuses its memory (see `codegen::emit`).
    let api = codegen::lower(&spec, &options)?;
    let source = spec.source();
    drop(spec);
    let output = codegen::emit(&source, api, &options)?;
    for diagnostic in &output.diagnostics {
        eprintln!(
            "note ({}): {}: {}",
            diagnostic.kind, diagnostic.pointer, diagnostic.message
        );
    }
    Ok(output)
}

/// Whether `out` holds exactly `expected`; prints a diff when not. Files the generator did
/// not write are not compared (regeneration would keep them, so they cannot be stale), only
/// named; nor is the manifest, which is bookkeeping.
fn check(out: &Path, expected: &BTreeMap<String, String>, ownership: Ownership) -> Result<bool> {
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
        "{stale} generated file(s) in {} are stale. Run `cargo xtask codegen`, review the diff and the snapshot changes (`cargo insta review`), and commit them.",
        out.display()
    );
    Ok(false)
}
