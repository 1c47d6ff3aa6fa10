//! `cargo xtask corpus DIR…`: every OpenAPI document found, generated into a crate of its
//! own and `cargo check`ed (one shared target directory), with a table of what came out.
//!
//! Fails on any generation failure, compile error or warning, and (with `--baseline`) on a
//! change in the table's stable columns (everything but the times).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use codegen_cli::standalone::{CrateHeader, RoundTrips, Runtime, standalone_crate};

use crate::builds::GeneratedTarget;
use crate::conformance::Call;
use crate::reviewed::{self, Baseline, Found};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Directories (searched recursively for `.yaml`, `.yml` and `.json` documents) or files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Compare the table (without times) with this file, e.g.
    /// `tests/baselines/corpus.txt`.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Rewrite the baselines (`--baseline`, `--round-trip-baseline`) instead of comparing.
    #[arg(long)]
    bless: bool,
    /// Generate only; do not `cargo check` the crates.
    #[arg(long)]
    no_check: bool,
    /// Keep the generated crates in this directory instead of a temporary one.
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Also write each crate's conformance program (`--conformance`) and check it with the
    /// crate: it must compile, without warnings, for every document.
    #[arg(long)]
    conformance: bool,
    /// Also build the conformance program of each document that gives its unions examples,
    /// and run its round trips: every example must decode as a variant and encode back to
    /// the same JSON. Implies `--conformance`.
    #[arg(long)]
    round_trips: bool,
    /// Compare the round trips that do not come back the same with this reviewed list
    /// (each row with its reason), e.g. `tests/baselines/round-trips.txt`; rows of documents
    /// this run does not read are kept as they are. `--bless` rewrites it.
    #[arg(long, requires = "round_trips")]
    round_trip_baseline: Option<PathBuf>,
    /// How many documents to check at once (default: one per core), each worker with a
    /// target directory of its own.
    #[arg(long)]
    jobs: Option<usize>,
    /// Internal: generate this one document into `--keep` and print its row as JSON. Each
    /// document runs in a process of its own this way, so a crash ends only its row.
    #[arg(long, hide = true, requires = "keep")]
    one: Option<PathBuf>,
}

/// What the child process reports for one document.
#[derive(serde::Serialize, serde::Deserialize)]
struct Generated {
    generated: usize,
    total: usize,
    webhooks_generated: usize,
    webhooks_total: usize,
    notes: BTreeMap<String, usize>,
    loose: usize,
    /// Union examples `examples/round_trips.rs` decodes and encodes again.
    #[serde(default)]
    round_trips: usize,
    /// The features that program needs.
    #[serde(default)]
    round_trip_features: Vec<String>,
}

/// One document's row.
struct Row {
    document: String,
    /// (generated, in the spec), or the generation error.
    operations: Result<(usize, usize), String>,
    /// Webhooks (generated, in the spec).
    webhooks: (usize, usize),
    notes: BTreeMap<String, usize>,
    loose: usize,
    generated_in: Duration,
    check: Option<Check>,
    /// The union round trips that ran (`--round-trips`), or why they could not.
    round_trips: Option<Result<Vec<Call>, String>>,
}

struct Check {
    ok: bool,
    warnings: usize,
    errors: Vec<String>,
    took: Duration,
}

impl Row {
    /// Whether generating or checking failed (round trips are judged against their own
    /// baseline).
    fn failed(&self) -> bool {
        self.operations.is_err() || self.check.as_ref().is_some_and(|c| !c.ok || c.warnings > 0)
    }

    /// The round trips that did not come back the same, as (example, outcome, detail); a
    /// program that could not run is one failure of its own.
    fn round_trip_failures(&self) -> Vec<Call> {
        match &self.round_trips {
            None => Vec::new(),
            Some(Err(error)) => vec![Call {
                id: "the round-trip program".to_owned(),
                outcome: "failed".to_owned(),
                detail: error.clone(),
            }],
            Some(Ok(calls)) => calls
                .iter()
                .filter(|c| c.outcome != "ok")
                .cloned()
                .collect(),
        }
    }

