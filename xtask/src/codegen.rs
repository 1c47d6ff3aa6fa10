//! `cargo xtask codegen`: the document → atlas-sdk's generated modules and feature list,
//! written (only what changed, see [`codegen_cli::tree`]) or compared; with `--out DIR`, a
//! standalone crate, exactly as `specwire generate` makes it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use codegen_cli::standalone::{self, CrateArgs, GENERATED_DIR, Job, check};
use codegen_cli::strict::Strict;
use codegen_cli::thousands;
use codegen_cli::tree::{Ownership, sync_tree, write_file_atomically};

use crate::{shown_path, user_path};

/// Where the shipped SDK's spec and crate live, relative to the workspace root.
pub(crate) const DEFAULT_SPEC: &str = "spec/atlas-api.yaml";
pub(crate) const DEFAULT_CRATE: &str = "atlas-sdk";
/// The runtime crate's directory in the workspace: what generated standalone crates here
/// take the runtime from.
pub(crate) const RUNTIME_CRATE: &str = "specwire";
pub(crate) const DEFAULT_OUT: &str = "atlas-sdk/src/generated";
/// The waiter table atlas-sdk is generated with.
pub(crate) const WAITERS: &str = "spec/waiters.toml";
/// The previous release's names of renamed operations and types (see `update-spec`).
pub(crate) const FORMER_NAMES: &str = "spec/former-names.toml";
/// How generated headers name the command: for atlas-sdk, and for a standalone crate.
const COMMAND: &str = "cargo xtask codegen";
const STANDALONE_COMMAND: &str = "cargo xtask codegen --out";
/// Marks the generated part of `atlas-sdk/Cargo.toml`'s `[features]`.
const FEATURES_BEGIN: &str = "# @generated begin: one feature per API tag (cargo xtask codegen)\n";
const FEATURES_END: &str = "# @generated end\n";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// OpenAPI document (YAML or JSON) [default: spec/atlas-api.yaml in the workspace].
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate to generate [default: atlas-sdk in the workspace]. The atlas-sdk crate gets
    /// `src/generated/` and the feature list in its `Cargo.toml`; any other directory gets a
    /// standalone crate (`Cargo.toml`, `src/lib.rs`, `src/generated/`), exactly as
    /// `specwire generate` makes it, and a `.specwire-manifest` listing the files
    /// written. Regeneration replaces and removes only files the generator wrote (that
    /// list, or an `@generated` first line); a directory holding other files, or a git
    /// checkout, that no earlier run generated is refused (see --allow-foreign-files).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    crate_args: CrateArgs,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let spec_path = user_path(args.spec.as_deref(), DEFAULT_SPEC);
    let out = user_path(args.out.as_deref(), DEFAULT_CRATE);
    let runtime = crate::workspace_root().join(DEFAULT_CRATE);
    let spec_name = shown_path(&spec_path, args.spec.as_deref().unwrap_or(&spec_path));
    let job = Job {
        spec: &spec_path,
        spec_name: &spec_name,
        out: &out,
        command: STANDALONE_COMMAND,
        args: &args.crate_args,
    };
    if !is_same_dir(&out, &runtime) {
        return standalone::run(&job);
    }
    let job = Job {
        command: COMMAND,
        ..job
    };
    let args = &args.crate_args;
    if args.name.is_some()
        || args.conformance
        || args.twins
        || args.runtime_path.is_some()
        || args.runtime_git.is_some()
        || args.allow_foreign_files
    {
        bail!(
            "--name, --conformance, --twins, --runtime-path, --runtime-git and \
             --allow-foreign-files are for a standalone crate (--out DIR), not atlas-sdk itself"
        );
    }
    let strict = Strict::parse(&args.strict)?;
    let spec = codegen_cli::bundle::read_spec(&spec_path, &spec_name)?;
    let root = crate::workspace_root();
    let sdk = sdk_output(&root, spec, &job, atlas_options(&root)?, &strict)?;
    if args.check {
        let files = check(
            &sdk.generated,
            &sdk.output.files,
            Ownership::Headers,
            COMMAND,
        )?;
        let manifest_ok = sdk.new_manifest == sdk.manifest;
        if !manifest_ok {
            eprintln!(
                "the feature list in {} is stale. Run `cargo xtask codegen` and commit it.",
                sdk.manifest_path.display()
            );
        }
        return Ok(if files && manifest_ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    println!("{}", write_sdk(&sdk)?);
    Ok(ExitCode::SUCCESS)
}

/// atlas-sdk regenerated from `spec`, in memory: its generated files and its manifest with
/// the generated feature list.
pub(crate) struct SdkOutput {
    pub(crate) output: codegen::Output,
    generated: PathBuf,
    manifest_path: PathBuf,
    manifest: String,
    new_manifest: String,
}

/// Generates atlas-sdk (in the workspace `root`) from `spec` with `options` (its
/// [`atlas_options`]), writing nothing.
pub(crate) fn sdk_output(
    root: &Path,
    spec: codegen::Spec,
    job: &Job,
    options: codegen::Options,
    strict: &Strict,
) -> Result<SdkOutput> {
    let output = standalone::generate_reported(spec, job, options, strict)?;
    let out = root.join(DEFAULT_CRATE);
    let manifest_path = out.join("Cargo.toml");
    let manifest = fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let new_manifest = with_features(&manifest, &output.features_toml())
        .with_context(|| format!("updating the features of {}", manifest_path.display()))?;
    Ok(SdkOutput {
        output,
        generated: out.join(GENERATED_DIR),
        manifest_path,
        manifest,
        new_manifest,
    })
}

/// Writes what changed of `sdk` (headers alone tell generated files there: all carry one,
/// and a manifest would be one more file in the checked-in tree); says what it did.
pub(crate) fn write_sdk(sdk: &SdkOutput) -> Result<String> {
    let synced = sync_tree(&sdk.generated, &sdk.output.files, Ownership::Headers)?;
    let features = if sdk.new_manifest != sdk.manifest {
        write_file_atomically(&sdk.manifest_path, &sdk.new_manifest)?;
        "; updated the features in Cargo.toml"
    } else {
        ""
    };
    Ok(format!(
        "generated {} files into {}: {synced}{features}",
        thousands(sdk.output.files.len() as u64),
        sdk.generated.display(),
    ))
}

fn is_same_dir(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
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

/// What atlas-sdk writes by hand and the generated modules use: its own `Client` and error
/// type, and its `ApiError`, the error body every Atlas operation documents; and what it is
/// generated with, all read from the workspace `root`: the API version it is pinned to
/// (`[package.metadata.atlas-sdk] api-version` in its `Cargo.toml`), the waiter table
/// `spec/waiters.toml`, and the names the previous release's document gave renamed operations
/// and types (`spec/former-names.toml`, written by `cargo xtask update-spec`), kept as
/// deprecated aliases.
pub(crate) fn atlas_options(root: &Path) -> Result<codegen::Options> {
    let mut options = codegen::Options::embedded_in_sdk(&["ApiError"]);
    options.api_version = Some(pinned_api_version(&root.join(DEFAULT_CRATE))?);
    options.waiters = codegen_cli::standalone::read_waiters(&root.join(WAITERS))?;
    options.former_names = crate::update_spec::read_former_names(&root.join(FORMER_NAMES))?;
    Ok(options)
}

/// The API version atlas-sdk is pinned to: `[package.metadata.atlas-sdk] api-version`.
pub(crate) fn pinned_api_version(crate_dir: &Path) -> Result<String> {
    let path = crate_dir.join("Cargo.toml");
    let manifest = crate::builds::read_manifest(&path)?;
    let version = manifest
        .get("package")
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("atlas-sdk"))
        .and_then(|a| a.get("api-version"))
        .and_then(toml::Value::as_str)
        .with_context(|| {
            format!(
                "{} has no `[package.metadata.atlas-sdk] api-version = \"YYYY-MM-DD\"`",
                path.display()
            )
        })?;
    Ok(version.to_owned())
}

#[cfg(test)]
mod tests {
    /// A standalone crate depends on the runtime version the command names: it must be the
    /// one this workspace's runtime has.
    #[test]
    fn the_commands_runtime_version_is_the_runtimes() {
        let manifest =
            std::fs::read_to_string(crate::workspace_root().join("specwire/Cargo.toml")).unwrap();
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'));
        assert_eq!(version, Some(codegen_cli::RUNTIME_VERSION));
    }
}
