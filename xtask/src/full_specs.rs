//! `cargo xtask full-specs`: generate MongoDB's full specs (by path, never copied) into
//! standalone crates, check they build without a warning (all features, and single tags),
//! hold the coverage baseline, and run the conformance program against Prism.

use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result};

use crate::builds::GeneratedTarget;
use crate::conformance::{Mock, build_example, calls, generate_crate, run_program, work_file};
use crate::workspace_root;

/// The waiter table for MongoDB's specs, relative to the workspace root.
const WAITERS: &str = "spec/waiters.toml";
/// The specs, relative to the workspace root (`../shared` sits beside the checkout).
const SPECS: &[&str] = &[
    "../shared/specs/atlas-api-2023-02-13.yaml",
    "../shared/specs/atlas-api-2025-06-30.yaml",
];
/// The spec whose every operation is called against Prism.
const CONFORMANCE_SPEC: &str = "../shared/specs/atlas-api-2025-06-30.yaml";

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Single-tag features to build alone, besides all features (`all`: every tag, which
    /// takes long).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "access-tracking,clusters,projects"
    )]
    tags: Vec<String>,
    /// Skip the conformance run against Prism.
    #[arg(long)]
    no_conformance: bool,
    /// Skip the codec-twins run (each model's codec against a serde-derived twin).
    #[arg(long)]
    no_twins: bool,
    /// Rewrite the coverage and conformance baselines instead of comparing with them.
    #[arg(long)]
    bless: bool,
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = workspace_root();
    let work = tempfile::Builder::new()
        .prefix("atlas-full-specs-")
        .tempdir()
        .context("creating a temporary directory")?;
    let target = GeneratedTarget::new();
    let mut failures = Vec::new();
    for spec in SPECS {
        let spec_path = root.join(spec);
        let stem = Path::new(spec)
            .file_stem()
            .map_or_else(|| "spec".into(), |s| s.to_string_lossy().into_owned());
        let out = work.path().join(&stem);
        let coverage = work.path().join(format!("{stem}.coverage.json"));
        let started = Instant::now();
        // The waiters MongoDB's specs get (spec/waiters.toml), generated and compiled with
        // every tag.
        let waiters = root.join(WAITERS);
        let mut extra: Vec<&std::ffi::OsStr> = vec![
            "--coverage-json".as_ref(),
            coverage.as_os_str(),
            "--waiters".as_ref(),
            waiters.as_os_str(),
        ];
        if *spec == CONFORMANCE_SPEC && !args.no_conformance {
            extra.push("--conformance".as_ref());
        }
        if !args.no_twins {
            extra.push("--twins".as_ref());
        }
        generate_crate(&root, &spec_path, &out, &extra)?;
        println!(
            "{stem}: generated in {:.1} s (including the release build of xtask)",
            started.elapsed().as_secs_f64()
        );
        fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("copying Cargo.lock")?;
        compare_baseline(
            &root.join(format!("tests/baselines/{stem}.coverage.json")),
            &fs::read_to_string(&coverage)?,
            args.bless,
            &mut failures,
        )?;

        // Every tag at once (the default features are `full`). With programs to run, they
        // are built here, together, so the crate compiles once for both and the programs
        // build side by side; without, a check is enough.
        let programs = (*spec == CONFORMANCE_SPEC && !args.no_conformance) || !args.no_twins;
        let every_tag = if programs {
            vec!["build".to_owned(), "--examples".to_owned()]
        } else {
            vec!["check".to_owned(), "--all-features".to_owned()]
        };
        let mut builds: Vec<Vec<String>> = vec![every_tag];
        let tags = if args.tags == ["all"] {
            feature_list(&out)?
        } else {
            args.tags.clone()
        };
        for tag in tags {
            builds.push(vec![
                "check".to_owned(),
                "--no-default-features".to_owned(),
                "--features".to_owned(),
                tag,
            ]);
        }
        for flags in builds {
            let started = Instant::now();
            let output = target
                .cargo()
                .arg(&flags[0])
                .arg("--manifest-path")
                .arg(out.join("Cargo.toml"))
                .args(&flags[1..])
                .output()
                .context("running cargo")?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            let warnings = stderr.lines().filter(|l| l.starts_with("warning")).count();
            println!(
                "{stem}: cargo {} in {:.1} s: {}, {warnings} warning lines",
                flags.join(" "),
                started.elapsed().as_secs_f64(),
                if output.status.success() {
                    "ok"
                } else {
                    "FAILED"
                }
            );
            if !output.status.success() || warnings > 0 {
                eprintln!("{stderr}");
                failures.push(format!("{stem}: cargo {}", flags.join(" ")));
            }
        }
        if *spec == CONFORMANCE_SPEC && !args.no_conformance {
            conformance(
                &root,
                &spec_path,
                &out,
                &target,
                &stem,
                args.bless,
                &mut failures,
            )?;
        }
        if !args.no_twins {
            twins(&out, &target, &stem, &mut failures)?;
        }
    }
    if !args.no_conformance {
        rate_limit_conformance(&root, work.path(), &target, args.bless, &mut failures)?;
    }
    if failures.is_empty() {
        println!("full specs: all good");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("full specs: {} failure(s):", failures.len());
    for failure in &failures {
        eprintln!("  {failure}");
    }
    Ok(ExitCode::FAILURE)
}

