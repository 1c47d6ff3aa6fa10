//! The rewrite of each keyword, on small JSON values.

use serde_json::{Value, json};

use super::Schemas;
use crate::upgrade::Notes;

/// `schema` rewritten as a 3.1 document's schema at `#/s`, with the notes' messages.
fn rewritten(schema: Value, modern: bool) -> (Value, Vec<String>) {
    let Value::Object(mut map) = schema else {
        panic!("a test schema is an object");
    };
    let mut notes = Notes::default();
    Schemas {
        modern,
        notes: &mut notes,
    }
    .rewrite(&mut map, "#/s");
    (
        Value::Object(map),
        notes.0.into_iter().map(|n| n.message).collect(),
    )
}

fn rewrite(schema: Value) -> Value {
    rewritten(schema, true).0
}

#[test]
fn a_numeric_exclusive_minimum_keeps_the_tighter_bound() {
    // The inclusive bound is tighter: it stays, and the exclusive one goes.
    assert_eq!(
        rewrite(json!({"type": "integer", "minimum": 10, "exclusiveMinimum": 5})),
        json!({"type": "integer", "minimum": 10})
    );
    // The exclusive bound is tighter: it replaces the inclusive one, with the flag.
    assert_eq!(
        rewrite(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 10})),
        json!({"type": "integer", "minimum": 10, "exclusiveMinimum": true})
    );
    // Equal: `> 5` is tighter than `>= 5`.
    assert_eq!(
        rewrite(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 5})),
        json!({"type": "number", "minimum": 5, "exclusiveMinimum": true})
    );
    // Alone, as before.
    assert_eq!(
        rewrite(json!({"type": "number", "exclusiveMinimum": 0.5})),
        json!({"type": "number", "minimum": 0.5, "exclusiveMinimum": true})
    );
}

#[test]
fn a_numeric_exclusive_maximum_keeps_the_tighter_bound() {
    assert_eq!(
        rewrite(json!({"type": "integer", "maximum": 5, "exclusiveMaximum": 10})),
        json!({"type": "integer", "maximum": 5})
    );
    assert_eq!(
        rewrite(json!({"type": "integer", "maximum": 10, "exclusiveMaximum": 5})),
        json!({"type": "integer", "maximum": 5, "exclusiveMaximum": true})
    );
    assert_eq!(
        rewrite(json!({"type": "integer", "maximum": 7, "exclusiveMaximum": 7})),
        json!({"type": "integer", "maximum": 7, "exclusiveMaximum": true})
    );
    // Whole numbers past 2^53 compare exactly.
    assert_eq!(
        rewrite(
            json!({"maximum": 9_007_199_254_740_993_u64, "exclusiveMaximum": 9_007_199_254_740_992_u64})
        ),
        json!({"maximum": 9_007_199_254_740_992_u64, "exclusiveMaximum": true})
    );
}

#[test]
fn a_boolean_exclusive_flag_is_left_alone_and_3_0_gets_a_repair_note() {
    assert_eq!(
        rewrite(json!({"minimum": 1, "exclusiveMinimum": true})),
        json!({"minimum": 1, "exclusiveMinimum": true})
    );
    let (schema, notes) = rewritten(json!({"minimum": 10, "exclusiveMinimum": 5}), false);
    assert_eq!(schema, json!({"minimum": 10}));
    assert_eq!(
        notes,
        [
            "a numeric `exclusiveMinimum` (OpenAPI 3.1's form) read as `minimum` with `exclusiveMinimum: true`"
        ]
    );
}

#[test]
fn a_type_list_drops_every_duplicate_in_the_documents_order() {
    assert_eq!(
        rewrite(json!({"type": ["string", "null", "string"]})),
        json!({"type": "string", "nullable": true})
    );
    let (union, _) = rewritten(
        json!({"type": ["integer", "string", "integer", "boolean", "string"]}),
        true,
    );
    let types: Vec<&str> = union["anyOf"]
        .as_array()
        .expect("a union")
        .iter()
        .filter_map(|member| member["type"].as_str())
        .collect();
    assert_eq!(types, ["integer", "string", "boolean"]);
}
