//! Generation speed: each run is a fresh process (`cargo xtask bench-generation-run`, hidden)
//! that times its own stages and reports its peak memory, so runs do not warm each other's
//! allocator and the peak is that of one generation.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::process;
use super::stats::Stats;

/// The stages, in order, as the child reports them.
/// `emit` includes formatting: each emitting thread formats the files it emits.
pub(crate) const STAGES: &[&str] = &["read", "parse", "lower", "emit", "write"];

#[derive(clap::Args)]
pub(crate) struct RunArgs {
    #[arg(long)]
    spec: PathBuf,
    /// Directory to write the standalone crate into (synced: only files that differ are
    /// written, so runs after the first into one directory time a regeneration that changes
    /// nothing).
    #[arg(long)]
    out: PathBuf,
}

/// One generation, timed stage by stage; prints one JSON object.
pub(crate) fn run_once(args: RunArgs) -> Result<ExitCode> {
    let mut times = serde_json::Map::new();
    let mut lap = Instant::now();
    let mut stage = |name: &str, times: &mut serde_json::Map<String, Value>| {
        times.insert(name.to_owned(), json!(lap.elapsed().as_secs_f64() * 1e3));
        lap = Instant::now();
    };
    let started = Instant::now();
    let text = fs::read_to_string(&args.spec)
        .with_context(|| format!("reading {}", args.spec.display()))?;
    stage("read", &mut times);
    let spec = codegen::Spec::parse(&args.spec.to_string_lossy(), &text)?;
    stage("parse", &mut times);
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        ..codegen::Options::default()
    };
    let api = codegen::lower(&spec, &options)?;
    let title = spec.openapi.info.title.clone();
    let operations = api.coverage.operations_generated;
    let schemas = api.coverage.schemas_generated;
    stage("lower", &mut times);
    // As `cargo xtask codegen` does: the document is dropped before emitting.
    let source = spec.source();
    drop(spec);
    let output = codegen::emit(&source, api, &options)?;
    stage("emit", &mut times);
    let header = codegen_cli::standalone::CrateHeader {
        name: "atlas-sdk-generated",
        title: &title,
        command: "cargo xtask bench",
    };
    let runtime = codegen_cli::standalone::Runtime::Path(
        crate::workspace_root().join(crate::codegen::RUNTIME_CRATE),
    );
    let files = codegen_cli::standalone::standalone_crate(&header, &runtime, &output)?;
    let synced =
        codegen_cli::tree::sync_tree(&args.out, &files, codegen_cli::tree::Ownership::Manifest)?;
    stage("write", &mut times);
    let total = started.elapsed().as_secs_f64() * 1e3;
    let generated = output.files.values();
    let report = json!({
        "stages_ms": times,
        "total_ms": total,
        "peak_kib": peak_kib_of_self(),
        "files": output.files.len(),
        "lines": generated.clone().map(|t| t.lines().count()).sum::<usize>(),
        "bytes": generated.map(String::len).sum::<usize>(),
        "operations": operations,
        "schemas": schemas,
        "written": synced.written,
        "removed": synced.removed,
        "unchanged": synced.unchanged,
    });
    println!("{report}");
    Ok(ExitCode::SUCCESS)
}

/// `VmHWM` (peak resident set) of this process, in KiB.
fn peak_kib_of_self() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Repeated generations of one spec.
pub(crate) struct Generation {
    /// Per stage (in [`STAGES`] order), then `total` (inside the process) and `process`
    /// (wall time of the whole command, start-up included).
    pub stages: Vec<(String, Stats)>,
    pub peak_kib: u64,
    pub files: u64,
    pub lines: u64,
    pub operations: u64,
    pub schemas: u64,
}

/// Where a measured generation writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The directory the previous run wrote (after one untimed run): a maintainer's
    /// regeneration, where only what changed is written (here nothing).
    Existing,
    /// A new, empty directory for each run: every file is written.
    Empty,
}

/// Generates `spec` `runs` times with the release xtask at `xtask`.
pub(crate) fn measure(
    xtask: &Path,
    spec: &Path,
    work: &Path,
    runs: usize,
    target: Target,
) -> Result<Generation> {
    let mut per_stage: Vec<(String, Vec<f64>)> = STAGES
        .iter()
        .chain(&["total", "process"])
        .map(|s| ((*s).to_owned(), Vec::new()))
        .collect();
    let mut peak_kib = 0;
    let mut last = Value::Null;
    // Empty directories are new ones, removed only after every run: deleting a tree just
    // before a run would have the file system discard its blocks during the timed writes.
    let empties = work.join("generated-empty");
    if empties.exists() {
        fs::remove_dir_all(&empties).with_context(|| format!("removing {}", empties.display()))?;
    }
    let generate = |out: &Path| {
        process::run_ok(
            Command::new(xtask)
                .arg("bench-generation-run")
                .arg("--spec")
                .arg(spec)
                .arg("--out")
                .arg(out),
        )
    };
    let existing = work.join("generated");
    if target == Target::Existing {
        generate(&existing)?;
    }
    for run in 0..runs.max(1) {
        let measured = match target {
            Target::Existing => generate(&existing)?,
            Target::Empty => generate(&empties.join(run.to_string()))?,
        };
        let report: Value = serde_json::from_slice(&measured.output.stdout)
            .context("reading the report of a generation run")?;
        for (name, values) in &mut per_stage {
            let value = match name.as_str() {
                "total" => report.get("total_ms").and_then(Value::as_f64),
                "process" => Some(measured.wall.as_secs_f64() * 1e3),
                stage => report
                    .pointer(&format!("/stages_ms/{stage}"))
                    .and_then(Value::as_f64),
            };
            values.push(value.with_context(|| format!("no `{name}` in {report}"))?);
        }
        peak_kib = peak_kib.max(report.get("peak_kib").and_then(Value::as_u64).unwrap_or(0));
        last = report;
    }
    if empties.exists() {
        fs::remove_dir_all(&empties).with_context(|| format!("removing {}", empties.display()))?;
    }
    let count = |key: &str| last.get(key).and_then(Value::as_u64).unwrap_or(0);
    Ok(Generation {
        stages: per_stage
            .into_iter()
            .filter_map(|(name, values)| Some((name, Stats::of(&values)?)))
            .collect(),
        peak_kib,
        files: count("files"),
        lines: count("lines"),
        operations: count("operations"),
        schemas: count("schemas"),
    })
}