    /// The columns that do not change from run to run.
    fn stable(&self) -> String {
        let operations = match &self.operations {
            Ok((generated, total)) if self.webhooks.1 > 0 => format!(
                "{generated}/{total}, webhooks {}/{}",
                self.webhooks.0, self.webhooks.1
            ),
            Ok((generated, total)) => format!("{generated}/{total}"),
            Err(_) => "FAILED".to_owned(),
        };
        let notes = if self.notes.is_empty() {
            "-".to_owned()
        } else {
            self.notes
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let compiles = match &self.check {
            None => "not checked",
            Some(c) if c.ok => "yes",
            Some(_) => "no",
        };
        let warnings = self.check.as_ref().map_or(0, |c| c.warnings);
        format!(
            "| {} | {operations} | {notes} | {} | {compiles} | {warnings} |",
            self.document, self.loose
        )
    }
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    if let (Some(document), Some(dir)) = (&args.one, &args.keep) {
        return generate_one(document, dir, args.conformance || args.round_trips);
    }
    let documents = find_documents(&args.paths)?;
    anyhow::ensure!(
        !documents.is_empty(),
        "no .yaml, .yml or .json documents found"
    );
    let temp;
    let work: PathBuf = match &args.keep {
        Some(dir) => {
            fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.clone()
        }
        None => {
            temp = tempfile::Builder::new().prefix("atlas-corpus-").tempdir()?;
            temp.path().to_owned()
        }
    };
    let jobs = args.jobs.unwrap_or_else(default_jobs).max(1);
    let rows = in_parallel(&documents, jobs, |worker, document, path| {
        document_row(&args, document, path, &work, worker)
    })?;
    let report = table(&rows);
    print!("{report}");
    for row in rows.iter().filter(|r| r.failed()) {
        if let Err(error) = &row.operations {
            println!("\n{}: generation failed: {error}", row.document);
        }
        if let Some(check) = row.check.as_ref().filter(|c| !c.errors.is_empty()) {
            println!(
                "\n{}: cargo check:\n{}",
                row.document,
                check.errors.join("\n")
            );
        }
    }
    let mut ok = rows.iter().all(|r| !r.failed());
    if args.round_trips {
        ok &= report_round_trips(&args, &rows)?;
    }
    if let Some(baseline) = &args.baseline {
        let stable: String = rows.iter().map(|r| r.stable() + "\n").collect();
        if args.bless {
            fs::write(baseline, &stable)
                .with_context(|| format!("writing {}", baseline.display()))?;
            println!("wrote {}", baseline.display());
        } else {
            let expected = fs::read_to_string(baseline).unwrap_or_default();
            if expected != stable {
                let diff = similar::TextDiff::from_lines(expected.as_str(), stable.as_str());
                print!(
                    "{}",
                    diff.unified_diff()
                        .context_radius(1)
                        .header(&format!("{} (baseline)", baseline.display()), "now")
                );
                println!(
                    "the corpus table differs from {}: review, then rerun with --bless",
                    baseline.display()
                );
                ok = false;
            }
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Generates `document` (at `path`) into a crate under `work`, checks it in `target` and
/// runs its round trips, as `args` ask.
fn document_row(
    args: &Args,
    document: &str,
    path: &Path,
    work: &Path,
    target: &GeneratedTarget,
) -> Result<Row> {
    let crate_name = format!("corpus-{}", crate::slug(document));
    let dir = work.join(&crate_name);
    let started = Instant::now();
    let conformance = args.conformance || args.round_trips;
    let generated = generate_isolated(path, &dir, conformance);
    let generated_in = started.elapsed();
    let mut row = Row {
        document: document.to_owned(),
        operations: Err(String::new()),
        webhooks: (0, 0),
        notes: BTreeMap::new(),
        loose: 0,
        generated_in,
        check: None,
        round_trips: None,
    };
    match generated {
        Err(error) => row.operations = Err(format!("{error:#}")),
        Ok(generated) => {
            row.operations = Ok((generated.generated, generated.total));
            row.webhooks = (generated.webhooks_generated, generated.webhooks_total);
            row.notes = generated.notes;
            row.loose = generated.loose;
            if !args.no_check {
                row.check = Some(check(&dir, target, conformance)?);
            }
            let compiled = row.check.as_ref().is_none_or(|c| c.ok);
            if args.round_trips && generated.round_trips > 0 && compiled {
                row.round_trips = Some(
                    crate::conformance::run_round_trips(
                        &dir,
                        target,
                        &generated.round_trip_features,
                    )
                    .map_err(|e| format!("{e:#}")),
                );
            }
            if !args.no_check {
                target.forget(&dir)?;
            }
        }
    }
    Ok(row)
}

/// How many documents are checked at once: one per core. Checking a generated crate is
/// mostly one `rustc` on one core (its dependencies are built already), so a second one
/// halves the wall time on two cores.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// The rows of `documents`, made by `row` on `jobs` workers, each with a target directory of
/// its own (Cargo locks a target directory for a whole build); in the documents' order,
/// with a progress line each as it is done.
fn in_parallel(
    documents: &[(String, PathBuf)],
    jobs: usize,
    row: impl Fn(&GeneratedTarget, &str, &Path) -> Result<Row> + Sync,
) -> Result<Vec<Row>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let rows: std::sync::Mutex<Vec<Option<Row>>> =
        std::sync::Mutex::new(documents.iter().map(|_| None).collect());
    let targets: Vec<GeneratedTarget> = (0..jobs).map(GeneratedTarget::worker).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = targets
            .iter()
            .map(|target| {
                scope.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((document, path)) = documents.get(i) else {
                            return Ok(());
                        };
                        let made = row(target, document, path)?;
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        eprintln!(
                            "[{n}/{}] {document}: {}",
                            documents.len(),
                            if made.failed() { "FAILED" } else { "ok" }
                        );
                        let mut rows = rows
                            .lock()
                            .map_err(|_| anyhow::anyhow!("a worker panicked"))?;
                        rows[i] = Some(made);
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a corpus worker panicked"))?
            })
            .collect::<Result<Vec<()>>>()
    })?;
    let rows = rows
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a worker panicked"))?;
    Ok(rows.into_iter().flatten().collect())
}

/// Generates `document` in a child process (this program with `--one`), so that a crash
/// (a stack overflow aborts the process) fails this document's row, not the whole table.
fn generate_isolated(document: &Path, dir: &Path, conformance: bool) -> Result<Generated> {
    let mut command = Command::new(std::env::current_exe().context("finding this program")?);
    command
        .arg("corpus")
        .arg("--one")
        .arg(document)
        .arg("--keep")
        .arg(dir)
        .arg(document);
    if conformance {
        command.arg("--conformance");
    }
    let output = command
        .output()
        .context("starting the generation of one document")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        anyhow::bail!("the generator failed ({}): {last}", output.status);
    }
    let line = stdout.lines().last().unwrap_or("");
    serde_json::from_str(line).with_context(|| format!("reading the child's report `{line}`"))
}

