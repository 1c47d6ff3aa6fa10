//! `cargo xtask compile-profile`: where rustc spends its time checking a generated crate.
//!
//! `cargo check --timings` gives one bar per crate; what a generator needs is which of the
//! code it emits costs the time. rustc's self-profiler records every query with the item it
//! ran on (`-Z self-profile`, `-Z self-profile-events=default,args`). It is unstable, so the
//! check runs with `RUSTC_BOOTSTRAP=1`, which lets the stable compiler take `-Z` flags: a
//! maintainer's measuring tool only, never a build of the product. The profile is read with
//! `analyzeme`, the profiler's own reader, and reduced to self time (a query's time less the
//! queries it called) by query, and, for the queries that check bodies (`typeck`,
//! `mir_borrowck`, `mir_built`), by part of the crate and kind of function.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::workspace_root;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The package to profile (a member of the workspace, or of `--manifest-path`'s).
    #[arg(long, default_value = "mongodb-atlas-sdk")]
    package: String,
    /// The crate's manifest, when it is not a member of this workspace (a generated crate).
    #[arg(long)]
    manifest_path: Option<PathBuf>,
    /// Rows in each table.
    #[arg(long, default_value_t = 25)]
    rows: usize,
}

/// The queries that check function bodies, whose time is split by function below.
const BODY_QUERIES: &[&str] = &["typeck", "mir_borrowck", "mir_built"];

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let dir = workspace_root().join("target/compile-profile");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let manifest = args
        .manifest_path
        .as_deref()
        .map(codegen_cli::paths::from_current_dir);
    let cargo = |subcommand: &[&str]| {
        let mut command = crate::builds::cargo();
        command.args(subcommand).args(["--package", &args.package]);
        if let Some(manifest) = &manifest {
            command.arg("--manifest-path").arg(manifest);
        }
        command.current_dir(workspace_root());
        command
    };
    // From clean and not incremental, as `cargo xtask bench` times a check.
    let status = cargo(&["clean"]).status().context("running cargo clean")?;
    if !status.success() {
        bail!("cargo clean --package {} failed", args.package);
    }
    eprintln!(
        "checking {} with rustc's self-profiler (slower than a plain check)",
        args.package
    );
    let status = cargo(&["rustc", "--lib", "--all-features", "--profile", "check"])
        .arg("--")
        .arg(format!("-Zself-profile={}", dir.display()))
        .arg("-Zself-profile-events=default,args")
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .context("running cargo rustc")?;
    if !status.success() {
        bail!("checking {} failed", args.package);
    }
    let profile = profile_in(&dir)?;
    let report = Report::read(&profile)?;
    print!("{}", report.text(args.rows));
    Ok(ExitCode::SUCCESS)
}

/// The one profile rustc wrote into `dir`, as `analyzeme` names it (the path without
/// `.mm_profdata`).
fn profile_in(dir: &Path) -> Result<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "mm_profdata") {
            found.push(path.with_extension(""));
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!(
            "expected one profile in {}, found {}",
            dir.display(),
            found.len()
        ),
    }
}

/// One query run: when it started and ended (nanoseconds), what it was and on what.
struct Run {
    start: u128,
    end: u128,
    query: String,
    item: String,
}

/// Self time by query, and by query, part and function for the body queries.
#[derive(Default)]
struct Report {
    by_query: HashMap<String, u128>,
    by_function: HashMap<(String, String, String), (u128, u64)>,
}

impl Report {
    fn read(profile: &Path) -> Result<Report> {
        let data = analyzeme::ProfilingData::new(profile)
            .map_err(|error| anyhow::anyhow!("{error}"))
            .with_context(|| format!("reading {}", profile.display()))?;
        let mut threads: HashMap<u32, Vec<Run>> = HashMap::new();
        for event in data.iter_full() {
            let (Some(duration), analyzeme::EventPayload::Timestamp(timestamp)) =
                (event.duration(), &event.payload)
            else {
                continue;
            };
            let start = timestamp
                .start()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            threads.entry(event.thread_id).or_default().push(Run {
                start,
                end: start + duration.as_nanos(),
                query: event.label.to_string(),
                item: event
                    .additional_data
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            });
        }
        let mut report = Report::default();
        for (_, mut runs) in threads {
            runs.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            for (run, own) in runs.iter().zip(self_times(&runs)) {
                *report.by_query.entry(run.query.clone()).or_default() += own;
                if BODY_QUERIES.contains(&run.query.as_str()) {
                    let key = (run.query.clone(), part(&run.item), function(&run.item));
                    let entry = report.by_function.entry(key).or_default();
                    entry.0 += own;
                    entry.1 += 1;
                }
            }
        }
        Ok(report)
    }