/// The tag features a generated crate declares.
fn feature_list(out: &Path) -> Result<Vec<String>> {
    let manifest = fs::read_to_string(out.join("Cargo.toml"))?;
    Ok(manifest
        .lines()
        .filter(|l| l.ends_with("= []"))
        .filter_map(|l| l.split(' ').next())
        .map(str::to_owned)
        .collect())
}

fn compare_baseline(
    path: &Path,
    actual: &str,
    bless: bool,
    failures: &mut Vec<String>,
) -> Result<()> {
    // The spec path in reports depends on where the checkout lives; baselines do not.
    if bless {
        fs::create_dir_all(path.parent().context("baseline without a directory")?)?;
        fs::write(path, actual).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
        return Ok(());
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        print!(
            "{}",
            diff.unified_diff()
                .context_radius(2)
                .header(&format!("{} (baseline)", path.display()), "now")
        );
        failures.push(format!(
            "{} changed: review, then `cargo xtask full-specs --bless` if it is an improvement",
            path.display()
        ));
    }
    Ok(())
}

/// Builds and runs `examples/twins.rs`: every struct model's hand-written codec against a
/// serde-derived twin on the same JSON; any difference is a failure.
fn twins(
    out: &Path,
    target: &GeneratedTarget,
    stem: &str,
    failures: &mut Vec<String>,
) -> Result<()> {
    let started = Instant::now();
    let output = Command::new(build_example(out, target, "twins")?)
        .output()
        .context("running the codec-twins program")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!(
        "{stem}: codec twins, built and run in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        stdout
            .lines()
            .find(|l| l.starts_with("summary"))
            .unwrap_or("summary missing")
            .replace('\t', " ")
    );
    if !output.status.success() {
        let mismatches: Vec<&str> = stdout
            .lines()
            .filter(|l| !l.starts_with("summary"))
            .collect();
        for line in mismatches.iter().take(20) {
            eprintln!("  {line}");
        }
        failures.push(format!(
            "{stem}: {} case(s) where the codec and its serde twin differ",
            mismatches.len()
        ));
    }
    Ok(())
}

/// Builds and runs `examples/conformance.rs` against Prism serving the same spec; the
/// operations that do not pass must be exactly the baseline's (each explained there).
fn conformance(
    root: &Path,
    spec: &Path,
    out: &Path,
    target: &GeneratedTarget,
    stem: &str,
    bless: bool,
    failures: &mut Vec<String>,
) -> Result<()> {
    let started = Instant::now();
    let program = build_example(out, target, "conformance")?;
    println!(
        "{stem}: conformance program built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let stdout = run_program(root, spec, &program, Mock::Static)?;
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("summary"))
        .unwrap_or("summary missing");
    println!("{stem}: {}", summary.replace('\t', " "));
    // operationId and outcome of every call that did not pass, sorted.
    let mut not_ok: Vec<String> = calls(&stdout)
        .into_iter()
        .filter(|call| call.outcome != "ok")
        .map(|call| format!("{}\t{}", call.id, call.outcome))
        .collect();
    not_ok.sort();
    let details = work_file(out, "conformance.out");
    fs::write(&details, stdout.as_bytes())?;
    println!("{stem}: full conformance output in {}", details.display());
    compare_baseline(
        &root.join(format!("tests/baselines/{stem}.conformance.txt")),
        &(not_ok.join("\n") + "\n"),
        bless,
        failures,
    )
}

/// The Access Tracking fixture (the shipped spec before it was MongoDB's whole document) as
/// MongoDB's specs after 2025-06-30 write their operations: `RateLimit-*`
/// response headers on every 200, so each operation returns `Response<T, ResponseHeaders>`.
/// Its conformance program must build and pass against Prism like the others.
/// Atlas's Access Tracking tag, written by this project from MongoDB's facts.
const ACCESS_TRACKING: &str = "tests/fixtures/atlas-access-tracking.yaml";

fn rate_limit_conformance(
    root: &Path,
    work: &Path,
    target: &GeneratedTarget,
    bless: bool,
    failures: &mut Vec<String>,
) -> Result<()> {
    let stem = "atlas-api-rate-limits";
    let text = fs::read_to_string(root.join(ACCESS_TRACKING))
        .context("reading the Access Tracking fixture")?;
    let headers = "          headers:\n            RateLimit-Limit:\n              schema: {type: integer}\n            RateLimit-Remaining:\n              schema: {type: integer}\n";
    let ok = "        \"200\":\n          description: OK\n";
    anyhow::ensure!(
        text.contains(ok),
        "the Access Tracking fixture has no `200: OK` response to give headers"
    );
    let spec = work.join(format!("{stem}.yaml"));
    fs::write(&spec, text.replace(ok, &format!("{ok}{headers}")))?;
    let out = work.join(stem);
    generate_crate(root, &spec, &out, &["--conformance".as_ref()])?;
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("copying Cargo.lock")?;
    conformance(root, &spec, &out, target, stem, bless, failures)
}
