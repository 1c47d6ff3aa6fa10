//! Snapshots of everything the generator writes, for the shipped spec and the fixtures.
//! Review changes with `cargo insta review`; CI (CI=true) fails on any difference.

use atlas_sdk_tests::workspace_root;

fn generate(relative: &str, client_accessors: bool) -> codegen::Output {
    let text = std::fs::read_to_string(workspace_root().join(relative))
        .unwrap_or_else(|e| panic!("reading {relative}: {e}"));
    let spec = codegen::Spec::parse(relative, &text).unwrap_or_else(|e| panic!("{e}"));
    let options = codegen::Options {
        accessors: if client_accessors {
            codegen::Accessors::Inherent
        } else {
            codegen::Accessors::None
        },
        ..codegen::Options::default()
    };
    codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn snapshot_all(prefix: &str, output: &codegen::Output) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for (path, text) in &output.files {
            let name = format!(
                "{prefix}__{}",
                path.replace('/', "__").trim_end_matches(".rs")
            );
            insta::assert_snapshot!(name, text);
        }
        let diagnostics: Vec<String> = output
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.pointer, d.message))
            .collect();
        insta::assert_snapshot!(format!("{prefix}__diagnostics"), diagnostics.join("\n"));
    });
}

#[test]
fn shipped_spec() {
    let output = generate("spec/atlas-api.yaml", true);
    assert_eq!(
        output.files.keys().collect::<Vec<_>>(),
        [
            "access_tracking/list_access_logs_by_cluster_name.rs",
            "access_tracking/list_access_logs_by_hostname.rs",
            "access_tracking/mod.rs",
            "mod.rs",
            "models/api_error.rs",
            "models/bad_request_detail.rs",
            "models/field_violation.rs",
            "models/mod.rs",
            "models/mongo_db_access_logs.rs",
            "models/mongo_db_access_logs_list.rs",
            "parameters/envelope_schema.rs",
            "parameters/group_id_schema.rs",
            "parameters/mod.rs",
            "parameters/pretty_schema.rs",
        ]
    );
    snapshot_all("atlas_api", &output);
}

/// The seed-era document atlas-sdk 0.1 was generated from: the generator still produces that
/// SDK (only the header's spec name and hash differ from 0.1's files).
#[test]
fn seed_era_spec() {
    snapshot_all(
        "seed_2023",
        &generate("tests/fixtures/atlas-api-2023.yaml", true),
    );
}

#[test]
fn keywords_fixture() {
    snapshot_all("keywords", &generate("tests/fixtures/keywords.yaml", false));
}

#[test]
fn leniency_fixture() {
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
    snapshot_all("leniency", &output);
}

#[test]
fn types_fixture() {
    let output = generate("tests/fixtures/types.yaml", false);
    let pointers: Vec<&str> = output
        .diagnostics
        .iter()
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        pointers,
        [
            "#/paths/~1api~1atlas~1v2~1groups~1{groupId}~1widgets/get/parameters/6/schema/default",
            "#/paths/~1api~1atlas~1v2~1groups~1{groupId}~1widgets/get/parameters/7/schema/pattern",
        ]
    );
    snapshot_all("types", &output);
}

#[test]
fn output_is_deterministic() {
    for spec in [
        "spec/atlas-api.yaml",
        "tests/fixtures/atlas-api-2023.yaml",
        "tests/fixtures/keywords.yaml",
        "tests/fixtures/leniency.yaml",
        "tests/fixtures/types.yaml",
    ] {
        let first = generate(spec, true).files;
        let second = generate(spec, true).files;
        assert_eq!(first, second, "{spec} generated differently twice");
    }
}

#[test]
fn every_file_has_the_generated_header() {
    let output = generate("spec/atlas-api.yaml", true);
    let text = std::fs::read_to_string(workspace_root().join("spec/atlas-api.yaml")).unwrap();
    let spec = codegen::Spec::parse("spec/atlas-api.yaml", &text).unwrap();
    assert_eq!(spec.sha256.len(), 64);
    for (path, text) in &output.files {
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!(
                "// @generated by `cargo xtask codegen` (atlas-codegen {}) from spec/atlas-api.yaml (sha256 {}).",
                codegen::VERSION,
                spec.sha256
            ),
            "{path}"
        );
    }
}