/// The child's side of [`generate_isolated`]: generates `document` into `dir` as a crate
/// named after the directory, and prints its [`Generated`] row.
fn generate_one(document: &Path, dir: &Path, conformance: bool) -> Result<ExitCode> {
    let root = crate::workspace_root();
    let runtime = root.join(crate::codegen::RUNTIME_CRATE);
    let crate_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "corpus".to_owned());
    let (output, files, round_trips) = generate(document, &crate_name, &runtime, conformance)?;
    let (round_trips, round_trip_features) = round_trips
        .map(|r| (r.examples, r.features))
        .unwrap_or_default();
    write_crate(dir, &files, &root)?;
    let mut notes = BTreeMap::new();
    for note in &output.diagnostics {
        *notes.entry(note.kind.to_string()).or_default() += 1;
    }
    let row = Generated {
        generated: output.coverage.operations_generated,
        total: output.coverage.operations_in_spec,
        webhooks_generated: output.coverage.webhooks_generated,
        webhooks_total: output.coverage.webhooks_in_spec,
        notes,
        loose: output.coverage.loose.len(),
        round_trips,
        round_trip_features,
    };
    println!("{}", serde_json::to_string(&row)?);
    Ok(ExitCode::SUCCESS)
}

/// The documents a `SOURCES.txt` lists (its first column, before ` | ` or ` (`), when one
/// sits in `dir` or its parent: folders of multi-file documents hold parts that are not
/// documents, and documents that are parts of a larger one.
/// Names are relative to the folder of the `SOURCES.txt` (`3.1/hatchet/openapi.yaml`).
fn listed_documents(dir: &Path) -> Result<Option<Vec<(String, PathBuf)>>> {
    for base in [Some(dir), dir.parent()].into_iter().flatten() {
        let sources = base.join("SOURCES.txt");
        if !sources.is_file() {
            continue;
        }
        let text = fs::read_to_string(&sources)
            .with_context(|| format!("reading {}", sources.display()))?;
        let listed = text
            .lines()
            .filter_map(|line| line.split(" | ").next())
            .map(|first| first.split(" (").next().unwrap_or(first).trim())
            .filter(|name| !name.is_empty())
            .map(|name| (name.to_owned(), base.join(name)))
            .filter(|(_, path)| path.starts_with(dir) && path.is_file())
            .collect();
        return Ok(Some(listed));
    }
    Ok(None)
}

