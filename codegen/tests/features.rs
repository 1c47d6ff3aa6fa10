//! Per-tag features: every model a tag's generated code names is compiled when that tag's
//! feature is on. Checked on the generated text (the `models::X` paths in each tag's files
//! against the `#[cfg]` before `X`'s re-export), so it shares nothing with how the generator
//! computes the gates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use specwire_codegen::{Options, Spec, generate};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");

/// Model name → the `#[cfg(...)]` line before its re-export in `models/mod.rs` (`None`:
/// always compiled).
fn model_gates(models_mod: &str) -> BTreeMap<String, Option<String>> {
    let mut gates = BTreeMap::new();
    let mut cfg = None;
    for line in models_mod.lines().map(str::trim) {
        if line.starts_with("#[cfg(") {
            cfg = Some(line.to_owned());
        } else if let Some(rest) = line.strip_prefix("pub use self::") {
            let name = rest
                .trim_end_matches(';')
                .rsplit("::")
                .next()
                .unwrap_or(rest);
            gates.insert(name.to_owned(), cfg.take());
        } else if !line.is_empty() {
            cfg = None;
        }
    }
    gates
}

/// The names after each `models::` in `text`.
fn models_named(text: &str) -> Vec<&str> {
    text.match_indices("models::")
        .map(|(at, m)| {
            let rest = &text[at + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Generates `text` (named `file`) and checks every tag file's `models::X` against `X`'s
/// gate; returns how many references it checked.
fn check(file: &str, text: &str) -> usize {
    let spec = Spec::parse(file, text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let output = generate(&spec, &Options::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let gates = model_gates(output.files.get("models/mod.rs").map_or("", String::as_str));
    let mut checked = 0;
    for (name, contents) in &output.files {
        // A tag's file (`pets.rs`, its operations inline), not the root's, the models' or
        // the shared parameters'.
        let Some(module) = name.strip_suffix(".rs").filter(|m| !m.contains('/')) else {
            continue;
        };
        if module == "mod" || module == "parameters" {
            continue;
        }
        let feature = format!("feature = \"{}\"", module.replace('_', "-"));
        for model in models_named(contents) {
            let gate = gates.get(model).unwrap_or_else(|| {
                panic!("{file}: {name} names `models::{model}`, not in models/mod.rs")
            });
            if let Some(cfg) = gate {
                assert!(
                    cfg.contains(&feature),
                    "{file}: {name} names `models::{model}`, compiled only under {cfg}"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// The files under `dir` (recursively) whose names end in one of `extensions`, sorted.
fn documents(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|e| extensions.iter().any(|x| e == *x))
            {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn check_all(paths: &[PathBuf]) -> usize {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable document");
            check(&path.display().to_string(), &text)
        })
        .sum()
}

#[test]
fn every_model_a_tag_names_is_compiled_with_the_tag_feature() {
    let fixtures = documents(Path::new(FIXTURES), &["yaml"]);
    assert!(fixtures.len() >= 5, "fixtures found: {fixtures:?}");
    let checked = check_all(&fixtures);
    assert!(checked > 50, "only {checked} model references checked");
}

/// The same on MongoDB's two full specs and the public corpus, read by path from
/// `../shared/specs`; skipped with a line saying why when that is absent, unless `CI` is set
/// (and CI did not hide it on purpose: `ATLAS_SDK_SHARED_HIDDEN`).
#[test]
fn the_same_holds_on_the_full_specs_and_the_corpus() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs");
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
        && std::env::var_os("ATLAS_SDK_SHARED_HIDDEN").is_none();
    if !shared.is_dir() {
        assert!(
            !ci,
            "CI is set, so no test may skip: {} is not there",
            shared.display()
        );
        use std::io::Write as _;
        // Not `eprintln!`: the test harness captures it.
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {} is not there; the shared specs sit beside the checkout",
            shared.display()
        );
        return;
    }
    let mut paths: Vec<PathBuf> = ["atlas-api-2023-02-13.yaml", "atlas-api-2025-06-30.yaml"]
        .iter()
        .map(|name| shared.join(name))
        .collect();
    let corpus = documents(&shared.join("corpus"), &["yaml", "yml", "json"]);
    assert!(
        corpus.len() >= 60,
        "corpus documents found: {}",
        corpus.len()
    );
    paths.extend(corpus);
    let checked = check_all(&paths);
    assert!(checked > 5_000, "only {checked} model references checked");
}
