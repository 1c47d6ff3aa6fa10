//! Compile cost of generated code: `cargo check` and `cargo build` (debug, as a user's
//! day looks) of generated crates, dependencies prebuilt and the crate itself from clean,
//! not incremental (how Cargo compiles a dependency).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::progenitor;
use super::stats::Stats;
use super::{SPEC_2025, Setup, process};

/// One crate built one way.
pub(crate) struct Build {
    /// Which crate (`atlas-sdk (ours), full 2025`, …).
    pub crate_label: String,
    /// Which features.
    pub features: String,
    /// Lines of generated Rust.
    pub lines: u64,
    /// `cargo check`.
    pub check: Timing,
    /// `cargo build`.
    pub build: Timing,
}

/// Repeated runs of one cargo command.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    /// Wall time, seconds: what a user waits.
    pub wall: Stats,
    /// CPU time (user and system) of cargo and the `rustc`s it waited for, seconds. Wall time
    /// above it is waiting (a host that takes the CPU away); it exceeds wall time when
    /// `rustc` works in parallel (code generation in `cargo build`).
    pub cpu: Stats,
    /// Peak memory of the largest process, MiB.
    pub peak_mib: f64,
}

pub(crate) fn section(setup: &Setup) -> Result<Vec<Build>> {
    let (xtask, progenitor_bin, root, work) =
        (&setup.xtask, &setup.progenitor, &setup.root, &setup.work);
    let (inputs, runs) = (&setup.inputs, setup.runs);
    let target = work.join("compile-target");
    let crates = work.join("crates");
    fs::create_dir_all(&crates)?;
    let mut builds = Vec::new();

    let ours_full = crates.join("ours-full-2025");
    generate_ours(xtask, &root.join(SPEC_2025), &ours_full, root)?;
    // The generator names a crate after its directory.
    let ours_full_name = crate::builds::package_name(&ours_full)?;
    let all = vec!["--all-features".to_owned()];
    let access = vec![
        "--no-default-features".to_owned(),
        "--features".to_owned(),
        "access-tracking".to_owned(),
    ];
    for (features, flags) in [("all", &all), ("access-tracking", &access)] {
        eprintln!("   ours, full 2025, {features}");
        builds.push(measure(
            "ours, full 2025 spec",
            features,
            &ours_full,
            &ours_full_name,
            flags,
            &target,
            runs.compile,
        )?);
    }
    for (index, input) in inputs.iter().enumerate() {
        let ours = crates.join(format!("ours-subset-{index}"));
        generate_ours(xtask, &input.spec, &ours, root)?;
        eprintln!("   ours, {}", input.label);
        builds.push(measure(
            &format!("ours, {}", input.label),
            "all",
            &ours,
            &crate::builds::package_name(&ours)?,
            &all,
            &target,
            runs.compile,
        )?);
        let theirs = crates.join(format!("progenitor-subset-{index}"));
        progenitor::write_crate(progenitor_bin, &input.spec, &theirs)?;
        eprintln!("   progenitor, {}", input.label);
        builds.push(measure(
            &format!("progenitor, {}", input.label),
            "default",
            &theirs,
            &crate::builds::package_name(&theirs)?,
            &[],
            &target,
            runs.compile,
        )?);
    }
    Ok(builds)
}

fn generate_ours(xtask: &Path, spec: &Path, out: &Path, root: &Path) -> Result<()> {
    process::run_ok(
        Command::new(xtask)
            .arg("codegen")
            .arg("--spec")
            .arg(spec)
            .arg("--out")
            .arg(out)
            .arg("--runtime-path")
            .arg(root.join(crate::codegen::RUNTIME_CRATE)),
    )?;
    // The workspace's lock file: the same dependency versions the SDK is tested with.
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

/// Warms the dependencies, then times `cargo check` and `cargo build` of the crate alone,
/// cleaning it (only it) before each run.
fn measure(
    label: &str,
    features: &str,
    dir: &Path,
    package: &str,
    flags: &[String],
    target: &Path,
    runs: usize,
) -> Result<Build> {
    let check = time_cargo("check", dir, package, flags, target, runs)
        .with_context(|| format!("`cargo check` of {label}"))?;
    let build = time_cargo("build", dir, package, flags, target, runs)
        .with_context(|| format!("`cargo build` of {label}"))?;
    Ok(Build {
        crate_label: label.to_owned(),
        features: features.to_owned(),
        lines: rust_lines(dir)?,
        check,
        build,
    })
}

/// `cargo check` of the crate in `dir` alone, as [`measure`] times it.
pub(crate) fn check(
    dir: &Path,
    package: &str,
    flags: &[String],
    target: &Path,
    runs: usize,
) -> Result<Timing> {
    time_cargo("check", dir, package, flags, target, runs)
}

/// Warms the dependencies with one untimed `cargo {subcommand}`, then times `runs` more of
/// the crate alone, cleaning it (only it) before each. A crate that does not compile is an
/// error naming rustc's first error.
fn time_cargo(
    subcommand: &str,
    dir: &Path,
    package: &str,
    flags: &[String],
    target: &Path,
    runs: usize,
) -> Result<Timing> {
    let manifest = dir.join("Cargo.toml");
    let cargo = |args: &[&str]| {
        let mut command = crate::builds::cargo();
        command
            .args(args)
            .arg("--manifest-path")
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", target)
            // As Cargo builds a crate users depend on (registry and git dependencies are
            // never incremental), and the same for every crate compared.
            .env("CARGO_INCREMENTAL", "0");
        command
    };
    let warm = process::run(cargo(&[subcommand]).args(flags))?;
    if !warm.output.status.success() {
        let stderr = String::from_utf8_lossy(&warm.output.stderr);
        let first = stderr
            .lines()
            .find(|l| l.starts_with("error"))
            .unwrap_or("failed");
        bail!("does not compile: {first}");
    }
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let mut peak = 0;
    for _ in 0..runs.max(1) {
        process::run_ok(&mut cargo(&["clean", "--package", package]))?;
        let measured = process::run_ok(cargo(&[subcommand]).args(flags))?;
        wall.push(measured.wall.as_secs_f64());
        cpu.push(measured.cpu.as_secs_f64());
        peak = peak.max(measured.peak_kib);
    }
    Ok(Timing {
        wall: Stats::of(&wall).context("no timing")?,
        cpu: Stats::of(&cpu).context("no timing")?,
        peak_mib: peak as f64 / 1024.0,
    })
}

/// Lines of Rust under `dir/src`.
fn rust_lines(dir: &Path) -> Result<u64> {
    let mut lines = 0;
    for path in files_under(&dir.join("src"))? {
        if path.extension().is_some_and(|e| e == "rs") {
            lines += fs::read_to_string(&path)?.lines().count() as u64;
        }
    }
    Ok(lines)
}

/// Every file under `dir`, at any depth.
pub(crate) fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(path) = stack.pop() {
        for entry in fs::read_dir(&path).with_context(|| format!("reading {}", path.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    Ok(files)
}
