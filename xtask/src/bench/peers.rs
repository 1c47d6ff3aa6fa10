//! Side by side with openapi-to-rust, the fastest other Rust generator, on real documents:
//! each generator's installed command (ours as `cargo install specwire-cli` gives it, a
//! release build) generating into a new directory on the disk, regenerating into the one it
//! wrote, and generating into memory (tmpfs); then `cargo check` of each generated crate,
//! with progenitor's where progenitor generates one.
//!
//! Runs alternate between the two generators (ours first on even runs, theirs first on odd
//! ones), so that a slow moment of the machine falls on both.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::stats::Stats;
use super::{SPEC_2025, Setup, compile, process, progenitor};

/// The version compared, installed with `cargo install --locked` into the bench directory.
const OPENAPI_TO_RUST_VERSION: &str = "0.23.0";

/// The documents (label, path from the workspace root): the six of `../shared/specs/wild/`
/// the comparison was first made on, and the full Atlas spec.
pub(crate) const DOCUMENTS: &[(&str, &str)] = &[
    ("asana", "../shared/specs/wild/3.0/asana.yaml"),
    ("fusionauth", "../shared/specs/wild/3.0/fusionauth.yaml"),
    (
        "firefly-iii",
        "../shared/specs/wild/3.0/firefly-iii-v6.6.2.yaml",
    ),
    (
        "hetzner",
        "../shared/specs/wild/3.0/hetzner-hcloud-unofficial.json",
    ),
    ("qdrant", "../shared/specs/wild/3.0/qdrant-master.json"),
    ("figma", "../shared/specs/wild/3.1/figma-rest-api.yaml"),
    ("Atlas 2025", SPEC_2025),
];

/// Where a generation writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Place {
    /// A new directory on the disk the workspace is on.
    DiskEmpty,
    /// The directory the previous run wrote, on that disk.
    DiskAgain,
    /// A new directory in memory (`/dev/shm`).
    Memory,
}

impl Place {
    pub(crate) const ALL: [Place; 3] = [Place::DiskEmpty, Place::DiskAgain, Place::Memory];
}

/// The two generators compared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Generator {
    Ours,
    Theirs,
}

/// A crate's `cargo check` timed, or why there is none (its generator
/// refused the document, or the crate does not compile).
pub(crate) type CheckOutcome = Result<compile::Timing, String>;

/// One document's figures.
pub(crate) struct Row {
    pub label: String,
    /// Files each generator writes (ours, theirs).
    pub files: (u64, u64),
    /// Generation wall time in milliseconds, per place: (ours, theirs).
    pub generation: Vec<(Place, Stats, Stats)>,
    /// `cargo check` of each generator's crate (ours, openapi-to-rust, progenitor).
    pub checks: Vec<(&'static str, CheckOutcome)>,
}

/// The programs and where they work.
struct Tools<'a> {
    ours: PathBuf,
    theirs: PathBuf,
    setup: &'a Setup,
    /// `work/peers`: generated trees, check crates, the shared check target directory.
    dir: PathBuf,
    /// A directory in tmpfs, or `None` where there is none.
    memory: Option<PathBuf>,
}

pub(crate) fn section(setup: &Setup) -> Result<Vec<Row>> {
    let tools = Tools {
        ours: setup.root.join("target/release/specwire"),
        theirs: install_openapi_to_rust(&setup.work)?,
        setup,
        dir: setup.work.join("peers"),
        memory: Path::new("/dev/shm")
            .is_dir()
            .then(|| PathBuf::from("/dev/shm/atlas-bench-peers")),
    };
    if tools.dir.exists() {
        fs::remove_dir_all(&tools.dir)
            .with_context(|| format!("removing {}", tools.dir.display()))?;
    }
    fs::create_dir_all(&tools.dir)?;
    let mut rows = Vec::new();
    for (label, path) in DOCUMENTS {
        let spec = setup.root.join(path);
        if !spec.exists() {
            bail!("{path} is missing: this section reads the documents beside the checkout");
        }
        eprintln!("   side by side with openapi-to-rust: {label}");
        rows.push(document(&tools, label, &spec)?);
    }
    if let Some(memory) = &tools.memory {
        let _ = fs::remove_dir_all(memory);
    }
    Ok(rows)
}

