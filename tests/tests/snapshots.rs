//! Expected output of every fixture, found by glob: the spec `tests/fixtures/<name>.yaml`
//! and, beside it, `tests/fixtures/<name>/` with one snapshot per generated file and one of
//! the generator's notes. Review changes with `cargo insta review`; CI (CI=true) fails on
//! any difference, and on a fixture without expected output.

use atlas_sdk_tests::workspace_root;

#[path = "../fixture_options.rs"]
mod fixture_options;

fn generate(relative: &str, client_accessors: bool) -> codegen::Output {
    let path = workspace_root().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {relative}: {e}"));
    let spec = codegen::Spec::parse(relative, &text).unwrap_or_else(|e| panic!("{e}"));
    let accessors = if client_accessors {
        codegen::Accessors::Inherent
    } else {
        codegen::Accessors::None
    };
    let options = fixture_options::fixture_options(&path, accessors);
    codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"))
}

/// Fixtures whose expected output includes the `client.<tag>()` accessors on `Client` (the
/// seed-era SDK had them); the others are generated without, as the library compiles them.
const WITH_CLIENT_ACCESSORS: &[&str] = &["atlas-access-tracking", "atlas-api-2023"];

/// Every fixture: `tests/fixtures/<name>.yaml`, by name, sorted. A spec added there is
/// generated, compiled (`build.rs`) and compared with its expected output without further
/// registration.
fn fixtures() -> Vec<String> {
    let dir = workspace_root().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".yaml")?;
            Some(name.to_owned())
        })
        .collect();
    names.sort();
    names
}

/// Compares every file generated for fixture `name`, and its notes, with the expected output
/// beside the spec: `tests/fixtures/<name>/<path with / as __>.snap`.
fn compare_with_expected(name: &str, output: &codegen::Output) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(workspace_root().join("tests/fixtures").join(name));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, text) in &output.files {
            let file = path.replace('/', "__");
            insta::assert_snapshot!(file.trim_end_matches(".rs").to_owned(), text);
        }
        let diagnostics: Vec<String> = output
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.message))
            .collect();
        insta::assert_snapshot!("diagnostics", diagnostics.join("\n"));
    });
    assert_no_stale_snapshots(name, output);
}

/// Every snapshot beside the fixture is one of its generated files or its notes: a file the
/// generator no longer writes (a layout change, a renamed type) leaves no snapshot behind
/// for a reviewer to mistake for expected output.
fn assert_no_stale_snapshots(name: &str, output: &codegen::Output) {
    let dir = workspace_root().join("tests/fixtures").join(name);
    let mut expected: Vec<String> = output
        .files
        .keys()
        .map(|path| format!("{}.snap", path.replace('/', "__").trim_end_matches(".rs")))
        .collect();
    expected.push("diagnostics.snap".to_owned());
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|file| file.ends_with(".snap") && !expected.contains(file))
        .collect();
    assert!(
        stale.is_empty(),
        "{name}: snapshots of files the generator no longer writes: {stale:?}"
    );
}

#[test]
fn every_fixture_generates_its_expected_output() {
    let names = fixtures();
    assert!(
        names.len() >= 6,
        "the fixtures are in tests/fixtures: {names:?}"
    );
    for name in &names {
        let accessors = WITH_CLIENT_ACCESSORS.contains(&name.as_str());
        let output = generate(&format!("tests/fixtures/{name}.yaml"), accessors);
        compare_with_expected(name, &output);
    }
}

