//! Generates every fixture spec `fixtures/*.yaml` into `OUT_DIR` as one file each, and
//! `fixtures.rs` including them all, so that `src/lib.rs` compiles the generator's output
//! for every fixture there is: with its per-tag feature gates, as the snapshots show it, and
//! every feature on.

use std::collections::BTreeSet;
use std::path::Path;

#[path = "fixture_options.rs"]
mod fixture_options;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let fixtures = Path::new(&manifest).join("fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("reading {}: {e}", fixtures.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            Some(
                path.file_name()?
                    .to_str()?
                    .strip_suffix(".yaml")?
                    .to_owned(),
            )
        })
        .collect();
    names.sort();
    let mut includes = String::new();
    let mut features = BTreeSet::new();
    for name in &names {
        let path = fixtures.join(format!("{name}.yaml"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let spec = codegen::Spec::parse(&format!("tests/fixtures/{name}.yaml"), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "cargo::rerun-if-changed={}",
            fixture_options::waiter_table_of(&path).display()
        );
        // The snapshots' options, but for the `client.<tag>()` accessors, which only the
        // SDK's own crate can add to its `Client`.
        let options = fixture_options::fixture_options(&path, codegen::Accessors::None);
        let code = codegen::generate_single_file(&spec, &options, &name.replace('-', "_"))
            .unwrap_or_else(|e| panic!("{e}"));
        let output = codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        features.extend(output.features.into_keys());
        std::fs::write(Path::new(&out).join(format!("{name}.rs")), code)
            .unwrap_or_else(|e| panic!("writing {name}.rs: {e}"));
        includes.push_str(&format!(
            "include!(concat!(env!(\"OUT_DIR\"), \"/{name}.rs\"));\n"
        ));
    }
    // The generated `#[cfg(feature = "<tag>")]` gates name features of the generated crate;
    // here they are this crate's, all on.
    let values: Vec<String> = features.iter().map(|f| format!("\"{f}\"")).collect();
    println!(
        "cargo::rustc-check-cfg=cfg(feature, values({}))",
        values.join(", ")
    );
    for feature in &features {
        println!("cargo::rustc-cfg=feature=\"{feature}\"");
    }
    // Every runtime item the generator names, so that a rename on either side fails here.
    std::fs::write(
        Path::new(&out).join("runtime_probe.rs"),
        codegen::runtime_probe(),
    )
    .unwrap_or_else(|e| panic!("writing runtime_probe.rs: {e}"));
    // `src/lib.rs` includes this one file, so a new fixture needs no line there.
    std::fs::write(Path::new(&out).join("fixtures.rs"), includes)
        .unwrap_or_else(|e| panic!("writing fixtures.rs: {e}"));
}
