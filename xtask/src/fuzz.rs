//! `cargo xtask fuzz`: real specs, mutated at random, through the whole pipeline (parse,
//! validate, lower, emit, format). Every case must end in generated files or a located error:
//! a panic, or an error the generator calls its own bug (`Internal`), fails the run with the
//! seed that reproduces it.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::{Map, Value};

use crate::names::hostile_name;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// How many mutated documents to try.
    #[arg(long, default_value_t = 10_000)]
    cases: u64,
    /// Seed of the first case (case `i` uses `seed + i`, so any failure can be rerun alone
    /// with `--seed <its seed> --cases 1`).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Mutations applied to each document.
    #[arg(long, default_value_t = 3)]
    mutations: usize,
    /// Also print the most common reasons documents were rejected.
    #[arg(long)]
    reasons: bool,
    /// Write each failing case's document to `target/fuzz-failures/<seed>.yaml`.
    #[arg(long)]
    save: bool,
    /// Documents to start from [default: the shipped spec, the test fixtures, and every
    /// single-file document of ../shared/specs up to 160 KiB].
    specs: Vec<PathBuf>,
}

/// What one case came to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Files came out.
    Generated,
    /// A located error (syntax with a line, everything else with a pointer), summarized by
    /// its kind and the start of its message.
    Rejected(String),
    /// A generator bug: a panic, an `Internal` error, or an error without a location.
    Bug(String),
}

pub(crate) fn run(args: Args) -> Result<ExitCode> {
    let root = crate::workspace_root();
    let paths = if args.specs.is_empty() {
        default_specs(&root)
    } else {
        args.specs.clone()
    };
    let mut bases = Vec::new();
    for path in &paths {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let text = text.trim_start_matches('\u{feff}');
        // A seed that does not parse (a published document with a mistake in its syntax)
        // is no use as a base; it is named and skipped.
        let value: Result<Value, String> = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            yaml_serde::from_str(text).map_err(|e| e.to_string())
        };
        match value {
            Ok(value) => bases.push(value),
            Err(e) => eprintln!("fuzz: {} skipped as a seed: {e}", path.display()),
        }
    }
    anyhow::ensure!(!bases.is_empty(), "no documents to start from");
    // A panic is an outcome here, reported with its seed, not a crash of the run.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let (mut generated, mut rejected, mut bugs) = (0u64, 0u64, Vec::new());
    let mut reasons: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for (seed, outcome, text) in run_cases(&bases, &args)? {
        match outcome {
            Outcome::Generated => generated += 1,
            Outcome::Rejected(why) => {
                rejected += 1;
                *reasons.entry(why).or_insert(0u64) += 1;
            }
            Outcome::Bug(message) => {
                if args.save {
                    let dir = root.join("target/fuzz-failures");
                    std::fs::create_dir_all(&dir)?;
                    std::fs::write(dir.join(format!("{seed}.yaml")), text.unwrap_or_default())?;
                }
                bugs.push((seed, message));
            }
        }
    }
    std::panic::set_hook(default_hook);
    println!(
        "fuzz: {} cases in {:.1} s: {generated} generated, {rejected} rejected with a located error, {} bugs",
        args.cases,
        started.elapsed().as_secs_f64(),
        bugs.len()
    );
    if args.reasons {
        let mut sorted: Vec<_> = reasons.into_iter().collect();
        sorted.sort_by_key(|c| std::cmp::Reverse(c.1));
        for (why, n) in sorted.iter().take(200) {
            println!("  {n:>6} rejected: {why}");
        }
    }
    for (seed, message) in bugs.iter().take(20) {
        println!("  seed {seed}: {message}");
    }
    Ok(if bugs.is_empty() {
        ExitCode::SUCCESS
    } else {
        println!("rerun one with `cargo xtask fuzz --cases 1 --seed <seed>`");
        ExitCode::FAILURE
    })
}

