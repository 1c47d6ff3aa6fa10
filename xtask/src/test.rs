//! `cargo xtask test`: the one command that runs every test, on a fresh machine too.

use std::path::Path;
use std::process::{Command, ExitCode};

use anyhow::{Context, Result};

use crate::workspace_root;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Extra arguments passed to `cargo test` (after `--workspace`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    cargo_args: Vec<String>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = workspace_root();
    let peers = root.join("tests/peers");
    install_node_peers(&peers)?;
    install_python_peers(&peers)?;
    install_apache()?;
    // The checked-in SDK is the expected output of `spec/` (it has no snapshots of its own).
    let status = Command::new(std::env::current_exe().context("finding the xtask binary")?)
        .current_dir(&root)
        .args(["codegen", "--check"])
        .status()
        .context("running cargo xtask codegen --check")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    let status = crate::builds::cargo()
        .current_dir(&root)
        .args(["test", "--workspace", "--all-targets"])
        .args(&args.cargo_args)
        .status()
        .context("running cargo test")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    // Doc tests are not part of `--all-targets`.
    let status = crate::builds::cargo()
        .current_dir(&root)
        .args(["test", "--workspace", "--doc"])
        .status()
        .context("running cargo test --doc")?;
    if !status.success() {
        return Ok(ExitCode::FAILURE);
    }
    run_task_examples(&root)
}

/// Runs atlas-sdk's task examples (the `[[example]]`s of its `Cargo.toml`, which `cargo test
/// --all-targets` has built) with no `MONGODB_ATLAS_*` variable set, so each answers itself
/// from its mocks; any that fails fails the command.
fn run_task_examples(root: &Path) -> Result<ExitCode> {
    let manifest = root.join("atlas-sdk/Cargo.toml");
    let table = crate::builds::read_manifest(&manifest)?;
    let names: Vec<&str> = table
        .get("example")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("name").and_then(toml::Value::as_str))
        .collect();
    let mut failed = Vec::new();
    for name in &names {
        let mut command = crate::builds::cargo();
        command.current_dir(root).args([
            "run",
            "--quiet",
            "-p",
            "mongodb-atlas-sdk",
            "--example",
            name,
        ]);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("MONGODB_ATLAS_") {
                command.env_remove(key);
            }
        }
        let status = command
            .status()
            .with_context(|| format!("running the example {name}"))?;
        if !status.success() {
            failed.push(*name);
        }
    }
    println!("task examples: {} run, failed: {failed:?}", names.len());
    Ok(if failed.is_empty() && !names.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `npm ci` the pinned peers unless `node_modules` is already up to date with the lock file.
fn install_node_peers(dir: &Path) -> Result<()> {
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (marker.metadata(), lock.metadata()) {
        (Ok(m), Ok(l)) => m.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("installing test peers with npm ci in {}", dir.display());
    let status = Command::new("npm")
        .current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"])
        .status()
        .context("running npm ci (is Node.js installed?)")?;
    anyhow::ensure!(status.success(), "npm ci failed in {}", dir.display());
    Ok(())
}

/// httpbin and gunicorn into `tests/peers/.venv`, unless it is newer than the requirements.
fn install_python_peers(dir: &Path) -> Result<()> {
    let venv = dir.join(".venv");
    let marker = venv.join("installed");
    let requirements = dir.join("requirements.txt");
    let fresh = match (marker.metadata(), requirements.metadata()) {
        (Ok(m), Ok(r)) => m.modified()? >= r.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("installing Python test peers into {}", venv.display());
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .context("running python3 -m venv")?;
    anyhow::ensure!(status.success(), "python3 -m venv failed");
    let status = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements)
        .status()
        .context("running pip install")?;
    anyhow::ensure!(
        status.success(),
        "pip install -r {} failed",
        requirements.display()
    );
    std::fs::write(&marker, "").context("marking the venv as installed")?;
    Ok(())
}

/// Apache httpd (Debian's apache2) for the Digest and mutual-TLS tests, and the openssl
/// command that makes the latter's certificates; installed with apt-get when run as root (as
/// on CI), otherwise the command to run is printed.
fn install_apache() -> Result<()> {
    if Path::new("/usr/sbin/apache2").exists() && Path::new("/usr/bin/openssl").exists() {
        return Ok(());
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    anyhow::ensure!(
        root,
        "Apache httpd and openssl are needed for the Digest and mutual-TLS tests: run `sudo apt-get install -y apache2 apache2-utils openssl`"
    );
    println!("installing Apache httpd with apt-get");
    for args in [
        &["update", "-qq"][..],
        &[
            "install",
            "-y",
            "-qq",
            "--no-install-recommends",
            "apache2",
            "apache2-utils",
            "openssl",
        ][..],
    ] {
        let status = Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .context("running apt-get")?;
        anyhow::ensure!(status.success(), "apt-get {} failed", args.join(" "));
    }
    Ok(())
}