/// The shipped SDK's output is guarded by `cargo xtask codegen --check` (which `cargo xtask
/// test` runs first): the checked-in files are its expected output, so it has no snapshots of
/// its own (its Access Tracking tag has, as the fixture `atlas-access-tracking`). This pins
/// the shape of what is checked in: every tag of MongoDB's document, each file behind the
/// header that names the command and the spec's digest.
#[test]
fn shipped_sdk_has_every_tag_and_the_generated_header() {
    let root = workspace_root();
    let text = std::fs::read_to_string(root.join("spec/atlas-api.yaml")).unwrap();
    let spec = codegen::Spec::parse("spec/atlas-api.yaml", &text).unwrap();
    assert_eq!(spec.sha256.len(), 64);
    let header = format!(
        "// @generated by `cargo xtask codegen` (specwire {}) from spec/atlas-api.yaml (sha256 {}).",
        codegen::VERSION,
        spec.sha256
    );
    let generated = root.join("atlas-sdk/src/generated");
    let mut files = Vec::new();
    let mut dirs = vec![generated.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            text.lines().next(),
            Some(header.as_str()),
            "{}",
            path.display()
        );
    }
    // One file per tag, its operations inline; the models in files by initial.
    let tag_files: Vec<&std::path::PathBuf> = files
        .iter()
        .filter(|p| p.parent() == Some(generated.as_path()))
        .filter(|p| {
            !["mod.rs", "parameters.rs"].contains(&p.file_name().unwrap().to_str().unwrap())
        })
        .collect();
    assert_eq!(
        tag_files.len(),
        50,
        "MongoDB's 2025-06-30 document has 50 tags"
    );
    assert_eq!(
        files.len(),
        50 + 2 + std::fs::read_dir(generated.join("models")).unwrap().count(),
        "the tags, the root and the parameters, and the models' files: {files:?}"
    );
    // Every operation with an `x-sunset` date is a deprecated method saying when.
    let sunsets = text.matches("\n            x-sunset: ").count();
    assert_eq!(sunsets, 44);
    let deprecated: usize = tag_files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.matches("note = \"the API withdraws this operation on 20")
                .count()
        })
        .sum();
    assert_eq!(deprecated, sunsets);
    let access_tracking = std::fs::read_to_string(generated.join("access_tracking.rs")).unwrap();
    let modules: Vec<&str> = access_tracking
        .lines()
        .filter_map(|line| line.strip_prefix("pub mod "))
        .collect();
    assert_eq!(
        modules,
        [
            "list_access_logs_by_cluster_name {",
            "list_access_logs_by_hostname {"
        ]
    );
}

#[test]
fn leniency_fixture_notes_each_reading_of_an_array_enum() {
    let output = generate("tests/fixtures/leniency.yaml", false);
    let notes: Vec<String> = output
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.pointer, d.message))
        .collect();
    let read = "enum on an array read as the items' enum; a single value is accepted as a one-element list";
    assert_eq!(
        notes,
        [
            format!("#/components/schemas/SharedRoles: {read}"),
            format!("#/components/schemas/TeamRole/properties/clearableRoles: {read}"),
            "#/components/schemas/TeamRole/properties/priorities: enum on an array ignored, as its items have a type of their own; a single value is accepted as a one-element list".to_owned(),
            format!("#/components/schemas/TeamRole/properties/requiredRoles: {read}"),
            format!("#/components/schemas/TeamRole/properties/roleNames: {read}"),
        ]
    );
}

#[test]
fn types_fixture_notes_the_two_unusable_rules_and_the_integers_beyond_their_formats() {
    let output = generate("tests/fixtures/types.yaml", false);
    let pointers: Vec<&str> = output
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/components/schemas/CgroupLimits/properties/mislabelled",
            "#/components/schemas/CgroupLimits/properties/wide",
            "#/paths/~1api~1atlas~1v2~1groups~1{groupId}~1widgets/get/parameters/6/schema/default",
            "#/paths/~1api~1atlas~1v2~1groups~1{groupId}~1widgets/get/parameters/7/schema/pattern",
        ]
    );
}

#[test]
fn output_is_deterministic() {
    for name in fixtures() {
        let spec = format!("tests/fixtures/{name}.yaml");
        let first = generate(&spec, true).files;
        let second = generate(&spec, true).files;
        assert_eq!(first, second, "{spec} generated differently twice");
    }
}