/// Every case of the run, in seed order, with the document text of each bug: the cases are
/// independent, so they are shared out among one worker per core (case `i` to worker
/// `i % workers`), and the report does not depend on how many there were.
fn run_cases(bases: &[Value], args: &Args) -> Result<Vec<(u64, Outcome, Option<String>)>> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from) as u64;
    let mut outcomes = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| {
                scope.spawn(move || {
                    (worker..args.cases)
                        .step_by(workers as usize)
                        .map(|case| {
                            let seed = args.seed.wrapping_add(case);
                            let (outcome, text) = run_case_text(bases, seed, args.mutations);
                            let text = matches!(outcome, Outcome::Bug(_)).then_some(text);
                            (case, outcome, text)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            // Each case catches its own panic: a worker's is the harness's, and fatal.
            all.extend(
                handle
                    .join()
                    .map_err(|_| anyhow::anyhow!("a fuzz worker panicked outside its cases"))?,
            );
        }
        anyhow::Ok(all)
    })?;
    outcomes.sort_by_key(|(case, _, _)| *case);
    Ok(outcomes
        .into_iter()
        .map(|(case, outcome, text)| (args.seed.wrapping_add(case), outcome, text))
        .collect())
}

/// Documents larger than this are left out of the default seeds: each case runs the whole
/// pipeline, and a few large documents would take most of the run.
const MAX_SEED_BYTES: u64 = 160 * 1024;

fn default_specs(root: &std::path::Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    // Every fixture (Atlas's Access Tracking tag among them), found as the snapshot test and `tests/build.rs` find them.
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    // Every single-file document of ../shared/specs (every OpenAPI version, mistakes
    // included) up to MAX_SEED_BYTES; the roots of multi-file documents need their parts.
    let shared = root.join("../shared/specs");
    let mut found = Vec::new();
    let mut stack = vec![shared.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                // Folders inside a version folder of `wild/` (whose parent has SOURCES.txt)
                // hold multi-file documents: parts, not documents.
                let multi_file = dir.parent().is_some_and(|p| p.join("SOURCES.txt").exists());
                if !multi_file {
                    stack.push(path);
                }
                continue;
            }
            let document = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            );
            let small = entry.metadata().is_ok_and(|m| m.len() <= MAX_SEED_BYTES);
            if document && small {
                found.push(path);
            }
        }
    }
    found.sort();
    paths.extend(found);
    paths
}

/// Mutates a copy of one of `bases` (chosen by `seed`) and runs the pipeline on it.
#[cfg(test)]
fn run_case(bases: &[Value], seed: u64, mutations: usize) -> Outcome {
    run_case_text(bases, seed, mutations).0
}

/// The outcome and the document text of one case.
pub(crate) fn run_case_text(bases: &[Value], seed: u64, mutations: usize) -> (Outcome, String) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut document = bases[rng.usize(..bases.len())].clone();
    for _ in 0..mutations.max(1) {
        mutate(&mut document, &mut rng);
    }
    // Half the cases go through YAML text, half through JSON, so both parsers are fuzzed;
    // one in twenty has its text cut short.
    let mut text = if rng.bool() {
        serde_json::to_string_pretty(&document).unwrap_or_default()
    } else {
        yaml_serde::to_string(&document).unwrap_or_default()
    };
    if rng.u8(..20) == 0 && !text.is_empty() {
        let mut cut = rng.usize(..text.len());
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let spec = codegen::Spec::parse("fuzz.yaml", &text)?;
        let options = codegen::Options {
            accessors: codegen::Accessors::Trait,
            ..codegen::Options::default()
        };
        codegen::generate(&spec, &options).map(|_| ())
    }));
    let outcome = match result {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            Outcome::Bug(format!("panicked: {message}"))
        }
        Ok(Ok(())) => Outcome::Generated,
        Ok(Err(error)) if error.kind == codegen::ErrorKind::Internal => {
            Outcome::Bug(format!("internal error: {error}"))
        }
        Ok(Err(error)) if error.location.is_none() && !text.trim().is_empty() => {
            Outcome::Bug(format!("error without a location: {error}"))
        }
        Ok(Err(error)) => {
            let message: String = error.message.chars().take(60).collect();
            Outcome::Rejected(format!("{:?}: {message}", error.kind))
        }
    };
    (outcome, text)
}

