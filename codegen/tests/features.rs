//! Per-tag features: every model a tag's generated code names is compiled when that tag's
//! feature is on. Checked on the generated text (the `models::X` paths in each tag's files
//! against the `#[cfg]` before `X`'s re-export), so it shares nothing with how the generator
//! computes the gates.

use std::collections::BTreeMap;

use atlas_codegen::{Options, Spec, generate};

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

#[test]
fn every_model_a_tag_names_is_compiled_with_the_tag_feature() {
    let mut fixtures: Vec<_> = std::fs::read_dir(FIXTURES)
        .expect("the fixtures directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 5, "fixtures found: {fixtures:?}");
    let mut checked = 0;
    for path in fixtures {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let file = path.display().to_string();
        let spec = Spec::parse(&file, &text).expect("fixture parses");
        let output = generate(&spec, &Options::default()).expect("fixture generates");
        let gates = model_gates(&output.files["models/mod.rs"]);
        for (name, contents) in &output.files {
            let Some((module, _)) = name.split_once('/') else {
                continue;
            };
            if module == "models" || module == "parameters" {
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
    }
    assert!(checked > 50, "only {checked} model references checked");
}
