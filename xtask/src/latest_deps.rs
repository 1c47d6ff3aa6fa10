//! `cargo xtask latest-deps`: the runtime and a generated crate checked against the newest
//! versions of their dependencies that their requirements allow, with warnings denied.
//!
//! The workspace's `Cargo.lock` pins what the tests build with; a user who adds the published
//! runtime, or generates a crate on it, resolves the newest compatible versions instead. A
//! deprecation or a break in a new release of a dependency (rustls 0.23.48 deprecated the
//! ring provider the runtime installs) reaches them first unless this command is run: it
//! builds both outside the workspace, each with a lock file of its own freshly resolved, and
//! reports which dependencies are newer than the workspace's.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::builds::cargo;
use crate::workspace_root;

/// The document the generated crate comes from: OpenAPI 3.1, with streams, webhooks, unions
/// and every kind of body, so that most of the runtime is called.
const FIXTURE: &str = "tests/fixtures/modern.yaml";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Where the two crates and their builds live [default: target/latest-deps].
    #[arg(long)]
    work: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = workspace_root();
    let work = args.work.unwrap_or_else(|| root.join("target/latest-deps"));
    let runtime = work.join("runtime");
    let generated = work.join("generated");
    for dir in [&runtime, &generated] {
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
        }
    }
    write_runtime_crate(&root, &runtime)?;
    crate::conformance::generate_crate(
        &root,
        &root.join(FIXTURE),
        &generated,
        &["--conformance".as_ref(), "--twins".as_ref()],
    )?;
    let locked = versions(&root.join("Cargo.lock"))?;
    let target = work.join("target");
    let mut failed = Vec::new();
    for (name, dir, flags) in [
        (
            "the runtime (features `mock`, `rustls-ring`)",
            &runtime,
            &[][..],
        ),
        (
            "a crate generated from tests/fixtures/modern.yaml (every feature and target)",
            &generated,
            &["--all-features", "--all-targets"][..],
        ),
    ] {
        let manifest = dir.join("Cargo.toml");
        let status = cargo()
            .args(["generate-lockfile", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .status()
            .context("resolving the newest dependencies")?;
        anyhow::ensure!(
            status.success(),
            "resolving {}'s dependencies failed",
            dir.display()
        );
        let mut fresh = versions(&dir.join("Cargo.lock"))?;
        // The crate itself is no dependency.
        fresh.remove(&crate::builds::package_name(dir)?);
        report_newer(name, &locked, &fresh);
        let started = Instant::now();
        let status = cargo()
            .args(["check", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .args(flags)
            .env("CARGO_TARGET_DIR", &target)
            // Dependencies' own warnings are capped by Cargo; the runtime and the generated
            // crate are path dependencies, whose warnings are not.
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .context("running cargo check")?;
        println!(
            "{name}: cargo check in {:.1} s: {}",
            started.elapsed().as_secs_f64(),
            if status.success() { "ok" } else { "FAILED" }
        );
        if !status.success() {
            failed.push(name);
        }
    }
    if failed.is_empty() {
        println!("latest dependencies: no error, no warning");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "latest dependencies: {} failed (errors or warnings above)",
            failed.join("; ")
        );
        Ok(ExitCode::FAILURE)
    }
}

/// A crate of its own that depends on the runtime with the features applications use.
fn write_runtime_crate(root: &Path, dir: &Path) -> Result<()> {
    fs::create_dir_all(dir.join("src")).with_context(|| format!("creating {}", dir.display()))?;
    let manifest = format!(
        "[package]\nname = \"latest-deps-runtime\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nspecwire = {{ path = \"{}\", features = [\"mock\"] }}\n\n[workspace]\n",
        root.join("specwire").display()
    );
    fs::write(dir.join("Cargo.toml"), manifest).context("writing the runtime crate's manifest")?;
    fs::write(dir.join("src/lib.rs"), "pub use specwire;\n")
        .context("writing the runtime crate's lib.rs")
}

/// Each package of a lock file, with its versions.
fn versions(lock: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let table = crate::builds::read_manifest(lock)?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in table
        .get("package")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(name), Some(version)) = (
            package.get("name").and_then(toml::Value::as_str),
            package.get("version").and_then(toml::Value::as_str),
        ) {
            out.entry(name.to_owned())
                .or_default()
                .push(version.to_owned());
        }
    }
    Ok(out)
}

/// Prints the packages `fresh` resolves to a version the workspace's lock does not hold.
fn report_newer(
    name: &str,
    locked: &BTreeMap<String, Vec<String>>,
    fresh: &BTreeMap<String, Vec<String>>,
) {
    let newer: Vec<String> = fresh
        .iter()
        .flat_map(|(package, versions)| versions.iter().map(move |v| (package, v)))
        .filter(|(package, version)| locked.get(*package).is_none_or(|l| !l.contains(version)))
        .map(|(package, version)| {
            let was = locked
                .get(package)
                .map(|l| l.join(", "))
                .unwrap_or_default();
            if was.is_empty() {
                format!("{package} {version} (not in the workspace's lock)")
            } else {
                format!("{package} {was} → {version}")
            }
        })
        .collect();
    if newer.is_empty() {
        println!("{name}: the same versions as the workspace's Cargo.lock");
    } else {
        println!(
            "{name}: {} packages newer than the workspace's Cargo.lock: {}",
            newer.len(),
            newer.join("; ")
        );
    }
}