/// (name relative to the directory given, path), sorted by name.
fn find_documents(paths: &[PathBuf]) -> Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for given in paths {
        if given.is_file() {
            let name = given
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.push((name, given.clone()));
            continue;
        }
        if let Some(listed) = listed_documents(given)? {
            found.extend(listed);
            continue;
        }
        let mut stack = vec![given.clone()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "yml" | "json")
                ) {
                    let name = path
                        .strip_prefix(given)
                        .unwrap_or(&path)
                        .to_string_lossy()
                        .replace('\\', "/");
                    found.push((name, path));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

fn generate(
    path: &Path,
    name: &str,
    runtime: &Path,
    conformance: bool,
) -> Result<(
    codegen::Output,
    BTreeMap<String, String>,
    Option<RoundTrips>,
)> {
    let spec = codegen_cli::bundle::read_spec(path, &crate::shown_path(path, path))?;
    let title = spec.openapi.info.title.clone();
    let programs = conformance
        .then(|| {
            let args = codegen_cli::standalone::CrateArgs {
                conformance: true,
                ..Default::default()
            };
            codegen_cli::standalone::programs(&spec, name, &args)
        })
        .transpose()?;
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        command: "cargo xtask corpus".to_owned(),
        ..codegen::Options::default()
    };
    let output = codegen::generate(&spec, &options)?;
    let header = CrateHeader {
        name,
        title: &title,
        command: "cargo xtask corpus",
    };
    let mut files = standalone_crate(&header, &Runtime::Path(runtime.to_owned()), &output)?;
    let round_trips = programs.as_ref().and_then(|p| p.round_trips()).cloned();
    if let Some(programs) = programs {
        codegen_cli::standalone::add_programs(&mut files, programs);
    }
    Ok((output, files, round_trips))
}

fn write_crate(dir: &Path, files: &BTreeMap<String, String>, root: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("clearing {}", dir.display()))?;
    }
    for (relative, text) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    // The workspace's lock file: the same dependency versions, resolved offline.
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copying Cargo.lock")?;
    Ok(())
}

