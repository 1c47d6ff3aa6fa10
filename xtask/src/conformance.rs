//! The conformance program against Prism, for any document: generating a crate with
//! `--conformance`, building its program, serving the document with Prism and reading what
//! each call came to. `cargo xtask full-specs` runs it on MongoDB's spec; `cargo xtask
//! conformance` runs it on real documents of `../shared/specs/wild/` against a reviewed
//! baseline of the operations that cannot pass, each with the reason why.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::builds::GeneratedTarget;
use crate::reviewed::{self, Baseline, Found};
use crate::workspace_root;

/// The documents `cargo xtask conformance` runs by default, relative to the workspace root:
/// every OpenAPI version (two or three of each, and the one 3.2 document), from 6 to 69
/// operations, and every kind of credential (none, API keys in the query and in a header,
/// HTTP Basic, bearer, OAuth2, a cookie). Single files, so Prism serves them as they are.
pub(crate) const DOCUMENTS: &[&str] = &[
    "../shared/specs/wild/2.0/prometheus-alertmanager-v2.yaml",
    "../shared/specs/wild/2.0/nytimes-books.json",
    "../shared/specs/wild/2.0/kubeflow-pipelines-v2beta1.json",
    "../shared/specs/wild/3.0/openfaas-gateway.yaml",
    "../shared/specs/wild/3.0/pinecone-db-control-2026-04.yaml",
    "../shared/specs/wild/3.0/qdrant-master.json",
    "../shared/specs/wild/3.1/powerdns-authoritative.yaml",
    "../shared/specs/wild/3.1/jupyterhub.yaml",
    "../shared/specs/wild/3.2/scalar-galaxy-3.2-demo.yaml",
];

/// The reviewed baseline, relative to the workspace root.
const BASELINE: &str = "tests/baselines/conformance-wild.txt";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Documents to run (default: the chosen real documents of ../shared/specs/wild).
    paths: Vec<PathBuf>,
    /// Rewrite the baseline (keeping the reasons of rows that stay) instead of comparing.
    #[arg(long)]
    bless: bool,
}

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mock {
    /// With the document's examples (and validates each request).
    Static,
    /// With random values that satisfy the response schema, which must decode.
    Dynamic,
}

impl Mock {
    fn as_str(self) -> &'static str {
        match self {
            Mock::Static => "static",
            Mock::Dynamic => "dynamic",
        }
    }
}

/// One line of the program's output: what one call came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub(crate) id: String,
    /// `ok`, `violation`, `decode`, `body` or `failed`.
    pub(crate) outcome: String,
    pub(crate) detail: String,
}

/// The calls a conformance program printed (`operationId<TAB>outcome<TAB>detail`).
pub(crate) fn calls(stdout: &str) -> Vec<Call> {
    stdout
        .lines()
        .filter(|l| !l.starts_with("summary"))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some(Call {
                id: parts.next()?.to_owned(),
                outcome: parts.next()?.to_owned(),
                detail: parts.next().unwrap_or("").to_owned(),
            })
        })
        .collect()
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = workspace_root();
    let documents: Vec<PathBuf> = if args.paths.is_empty() {
        DOCUMENTS.iter().map(|d| root.join(d)).collect()
    } else {
        args.paths
            .iter()
            .map(|p| codegen_cli::paths::from_current_dir(p))
            .collect()
    };
    // Kept under target/ so a failure can be looked at; crates share one target directory.
    let work = root.join("target/conformance-wild");
    let target = GeneratedTarget::new();
    fs::create_dir_all(&work)?;
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    for document in &documents {
        let shown = shown(document);
        let started = Instant::now();
        let result = document_calls(&root, document, &work, &target)
            .with_context(|| format!("{shown}: the conformance run"))?;
        for (mock, calls) in &result {
            // Under `--dynamic` a call that fails other than by decoding is Prism's doing
            // (its random answer broke, or it could not make one): shown, never counted, so
            // a random value cannot make the run differ from the baseline.
            for call in calls
                .iter()
                .filter(|c| c.outcome != "ok" && failure_is_expected(*mock, c))
            {
                println!(
                    "{shown} dynamic, not counted: {}: {}: {}",
                    call.id, call.outcome, call.detail
                );
            }
            let passed = calls
                .iter()
                .filter(|c| failure_is_expected(*mock, c))
                .count();
            totals.push(format!(
                "{shown}\t{}\t{passed}/{}",
                mock.as_str(),
                calls.len()
            ));
            for call in calls.iter().filter(|c| !failure_is_expected(*mock, c)) {
                rows.push((
                    format!("{shown}\t{}\t{}\t{}", call.id, mock.as_str(), call.outcome),
                    call.detail.clone(),
                ));
            }
        }
        println!(
            "{shown}: {} in {:.1} s",
            totals[totals.len() - result.len()..]
                .iter()
                .map(|t| t.split('\t').skip(1).collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join(", "),
            started.elapsed().as_secs_f64()
        );
    }
    compare(&root.join(BASELINE), &totals, &rows, args.bless)
}

