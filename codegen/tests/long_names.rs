//! Invented names stay bounded: deeply nested inline schemas, a long `operationId`, tag and
//! parameter name once made a type name (and so a file name) that grew without bound, and
//! writing it failed with "File name too long".

use specwire_codegen::naming::{MAX_SNAKE_NAME, MAX_TYPE_NAME};
use specwire_codegen::{Options, Spec, generate};

/// Inline objects nested `depth` levels deep, each a property of the one above: the shape
/// that made `ItemsMetadataItemsMetadata…` (two JSON levels each, so 40 stay within the JSON
/// parser's recursion limit).
fn nested(depth: usize) -> serde_json::Value {
    let mut schema =
        serde_json::json!({"type": "object", "properties": {"leaf": {"type": "string"}}});
    for _ in 0..depth {
        schema = serde_json::json!({
            "type": "object",
            "properties": {"itemsMetadata": schema, "label": {"type": "string"}}
        });
    }
    schema
}

fn spec() -> String {
    let operation_id = "returnOneConfigurationForEncryptionAtRest".repeat(10);
    let tag = "Encryption at Rest using Customer Key Management ".repeat(6);
    let parameter = "includeEveryDeeplyNestedField".repeat(8);
    serde_json::json!({
        "openapi": "3.0.1",
        "info": {"title": "deep", "version": "1"},
        "paths": {
            "/deep": {
                "post": {
                    "tags": [tag],
                    "operationId": operation_id,
                    "parameters": [{
                        "name": parameter,
                        "in": "query",
                        "schema": {"type": "object", "properties": {"a": {"type": "string"}}}
                    }],
                    "requestBody": {
                        "content": {"application/json": {"schema": nested(40)}}
                    },
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": nested(40)}}
                        }
                    }
                }
            }
        },
        "components": {"schemas": {"Deep": nested(40)}}
    })
    .to_string()
}

#[test]
fn every_invented_name_and_file_name_is_bounded() {
    let spec = Spec::parse("deep.json", &spec()).unwrap_or_else(|e| panic!("{e}"));
    let output = generate(&spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    // Room for a collision counter (`…2`) on a bounded name.
    let slack = 3;
    let mut longest = 0;
    for path in output.files.keys() {
        for component in path.split('/') {
            let stem = component.trim_end_matches(".rs");
            longest = longest.max(stem.len());
            assert!(stem.len() <= MAX_SNAKE_NAME + slack, "{path}");
            // As the snapshot tests spell two of them: `parent__module.snap.new`.
            assert!(2 * component.len() + "__.snap.new".len() < 255, "{path}");
        }
    }
    assert!(longest > 100, "the spec exercises the bound ({longest})");
    let api = specwire_codegen::lower(&spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut long_types = 0;
    for def in &api.types {
        assert!(def.name.len() <= MAX_TYPE_NAME + slack, "{}", def.name);
        assert!(def.module.len() <= MAX_SNAKE_NAME + slack, "{}", def.module);
        long_types += usize::from(def.name.len() >= MAX_TYPE_NAME);
    }
    assert!(
        long_types > 10,
        "nested names reach the bound ({long_types})"
    );
    for tag in &api.tags {
        assert!(tag.module.len() <= MAX_SNAKE_NAME + slack, "{}", tag.module);
        for op in &tag.operations {
            assert!(op.fn_name.len() <= MAX_SNAKE_NAME + slack, "{}", op.fn_name);
            assert!(
                op.builder_name.len() <= MAX_TYPE_NAME + slack,
                "{}",
                op.builder_name
            );
            for param in &op.params {
                assert!(
                    param.type_name.len() <= MAX_TYPE_NAME + slack,
                    "{}",
                    param.type_name
                );
                assert!(
                    param.rust_name.len() <= MAX_SNAKE_NAME + slack,
                    "{}",
                    param.rust_name
                );
            }
        }
    }
    // The same document gives the same names.
    let again = generate(&spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        output.files.keys().collect::<Vec<_>>(),
        again.files.keys().collect::<Vec<_>>()
    );
}