/// `openapi-to-rust` at [`OPENAPI_TO_RUST_VERSION`], installed into `work` on first use.
fn install_openapi_to_rust(work: &Path) -> Result<PathBuf> {
    let root = work.join("openapi-to-rust");
    let program = root.join("bin/openapi-to-rust");
    let installed = Command::new(&program)
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains(OPENAPI_TO_RUST_VERSION));
    if !installed {
        eprintln!("   installing openapi-to-rust {OPENAPI_TO_RUST_VERSION} (a few minutes)");
        let status = crate::builds::cargo()
            .args(["install", "openapi-to-rust", "--locked", "--version"])
            .arg(OPENAPI_TO_RUST_VERSION)
            .arg("--root")
            .arg(&root)
            .status()
            .context("running cargo install openapi-to-rust")?;
        if !status.success() {
            bail!("installing openapi-to-rust {OPENAPI_TO_RUST_VERSION} failed");
        }
    }
    Ok(program)
}

fn document(tools: &Tools, label: &str, spec: &Path) -> Result<Row> {
    let slug: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let runs = tools.setup.runs.generation.max(1);
    let disk = tools.dir.join(format!("generated-{slug}"));
    let memory = tools.memory.as_ref().map(|m| m.join(&slug));
    let mut times: Vec<(Place, Vec<f64>, Vec<f64>)> = Place::ALL
        .iter()
        .map(|p| (*p, Vec::new(), Vec::new()))
        .collect();
    // The directories regenerated into, written once before the timed runs.
    for generator in [Generator::Ours, Generator::Theirs] {
        tools.generate(generator, spec, &disk.join(format!("again-{generator:?}")))?;
    }
    for run in 0..runs {
        let order = if run % 2 == 0 {
            [Generator::Ours, Generator::Theirs]
        } else {
            [Generator::Theirs, Generator::Ours]
        };
        for (place, ours, theirs) in &mut times {
            // New directories are never reused, and removed only after every run: deleting
            // a tree just before a run would have the file system discard its blocks during
            // the timed writes.
            let base = match place {
                Place::DiskEmpty => disk.join(format!("empty-{run}")),
                Place::DiskAgain => disk.clone(),
                Place::Memory => match &memory {
                    Some(memory) => memory.join(format!("empty-{run}")),
                    None => continue,
                },
            };
            for generator in order {
                let out = match place {
                    Place::DiskAgain => base.join(format!("again-{generator:?}")),
                    _ => base.join(format!("{generator:?}")),
                };
                let ms = tools.generate(generator, spec, &out)?;
                match generator {
                    Generator::Ours => ours.push(ms),
                    Generator::Theirs => theirs.push(ms),
                }
            }
        }
    }
    let files = (
        compile::files_under(&disk.join("again-Ours"))?.len() as u64,
        compile::files_under(&disk.join("again-Theirs"))?.len() as u64,
    );
    let mut generation = Vec::new();
    for (place, ours, theirs) in times {
        if let (Some(ours), Some(theirs)) = (Stats::of(&ours), Stats::of(&theirs)) {
            generation.push((place, ours, theirs));
        }
    }
    fs::remove_dir_all(&disk).with_context(|| format!("removing {}", disk.display()))?;
    if let Some(memory) = &memory {
        let _ = fs::remove_dir_all(memory);
    }
    let checks = tools.checks(&slug, spec)?;
    Ok(Row {
        label: label.to_owned(),
        files,
        generation,
        checks,
    })
}