/// Every node of the document, as a path of keys and indices, in depth-first order.
fn paths(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                at.push(Step::Key(key.clone()));
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(Step::Index(i));
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut current = value;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Values that stress the generator where a schema, a name or a number is expected.
fn hostile_value(rng: &mut fastrand::Rng, document: &Value) -> Value {
    match rng.u8(..15) {
        0 => Value::Null,
        1 => Value::Bool(rng.bool()),
        2 => Value::from(rng.i64(..)),
        3 => serde_json::json!(f64::from(rng.i32(..)) / 7.0),
        4 => Value::String(hostile_name(rng)),
        5 => Value::Array(Vec::new()),
        6 => Value::Object(Map::new()),
        7 => serde_json::json!({"$ref": format!("#/components/schemas/{}", hostile_name(rng))}),
        8 => {
            let types = [
                "string", "integer", "object", "array", "boolean", "number", "null", "file",
            ];
            serde_json::json!({ "type": types[rng.usize(..types.len())] })
        }
        9 => {
            serde_json::json!({"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Missing"}]})
        }
        10 => {
            serde_json::json!({"allOf": [{"type": "object", "properties": {hostile_name(rng): {"type": "integer", "minimum": 5, "maximum": 1}}}]})
        }
        // A reference to any node of the document: into a subschema, into `#/paths/…`, to an
        // ancestor of where it lands (a cycle through inline schemas).
        11 | 12 => {
            let mut all = Vec::new();
            paths(document, &mut Vec::new(), &mut all);
            let pick = &all[rng.usize(..all.len())];
            let pointer: String = pick
                .iter()
                .map(|step| match step {
                    Step::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
                    Step::Index(i) => format!("/{i}"),
                })
                .collect();
            serde_json::json!({"$ref": format!("#{pointer}")})
        }
        // A schema that includes itself through an inline member.
        13 => {
            serde_json::json!({"type": "object", "properties": {"again": {"allOf": [{"$ref": "#/components/schemas/Loop"}]}}})
        }
        // A subtree of the document itself, somewhere else (cycles, shared shapes).
        _ => {
            let mut all = Vec::new();
            paths(document, &mut Vec::new(), &mut all);
            let pick = &all[rng.usize(..all.len())];
            let mut copy = document.clone();
            node_mut(&mut copy, pick)
                .map(|v| v.take())
                .unwrap_or(Value::Null)
        }
    }
}

/// One random edit: replace, delete, rename or add at a random node.
fn mutate(document: &mut Value, rng: &mut fastrand::Rng) {
    let mut all = Vec::new();
    paths(document, &mut Vec::new(), &mut all);
    // Skip the root itself: replacing the whole document says little.
    let index = if all.len() > 1 {
        rng.usize(1..all.len())
    } else {
        0
    };
    let pick = all[index].clone();
    let replacement = hostile_value(rng, document);
    let action = rng.u8(..4);
    let Some((last, parent_path)) = pick.split_last() else {
        return;
    };
    let Some(parent) = node_mut(document, parent_path) else {
        return;
    };
    match (action, last, parent) {
        (0, _, parent) => {
            if let Some(node) = node_mut(parent, std::slice::from_ref(last)) {
                *node = replacement;
            }
        }
        (1, Step::Key(key), Value::Object(map)) => {
            map.remove(key);
        }
        (1, Step::Index(i), Value::Array(items)) if *i < items.len() => {
            items.remove(*i);
        }
        (2, Step::Key(key), Value::Object(map)) => {
            if let Some(value) = map.remove(key) {
                map.insert(hostile_name(rng), value);
            }
        }
        (_, _, Value::Object(map)) => {
            map.insert(hostile_name(rng), replacement);
        }
        (_, _, Value::Array(items)) => items.push(replacement),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_deterministic_per_seed() {
        let base = serde_json::json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {"description": "x"}}}}}});
        let mut a = base.clone();
        let mut b = base.clone();
        mutate(&mut a, &mut fastrand::Rng::with_seed(7));
        mutate(&mut b, &mut fastrand::Rng::with_seed(7));
        assert_eq!(a, b);
    }

    #[test]
    fn a_few_hundred_cases_find_no_bug() {
        let root = crate::workspace_root();
        let bases: Vec<Value> = [
            "tests/fixtures/atlas-access-tracking.yaml",
            "tests/fixtures/wire.yaml",
            "tests/fixtures/types.yaml",
        ]
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(root.join(p)).unwrap();
            yaml_serde::from_str(&text).unwrap()
        })
        .collect();
        let bugs: Vec<(u64, String)> = (0..300)
            .filter_map(|seed| match run_case(&bases, seed, 3) {
                Outcome::Bug(message) => Some((seed, message)),
                _ => None,
            })
            .collect();
        assert!(bugs.is_empty(), "{bugs:#?}");
    }
}