/// Under `--dynamic`, Prism answers random values: only whether they decode is news (a
/// request violation is the static run's to report).
fn failure_is_expected(mock: Mock, call: &Call) -> bool {
    call.outcome == "ok" || (mock == Mock::Dynamic && call.outcome != "decode")
}

/// How a document is named in the baseline: below `specs/wild/` (`3.1/jupyterhub.yaml`).
fn shown(document: &Path) -> String {
    let text = document.to_string_lossy().replace('\\', "/");
    match text.find("specs/wild/") {
        Some(at) => text[at + "specs/wild/".len()..].to_owned(),
        None => text,
    }
}

/// Generates the document's crate with its conformance program, builds it, and runs it
/// against Prism serving the document, with examples and then with random values.
fn document_calls(
    root: &Path,
    document: &Path,
    work: &Path,
    target: &GeneratedTarget,
) -> Result<Vec<(Mock, Vec<Call>)>> {
    let stem = document
        .file_stem()
        .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned());
    let file = document
        .file_name()
        .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned());
    let out = work.join(format!("conformance-{}", crate::slug(&file)));
    if out.exists() {
        fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
    }
    generate_crate(root, document, &out, &["--conformance".as_ref()])?;
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("copying Cargo.lock")?;
    let program = build_example(&out, target, "conformance")?;
    let mut runs = Vec::new();
    for mock in [Mock::Static, Mock::Dynamic] {
        let stdout = run_program(root, document, &program, mock)?;
        fs::write(
            work_file(&out, &format!("{stem}.{}.out", mock.as_str())),
            &stdout,
        )?;
        runs.push((mock, calls(&stdout)));
    }
    target.forget(&out)?;
    Ok(runs)
}