    fn text(&self, rows: usize) -> String {
        let seconds = |ns: u128| ns as f64 / 1e9;
        let mut out = String::from("Self time by query (seconds):\n");
        let mut queries: Vec<_> = self.by_query.iter().collect();
        queries.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (query, ns) in queries.into_iter().take(rows) {
            out.push_str(&format!("{:9.3}  {query}\n", seconds(*ns)));
        }
        out.push_str(&format!(
            "\nSelf time of {} by part of the crate and function (seconds, bodies):\n",
            BODY_QUERIES.join(", ")
        ));
        let mut functions: Vec<_> = self.by_function.iter().collect();
        functions.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        for ((query, part, function), (ns, count)) in functions.into_iter().take(rows) {
            out.push_str(&format!(
                "{:9.3} {count:7}  {query:12} {part:12} {function}\n",
                seconds(*ns)
            ));
        }
        out
    }
}

/// Each run's own time: its length less that of the runs nested in it. `runs` are one
/// thread's, sorted by start (an enclosing run before the runs it encloses).
fn self_times(runs: &[Run]) -> Vec<u128> {
    let mut own: Vec<u128> = runs.iter().map(|r| r.end - r.start).collect();
    // Open runs: (index, end).
    let mut open: Vec<(usize, u128)> = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        while open.last().is_some_and(|(_, end)| *end <= run.start) {
            open.pop();
        }
        if let Some((parent, _)) = open.last() {
            own[*parent] = own[*parent].saturating_sub(run.end - run.start);
        }
        open.push((index, run.end));
    }
    own
}

/// Which part of a generated crate an item is in: `models`, `parameters`, an operation
/// module (`operations`), or the first module of its path otherwise.
fn part(item: &str) -> String {
    if item.contains("::models::") {
        "models".to_owned()
    } else if item.contains("::parameters") {
        "parameters".to_owned()
    } else if item.contains("::generated::") {
        "operations".to_owned()
    } else {
        item.split("::").nth(1).unwrap_or("").to_owned()
    }
}

/// The kind of function an item is: the method's name inside an `impl` (`visit`, `fmt`,
/// `serialize`, …, every `with_*` setter as one), `other` for the rest.
fn function(item: &str) -> String {
    let segments: Vec<&str> = item.split("::").collect();
    let last = segments.last().copied().unwrap_or("");
    if last.starts_with("with_") {
        return "with_*".to_owned();
    }
    let in_impl = segments.len() >= 2 && segments[segments.len() - 2].starts_with("{{impl");
    if in_impl || last.starts_with('{') {
        last.to_owned()
    } else {
        "other".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(start: u128, end: u128) -> Run {
        Run {
            start,
            end,
            query: String::new(),
            item: String::new(),
        }
    }

    #[test]
    fn self_time_is_a_run_less_the_runs_nested_in_it() {
        // 0..100 holds 10..40 (which holds 20..30) and 50..60; 200..210 stands alone.
        let runs = [
            run(0, 100),
            run(10, 40),
            run(20, 30),
            run(50, 60),
            run(200, 210),
        ];
        assert_eq!(self_times(&runs), vec![60, 20, 10, 10, 10]);
    }

    #[test]
    fn items_are_sorted_into_parts_and_functions() {
        let visit = "atlas_sdk::generated::models::zone_mapping::{{impl}}[2]::visit";
        assert_eq!(
            (part(visit), function(visit)),
            ("models".into(), "visit".into())
        );
        let setter = "atlas_sdk::generated::models::zone_mapping::{{impl}}[3]::with_zone";
        assert_eq!(function(setter), "with_*");
        let send = "atlas_sdk::generated::clusters::create_cluster::{{impl}}::send";
        assert_eq!(
            (part(send), function(send)),
            ("operations".into(), "send".into())
        );
        assert_eq!(function("atlas_sdk::client::helper"), "other");
    }
}
