//! `cargo xtask bench`: generation speed, compile cost of the generated crate and runtime
//! overhead, each beside progenitor or bare `reqwest`, written to `BENCHMARKS.md`.
//!
//! Everything is timed in release builds and in child processes; nothing here is a test.

mod compile;
mod generation;
mod machine;
mod peers;
mod peers_report;
mod process;
mod progenitor;
mod report;
mod runtime;
mod stats;
mod user_build;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

pub(crate) use generation::{RunArgs as GenerationRunArgs, run_once as generation_run};

use crate::workspace_root;

/// The specs, relative to the workspace root (`../shared` sits beside the checkout).
pub(crate) const SPEC_2025: &str = "../shared/specs/atlas-api-2025-06-30.yaml";
pub(crate) const SPEC_2023: &str = "../shared/specs/atlas-api-2023-02-13.yaml";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Fewer runs everywhere, to check that the command works (figures are not for quoting).
    #[arg(long)]
    quick: bool,
    /// Only these sections (default: all of them, which rewrites BENCHMARKS.md).
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Vec<Section>,
    /// Where to write the report [default: BENCHMARKS.md in the workspace when every section
    /// ran; nowhere otherwise].
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Section {
    Generation,
    Compile,
    Runtime,
    /// A user's cold build of a one-call application.
    User,
    /// Side by side with openapi-to-rust on real documents: generation on disk and in
    /// memory, and `cargo check` of each generator's crate.
    Peers,
}

/// Runs per measurement.
#[derive(Clone, Copy)]
pub(crate) struct Runs {
    pub generation: usize,
    pub compile: usize,
    pub quick: bool,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = workspace_root();
    let runs = if args.quick {
        Runs {
            generation: 2,
            compile: 1,
            quick: true,
        }
    } else {
        Runs {
            generation: 7,
            compile: 3,
            quick: false,
        }
    };
    let sections = if args.only.is_empty() {
        vec![
            Section::Generation,
            Section::Compile,
            Section::Runtime,
            Section::User,
            Section::Peers,
        ]
    } else {
        args.only.clone()
    };
    for spec in [SPEC_2025, SPEC_2023] {
        if !root.join(spec).exists() {
            bail!("{spec} is missing: the benchmarks read MongoDB's specs beside the checkout");
        }
    }
    let work = root.join("target/bench");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    eprintln!("== building the benchmark programs (release)");
    build_release(&["xtask", "atlas-bench", "specwire-cli"])?;
    let xtask = root.join("target/release/xtask");
    let bench_bin = |name: &str| root.join("target/release").join(name);

    let mut report = report::Report::new(machine::describe(), runs);
    let setup = Setup {
        inputs: progenitor::inputs(&bench_bin("progenitor"), &root, &work)?,
        xtask,
        progenitor: bench_bin("progenitor"),
        root: root.clone(),
        work,
        runs,
    };
    if sections.contains(&Section::Generation) {
        eprintln!("== generation");
        report.generation = Some(generation_section(&setup)?);
    }
    if sections.contains(&Section::Compile) {
        eprintln!("== compile cost of generated code");
        report.compile = Some(compile::section(&setup)?);
    }
    if sections.contains(&Section::Runtime) {
        eprintln!("== runtime overhead");
        report.runtime = Some(runtime::section(&bench_bin("runtime"), runs)?);
    }
    if sections.contains(&Section::User) {
        eprintln!("== a user's cold build");
        report.user = Some(user_build::section(
            &root,
            &setup.work,
            runs.compile.min(2),
        )?);
    }
    if sections.contains(&Section::Peers) {
        eprintln!("== side by side with openapi-to-rust");
        report.peers = Some(peers::section(&setup)?);
    }
    let markdown = report.markdown();
    println!("{markdown}");
    let destination = match (&args.report, sections.len()) {
        (Some(path), _) => Some(crate::user_path(Some(path), "BENCHMARKS.md")),
        (None, 5) if !args.quick => Some(root.join("BENCHMARKS.md")),
        _ => None,
    };
    if let Some(path) = destination {
        std::fs::write(&path, &markdown).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// What every section needs: the programs, the common inputs, where to work, how often.
pub(crate) struct Setup {
    pub xtask: PathBuf,
    pub progenitor: PathBuf,
    pub root: PathBuf,
    pub work: PathBuf,
    pub inputs: Vec<progenitor::Input>,
    pub runs: Runs,
}

fn generation_section(setup: &Setup) -> Result<report::GenerationSection> {
    let (xtask, progenitor_bin, root, work) =
        (&setup.xtask, &setup.progenitor, &setup.root, &setup.work);
    let (inputs, runs) = (&setup.inputs, setup.runs);
    let mut ours = Vec::new();
    for spec in [SPEC_2025, SPEC_2023] {
        let name = spec.rsplit('/').next().unwrap_or(spec);
        for (target, label) in [
            (generation::Target::Existing, "regenerating"),
            (generation::Target::Empty, "into an empty directory"),
        ] {
            eprintln!("   ours: {spec}, {label}");
            ours.push((
                format!("{name}, {label}"),
                generation::measure(xtask, &root.join(spec), work, runs.generation, target)?,
            ));
        }
    }
    let mut side_by_side = Vec::new();
    for input in inputs {
        eprintln!("   side by side: {}", input.label);
        let our = generation::measure(
            xtask,
            &input.spec,
            work,
            runs.generation,
            generation::Target::Existing,
        )?;
        let theirs = progenitor::generate(progenitor_bin, &input.spec, runs.generation)?;
        side_by_side.push((input.clone(), our, theirs));
    }
    eprintln!("   progenitor: the full 2025 spec, unmodified");
    let progenitor_full = progenitor::generate(progenitor_bin, &root.join(SPEC_2025), 1)?;
    Ok(report::GenerationSection {
        ours,
        side_by_side,
        progenitor_full,
    })
}

/// `cargo build --release -p …` for the benchmark programs.
fn build_release(packages: &[&str]) -> Result<()> {
    let mut command = crate::builds::cargo();
    command.args(["build", "--release", "--quiet"]);
    for package in packages {
        command.args(["--package", package]);
    }
    let status = command
        .current_dir(workspace_root())
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("building the benchmark programs failed");
    }
    Ok(())
}
