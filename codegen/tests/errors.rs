//! Text that is not YAML or JSON, or a document that is not OpenAPI, gives an error naming the
//! file and the place (line/column or JSON pointer) — never a panic. Mistakes inside an
//! OpenAPI document are repaired with notes instead (`repairs.rs`).

use specwire_codegen::{Error, ErrorKind, Location, Options, Spec};

/// A small valid document; tests break one thing in it.
const BASE: &str = r##"openapi: 3.0.1
info:
  title: t
  version: "1"
paths:
  /api/atlas/v2/groups/{groupId}:
    get:
      operationId: getGroup
      parameters:
        - name: groupId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema:
                $ref: '#/components/schemas/Group'
components:
  schemas:
    Group:
      type: object
      properties:
        id:
          type: string
"##;

fn generate(text: &str) -> Result<specwire_codegen::Output, Error> {
    let spec = Spec::parse("spec.yaml", text)?;
    specwire_codegen::generate(&spec, &Options::default())
}

fn pointer(error: &Error) -> &str {
    match &error.location {
        Some(Location::Pointer(p)) => p,
        other => panic!("expected a JSON pointer, got {other:?}"),
    }
}

#[test]
fn the_base_document_generates() {
    let output = generate(BASE).unwrap();
    let models = &output.files["models/g.rs"];
    assert!(models.contains("pub struct Group {"), "{models}");
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let text = BASE.replace(
        "      operationId: getGroup",
        "      operationId: [getGroup",
    );
    let error = generate(&text).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert_eq!(error.file, "spec.yaml");
    let Some(Location::LineColumn { line, .. }) = error.location else {
        panic!("expected line/column, got {:?}", error.location);
    };
    assert_eq!(line, 9, "{error}");
    assert!(
        error.to_string().starts_with("spec.yaml: line 9, column"),
        "{error}"
    );
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let error = generate("{\n  \"openapi\": \"3.0.1\",\n  \"info\": }").unwrap_err();
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert_eq!(
        error.location,
        Some(Location::LineColumn {
            line: 3,
            column: 11
        })
    );
}

#[test]
fn json_specs_are_accepted() {
    let value: serde_json::Value = yaml_value(BASE);
    let json = serde_json::to_string_pretty(&value).unwrap();
    let from_json = generate(&json).unwrap();
    let from_yaml = generate(BASE).unwrap();
    // Same code; only the header's sha256 differs.
    let strip = |s: &String| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(
        from_json.files.values().map(strip).collect::<Vec<_>>(),
        from_yaml.files.values().map(strip).collect::<Vec<_>>()
    );
}

fn yaml_value(text: &str) -> serde_json::Value {
    // Round-trip through the generator's own loader to get JSON.
    Spec::parse("x.yaml", text).unwrap().raw
}

#[test]
fn an_operation_without_operation_id_is_named_after_method_and_path() {
    let text = BASE.replace("      operationId: getGroup\n", "");
    let output = generate(&text).unwrap();
    let module = &output.files["untagged.rs"];
    assert!(
        module.contains("pub mod get_api_atlas_v2_groups_group_id {"),
        "{module}"
    );
    assert!(
        module.contains("pub struct GetApiAtlasV2GroupsGroupIdRequest"),
        "{module}"
    );
    let notes: Vec<_> = output
        .diagnostics
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            "#/paths/~1api~1atlas~1v2~1groups~1{groupId}/get",
            "`GET /api/atlas/v2/groups/{groupId}` has no operationId; it is named `get_api_atlas_v2_groups_group_id` after its method and path"
        )]
    );
}

#[test]
fn a_construct_without_a_rust_type_is_typed_as_json_and_reported() {
    let text = BASE.replace(
        "    Group:\n      type: object\n      properties:\n        id:\n          type: string\n",
        "    Group:\n      not:\n        type: string\n",
    );
    let output = generate(&text).unwrap();
    let loose = &output.coverage.loose;
    assert_eq!(loose.len(), 1, "{loose:?}");
    assert_eq!(loose[0].pointer, "#/components/schemas/Group");
    assert_eq!(loose[0].representation, "any JSON");
    assert!(loose[0].reason.contains("`not`"), "{loose:?}");
}

#[test]
fn a_document_of_no_version_this_generator_reads_is_refused_at_its_version() {
    for (version, message) in [
        (
            "openapi: 4.0.0",
            "OpenAPI version 4.0.0 is not supported; expected 3.0, 3.1 or 3.2",
        ),
        (
            "swagger: \"1.2\"",
            "Swagger version 1.2 is not supported; expected 2.0",
        ),
    ] {
        let error = generate(&BASE.replace("openapi: 3.0.1", version)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unsupported);
        assert_eq!(error.message, message);
    }
    let error = generate("info: {title: t}\npaths: {}\n").unwrap_err();
    assert_eq!(error.kind, ErrorKind::Structure);
    assert_eq!(pointer(&error), "#");
    assert_eq!(
        error.to_string(),
        "spec.yaml: #: not an OpenAPI document: it has no top-level `openapi` (or `swagger`) version"
    );
}

#[test]
fn garbage_does_not_panic() {
    for text in [
        "",
        "---",
        "[]",
        "openapi: 3",
        "\u{0}",
        "paths: 3",
        "{\"paths\": {\"/x\": {\"get\": 1}}}",
    ] {
        assert!(generate(text).is_err(), "{text:?} should be rejected");
    }
}

#[test]
fn a_runtime_type_that_is_not_a_path_is_refused() {
    let spec = Spec::parse("spec.yaml", BASE).unwrap();
    let mut options = Options::default();
    options
        .runtime_types
        .insert("Group".to_owned(), "not a path!".to_owned());
    let error = specwire_codegen::generate(&spec, &options).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unsupported);
    assert!(error.message.contains("`not a path!`"), "{error}");
}