fn check(dir: &Path, target: &GeneratedTarget, examples: bool) -> Result<Check> {
    let started = Instant::now();
    let mut command = target.cargo();
    command.args([
        "check",
        "--quiet",
        "--all-features",
        "--message-format",
        "short",
    ]);
    if examples {
        command.args(["--lib", "--examples"]);
    }
    let output = command
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .output()
        .context("running cargo check")?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings = stderr.lines().filter(|l| l.contains(": warning")).count();
    let errors = stderr
        .lines()
        .filter(|l| l.contains(": error") || l.starts_with("error"))
        .take(20)
        .map(str::to_owned)
        .collect();
    Ok(Check {
        ok: output.status.success(),
        warnings,
        errors,
        took: started.elapsed(),
    })
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| document | operations | notes by kind | JSON-typed values | compiles | warnings | generate | check |\n|---|---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let check = row
            .check
            .as_ref()
            .map_or("-".to_owned(), |c| format!("{:.1} s", c.took.as_secs_f64()));
        let _ = writeln!(
            out,
            "{} {} ms | {check} |",
            row.stable(),
            row.generated_in.as_millis()
        );
    }
    let generated: usize = rows
        .iter()
        .filter_map(|r| r.operations.as_ref().ok())
        .map(|(g, _)| g)
        .sum();
    let total: usize = rows
        .iter()
        .filter_map(|r| r.operations.as_ref().ok())
        .map(|(_, t)| t)
        .sum();
    let compiled = rows
        .iter()
        .filter(|r| r.check.as_ref().is_some_and(|c| c.ok && c.warnings == 0))
        .count();
    let _ = writeln!(
        out,
        "\n{} documents: {} generated, {generated}/{total} operations, {compiled} compile without warnings",
        rows.len(),
        rows.iter().filter(|r| r.operations.is_ok()).count()
    );
    out
}

/// Prints how many union examples came back the same, and compares those that did not with
/// the baseline, if one was given (else every one of them fails the run).
fn report_round_trips(args: &Args, rows: &[Row]) -> Result<bool> {
    println!("\n{}", round_trip_summary(rows));
    if let Some(path) = &args.round_trip_baseline {
        return compare_round_trips(path, rows, args.bless);
    }
    let mut ok = true;
    for row in rows {
        for call in row.round_trip_failures() {
            println!(
                "{}: {}: {}: {}",
                row.document, call.id, call.outcome, call.detail
            );
            ok = false;
        }
    }
    Ok(ok)
}

/// Compares this run's round trips that do not come back the same with the reviewed
/// baseline at `path`. Rows of documents this run did not read stay as they are.
fn compare_round_trips(path: &Path, rows: &[Row], bless: bool) -> Result<bool> {
    let baseline = Baseline::read(path, 4);
    let mut lines: Vec<(String, String)> = baseline
        .rows()
        .filter(|(key, _)| {
            let document = key.split('\t').next().unwrap_or("");
            !rows.iter().any(|r| r.document == document)
        })
        .map(|(key, _)| (key.to_owned(), String::new()))
        .collect();
    for row in rows {
        for call in row.round_trip_failures() {
            lines.push((
                format!("{}\t{}\t{}", row.document, call.id, call.outcome),
                call.detail,
            ));
        }
    }
    lines.sort();
    let mut found = Found {
        text: String::from(ROUND_TRIP_HEADER),
        unreviewed: Vec::new(),
    };
    for (key, detail) in &lines {
        found.row(&baseline, key, detail);
    }
    let command = format!(
        "cargo xtask corpus … --round-trips --round-trip-baseline {}",
        path.display()
    );
    reviewed::settle(path, &baseline, &found, bless, &command)
}

const ROUND_TRIP_HEADER: &str = "\
# `cargo xtask corpus DIR --round-trips --round-trip-baseline tests/baselines/round-trips.txt`:
# every example the shared documents give a union (or one of its members) is decoded as the
# union and encoded again, as a server sends it; it must come back as the same JSON, through a
# variant. A row is an example that does not, with the reason. Reason classes:
#   document: the example breaks its own schema (a required property left out, …);
#   generator: a bug of ours, not fixed yet (it names the issue that tracks it).
# Columns: document, example, outcome, reason.
";

/// `N union examples of M documents: K come back the same`.
fn round_trip_summary(rows: &[Row]) -> String {
    let ran: Vec<&Vec<Call>> = rows
        .iter()
        .filter_map(|r| r.round_trips.as_ref()?.as_ref().ok())
        .collect();
    let examples: usize = ran.iter().map(|calls| calls.len()).sum();
    let same = ran
        .iter()
        .flat_map(|calls| calls.iter())
        .filter(|c| c.outcome == "ok")
        .count();
    format!(
        "union round trips: {examples} examples of {} documents, {same} come back the same",
        ran.len()
    )
}
