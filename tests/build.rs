//! Generates every fixture spec in `fixtures/` into `OUT_DIR` as one file each, so that
//! `src/lib.rs` compiles the generator's output for them.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let fixtures = Path::new(&manifest).join("fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    for name in atlas_sdk_tests_fixtures() {
        let path = fixtures.join(format!("{name}.yaml"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let spec = codegen::Spec::parse(&format!("tests/fixtures/{name}.yaml"), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        let options = codegen::Options {
            accessors: codegen::Accessors::None,
            features: false,
            ..codegen::Options::default()
        };
        let code = codegen::generate_single_file(&spec, &options, &name.replace('-', "_"))
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(Path::new(&out).join(format!("{name}.rs")), code)
            .unwrap_or_else(|e| panic!("writing {name}.rs: {e}"));
    }
}

/// The fixtures compiled into this crate (each also has snapshots in `tests/snapshots.rs`).
fn atlas_sdk_tests_fixtures() -> [&'static str; 6] {
    [
        "atlas-api-2023",
        "keywords",
        "leniency",
        "shapes",
        "types",
        "wire",
    ]
}