impl Tools<'_> {
    /// Runs one generator on `spec` into `out`; its wall time in milliseconds.
    fn generate(&self, generator: Generator, spec: &Path, out: &Path) -> Result<f64> {
        let mut command = match generator {
            Generator::Ours => {
                let mut command = Command::new(&self.ours);
                command.arg("generate").arg(spec).arg("--out").arg(out);
                command
            }
            Generator::Theirs => {
                let mut command = Command::new(&self.theirs);
                command
                    .arg("generate")
                    .arg(spec)
                    .arg("--output-dir")
                    .arg(out)
                    .arg("--quiet");
                command
            }
        };
        let measured = process::run_ok(&mut command)?;
        Ok(measured.wall.as_secs_f64() * 1e3)
    }

    /// `cargo check` of ours, openapi-to-rust's and progenitor's crates for `spec`.
    fn checks(&self, slug: &str, spec: &Path) -> Result<Vec<(&'static str, CheckOutcome)>> {
        let crates = self.dir.join("crates");
        let target = self.dir.join("check-target");
        let runs = self.setup.runs.compile;
        let mut checks = Vec::new();

        let ours = crates.join(format!("ours-{slug}"));
        let name = format!("peers-ours-{slug}");
        process::run_ok(
            Command::new(&self.ours)
                .arg("generate")
                .arg(spec)
                .arg("--out")
                .arg(&ours)
                .arg("--name")
                .arg(&name)
                .arg("--runtime-path")
                .arg(self.setup.root.join(crate::codegen::RUNTIME_CRATE)),
        )?;
        // The workspace's lock file: the dependency versions the runtime is tested with.
        fs::copy(self.setup.root.join("Cargo.lock"), ours.join("Cargo.lock"))
            .context("copying Cargo.lock")?;
        eprintln!("     cargo check: ours");
        let flags = ["--all-features".to_owned()];
        checks.push((
            "ours",
            Ok(compile::check(&ours, &name, &flags, &target, runs)?),
        ));

        let theirs = crates.join(format!("openapi-to-rust-{slug}"));
        let name = format!("peers-openapi-to-rust-{slug}");
        openapi_to_rust_crate(&self.theirs, spec, &theirs, &name)?;
        eprintln!("     cargo check: openapi-to-rust");
        checks.push((
            "openapi-to-rust",
            compile::check(&theirs, &name, &[], &target, runs).map_err(|e| first_line(&e)),
        ));

        let progenitor_crate = crates.join(format!("progenitor-{slug}"));
        let outcome = progenitor::write_crate(&self.setup.progenitor, spec, &progenitor_crate)
            .and_then(|()| crate::builds::package_name(&progenitor_crate));
        checks.push((
            "progenitor",
            match outcome {
                Ok(name) => {
                    eprintln!("     cargo check: progenitor");
                    compile::check(&progenitor_crate, &name, &[], &target, runs)
                        .map_err(|e| first_line(&e))
                }
                Err(error) => Err(format!(
                    "does not generate: {}",
                    progenitor::last_meaningful_line(&format!("{error:#}"), 120)
                )),
            },
        ));
        Ok(checks)
    }
}

/// openapi-to-rust's output for `spec` as a crate named `name` in `dir`: its files in `src/`
/// (its `mod.rs` as the crate root), and the dependencies it lists in `REQUIRED_DEPS.toml`.
fn openapi_to_rust_crate(program: &Path, spec: &Path, dir: &Path, name: &str) -> Result<()> {
    let src = dir.join("src");
    process::run_ok(
        Command::new(program)
            .arg("generate")
            .arg(spec)
            .arg("--output-dir")
            .arg(&src)
            .arg("--quiet"),
    )?;
    let dependencies = fs::read_to_string(src.join("REQUIRED_DEPS.toml"))
        .context("reading openapi-to-rust's REQUIRED_DEPS.toml")?;
    fs::rename(src.join("mod.rs"), src.join("lib.rs")).context("making mod.rs the crate root")?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n{dependencies}\n[workspace]\n"
    );
    fs::write(dir.join("Cargo.toml"), manifest).context("writing Cargo.toml")?;
    Ok(())
}

/// The first line of an error's chain, shortened: what a table cell can hold.
fn first_line(error: &anyhow::Error) -> String {
    let text = format!("{error:#}");
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    line.chars().take(120).collect()
}