/// Compares the totals and the rows that did not pass with the baseline, whose rows carry a
/// reviewed reason each (kept on `--bless` for rows that stay).
fn compare(
    path: &Path,
    totals: &[String],
    rows: &[(String, String)],
    bless: bool,
) -> Result<ExitCode> {
    let baseline = Baseline::read(path, 5);
    let mut found = Found {
        text: String::from(HEADER),
        unreviewed: Vec::new(),
    };
    found
        .text
        .push_str("\n## Passed, of the operations called\n");
    for total in totals {
        found.text.push_str(total);
        found.text.push('\n');
    }
    found
        .text
        .push_str("\n## Not passing: document, operation, mock, outcome, reason\n");
    for (key, detail) in rows {
        found.row(&baseline, key, detail);
    }
    let agrees = reviewed::settle(path, &baseline, &found, bless, "cargo xtask conformance")?;
    if agrees && !bless {
        println!(
            "conformance: as the baseline says ({} documents)",
            totals.len() / 2
        );
    }
    Ok(if agrees {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

const HEADER: &str = "\
# `cargo xtask conformance`: real documents of ../shared/specs/wild, each generated with
# --conformance, its program built and run against Prism serving the same document: once
# with the document's examples (`static`: Prism validates every request) and once with
# random values that satisfy the response schemas (`dynamic`: every response must decode; a
# call that fails otherwise, as when Prism cannot make a value, is shown but not counted).
# A row is an operation that does not pass, with the reason it cannot. Reason classes:
#   document: the document contradicts itself (an example that breaks its own schema, …);
#   prism: a limit of Prism 5 (no serializer for a media type, 2.0 basePath ignored, …);
#   generator: a bug of ours, not fixed yet (it names the issue that tracks it).
";

/// Builds `examples/<name>.rs` of the generated crate at `out` (default features: every
/// tag) and returns the program's path.
pub(crate) fn build_example(out: &Path, target: &GeneratedTarget, name: &str) -> Result<PathBuf> {
    let status = target
        .cargo()
        .args(["build", "--quiet", "--example", name, "--manifest-path"])
        .arg(out.join("Cargo.toml"))
        .status()
        .with_context(|| format!("building examples/{name}.rs"))?;
    if !status.success() {
        bail!("examples/{name}.rs of {} does not build", out.display());
    }
    Ok(target.dir().join("debug/examples").join(name))
}

/// Runs a built conformance program against Prism serving `spec`, and returns what it printed.
pub(crate) fn run_program(root: &Path, spec: &Path, program: &Path, mock: Mock) -> Result<String> {
    let prism = Prism::start(root, spec, mock)?;
    let output = Command::new(program)
        .arg(format!("http://127.0.0.1:{}", prism.port))
        .output()
        .context("running the conformance program")?;
    drop(prism);
    if !output.status.success() {
        bail!(
            "the conformance program failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Builds the round-trip program of the crate in `out` (`examples/round_trips.rs`, with only
/// `features` on: the unions it names, not every operation) and runs it. Returns the checks
/// it printed, each `ok` or not.
pub(crate) fn run_round_trips(
    out: &Path,
    target: &GeneratedTarget,
    features: &[String],
) -> Result<Vec<Call>> {
    let status = target
        .cargo()
        .args([
            "build",
            "--quiet",
            "--example",
            "round_trips",
            "--no-default-features",
        ])
        .args(["--features", &features.join(",")])
        .arg("--manifest-path")
        .arg(out.join("Cargo.toml"))
        .status()
        .context("building examples/round_trips.rs")?;
    if !status.success() {
        bail!(
            "examples/round_trips.rs of {} does not build",
            out.display()
        );
    }
    let program = target.dir().join("debug/examples/round_trips");
    let output = Command::new(&program)
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if !output.status.success() {
        bail!(
            "the round trips failed to run: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(calls(&String::from_utf8_lossy(&output.stdout)))
}

/// Generates a standalone crate from `spec` into `out` with the release generator and the
/// runtime as it is in this checkout (not the published one), plus `extra` options.
pub(crate) fn generate_crate(
    root: &Path,
    spec: &Path,
    out: &Path,
    extra: &[&std::ffi::OsStr],
) -> Result<()> {
    let status = crate::builds::cargo()
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "xtask",
            "--",
            "codegen",
        ])
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--runtime-path")
        .arg(root.join(crate::codegen::RUNTIME_CRATE))
        .args(extra)
        .stderr(Stdio::null())
        .status()
        .context("running the generator")?;
    anyhow::ensure!(status.success(), "generating {} failed", spec.display());
    Ok(())
}

/// A file beside the crate at `out`.
pub(crate) fn work_file(out: &Path, name: &str) -> PathBuf {
    out.parent()
        .map_or_else(|| out.join(name), |p| p.join(name))
}

/// Prism serving `spec` (with `\:` written `:`, ARCHITECTURE.md, "Test peers") on a free port.
struct Prism {
    child: Child,
    port: u16,
    _spec: tempfile::NamedTempFile,
}

impl Prism {
    fn start(root: &Path, spec: &Path, mock: Mock) -> Result<Prism> {
        let binary = root.join("tests/peers/node_modules/.bin/prism");
        if !binary.exists() {
            bail!("Prism is not installed: run `npm ci --prefix tests/peers`");
        }
        let text =
            fs::read_to_string(spec).with_context(|| format!("reading {}", spec.display()))?;
        let served = tempfile::Builder::new().suffix(".yaml").tempfile()?;
        fs::write(served.path(), text.replace("\\:", ":"))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut command = Command::new(binary);
        command.args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()]);
        if mock == Mock::Dynamic {
            command.arg("--dynamic");
        }
        let mut child = command
            .arg(served.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Prism")?;
        // Drain Prism's log so it never blocks on a full pipe.
        if let Some(stdout) = child.stdout.take() {
            std::thread::spawn(move || BufReader::new(stdout).lines().for_each(drop));
        }
        let deadline = Instant::now() + Duration::from_secs(120);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                bail!("Prism exited ({status}) before listening: it could not read the document");
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                bail!("Prism did not start listening within 120 s");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(Prism {
            child,
            port,
            _spec: served,
        })
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
