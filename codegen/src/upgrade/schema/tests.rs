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

/// `schema` visited as the walk visits a schema position (boolean and non-object schemas
/// are decided there), with the notes' messages.
fn entered(schema: Value, modern: bool) -> (Value, Vec<String>) {
    use crate::walk::{Position, Visit};
    let mut value = schema;
    let mut notes = Notes::default();
    let mut schemas = Schemas {
        modern,
        notes: &mut notes,
    };
    schemas.enter(Position::Schema, &mut value, "#/s");
    schemas.leave(Position::Schema, &mut value, "#/s");
    (value, notes.0.into_iter().map(|n| n.message).collect())
}

#[test]
fn boolean_schemas_admit_anything_or_nothing_and_other_non_objects_are_any_value() {
    assert_eq!(entered(json!(true), true), (json!({}), vec![]));
    assert_eq!(entered(json!(false), true), (json!({"not": {}}), vec![]));
    let (_, notes) = entered(json!(true), false);
    assert_eq!(
        notes,
        ["a boolean schema (valid from OpenAPI 3.1) read as JSON Schema means it"]
    );
    assert_eq!(
        entered(json!("string"), true),
        (
            json!({}),
            vec!["a schema that is not an object: typed as any JSON value".to_owned()]
        )
    );
}

#[test]
fn dynamic_ref_is_a_static_ref() {
    let (schema, notes) = rewritten(json!({"$dynamicRef": "#node"}), true);
    assert_eq!(schema, json!({"$ref": "#node"}));
    assert_eq!(notes, ["`$dynamicRef` resolved statically, as a `$ref`"]);
    // Beside a `$ref`, the `$ref` wins.
    assert_eq!(
        rewrite(json!({"$ref": "#/a", "$dynamicRef": "#node"})),
        json!({"$ref": "#/a"})
    );
}

#[test]
fn siblings_of_a_ref_apply_in_3_1_and_only_nullable_counts_in_3_0() {
    // 3.1: the reference and what is beside it, combined.
    assert_eq!(
        rewrite(json!({"$ref": "#/components/schemas/A", "summary": "An A", "readOnly": true})),
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "An A", "readOnly": true})
    );
    // Annotations alone change nothing a reader sees.
    assert_eq!(
        rewrite(json!({"$ref": "#/components/schemas/A", "title": "A", "example": 1})),
        json!({"$ref": "#/components/schemas/A", "title": "A", "example": 1})
    );
    // 3.0: ignored, as the version says...
    assert_eq!(
        rewritten(
            json!({"$ref": "#/components/schemas/A", "maxLength": 3}),
            false
        ),
        (
            json!({"$ref": "#/components/schemas/A", "maxLength": 3}),
            vec![]
        )
    );
    // ...except `nullable`, read as meant, with a repair note.
    let (schema, notes) = rewritten(
        json!({"$ref": "#/components/schemas/A", "nullable": true, "description": "d", "maxLength": 3}),
        false,
    );
    assert_eq!(
        schema,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "description": "d"})
    );
    assert_eq!(
        notes,
        [
            "`nullable` beside a `$ref` (which OpenAPI 3.0 says to ignore) read as a nullable reference"
        ]
    );
    // Swagger 2.0's vendor extensions say it without a mistake: no note.
    let (schema, notes) = rewritten(
        json!({"$ref": "#/components/schemas/A", "x-nullable": true}),
        false,
    );
    assert_eq!(
        schema,
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true, "x-nullable": true})
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn vendor_nullability_and_omitempty_make_a_schema_nullable() {
    assert_eq!(
        rewrite(json!({"type": "string", "x-isnullable": true})),
        json!({"type": "string", "x-isnullable": true, "nullable": true})
    );
    assert_eq!(
        rewrite(json!({"type": "array", "items": {}, "x-omitempty": false})),
        json!({"type": "array", "items": {}, "x-omitempty": false, "nullable": true})
    );
    // A scalar's `x-omitempty: false` sends its zero value, never `null`.
    assert_eq!(
        rewrite(json!({"type": "string", "x-omitempty": false})),
        json!({"type": "string", "x-omitempty": false})
    );
}

#[test]
fn a_count_written_as_a_whole_float_is_that_count() {
    assert_eq!(
        rewrite(json!({"type": "string", "maxLength": 255.0, "minLength": 1.5})),
        json!({"type": "string", "maxLength": 255, "minLength": 1.5})
    );
}

#[test]
fn a_file_type_is_a_binary_string() {
    assert_eq!(
        rewrite(json!({"type": "file"})),
        json!({"type": "string", "format": "binary"})
    );
}

#[test]
fn const_is_a_one_value_enum_of_its_type() {
    assert_eq!(
        rewrite(json!({"const": "on"})),
        json!({"type": "string", "enum": ["on"]})
    );
    assert_eq!(
        rewrite(json!({"type": "number", "const": 2})),
        json!({"type": "number", "enum": [2]})
    );
    // An `enum` beside it already says more: the `const` goes.
    assert_eq!(
        rewrite(json!({"const": 1, "enum": [1, 2]})),
        json!({"enum": [1, 2]})
    );
    let (_, notes) = rewritten(json!({"const": true}), false);
    assert_eq!(notes, ["`const` read as a one-value `enum`"]);
}

#[test]
fn a_type_list_is_nullable_a_single_type_or_a_union_of_one_member_per_type() {
    // `integer` is a `number`: the pair is a number.
    assert_eq!(
        rewrite(json!({"type": ["integer", "number"]})),
        json!({"type": "number"})
    );
    // Each member takes the keywords of its type, and the enum values of its type.
    assert_eq!(
        rewrite(
            json!({"type": ["string", "integer", "null"], "maxLength": 3, "minimum": 0, "enum": ["a", 1, null]})
        ),
        json!({"nullable": true, "anyOf": [
            {"type": "string", "maxLength": 3, "enum": ["a"]},
            {"type": "integer", "minimum": 0, "enum": [1]}
        ]})
    );
    // An existing union stays a constraint beside the new one.
    assert_eq!(
        rewrite(json!({"type": ["string", "boolean"], "anyOf": [{"minLength": 1}]})),
        json!({"allOf": [{"anyOf": [{"minLength": 1}]}], "anyOf": [{"type": "string"}, {"type": "boolean"}]})
    );
    let (_, notes) = rewritten(json!({"type": ["string", "null"]}), false);
    assert_eq!(
        notes,
        ["a list of types (valid from OpenAPI 3.1) read as a union, `null` as nullable"]
    );
}

#[test]
fn a_null_type_is_nullable_and_a_union_member_of_it_is_lifted() {
    // Alone: a marker for the union that may hold it.
    assert_eq!(
        rewrite(json!({"type": "null"})),
        json!({"x-atlas-null-only": true, "nullable": true})
    );
    // In a union: the member goes and the union is nullable; one member left is the schema
    // itself, and a reference is 3.0's nullable `allOf: [$ref]`.
    let (schema, _) = entered(
        json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"x-atlas-null-only": true}]}),
        true,
    );
    assert_eq!(
        schema,
        json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
    );
    let (schema, _) = entered(
        json!({"oneOf": [{"type": "string", "maxLength": 2}, {"x-atlas-null-only": true}]}),
        true,
    );
    assert_eq!(
        schema,
        json!({"nullable": true, "type": "string", "maxLength": 2})
    );
}

#[test]
fn content_encoding_and_media_type_are_string_formats() {
    assert_eq!(
        rewrite(json!({"contentEncoding": "base64"})),
        json!({"format": "byte", "type": "string"})
    );
    assert_eq!(
        rewrite(json!({"type": "string", "contentMediaType": "image/png"})),
        json!({"type": "string", "format": "binary"})
    );
    // JSON or text content is a string as it is; a format already given stays.
    assert_eq!(
        rewrite(json!({"type": "string", "contentMediaType": "application/json"})),
        json!({"type": "string"})
    );
    assert_eq!(
        rewrite(json!({"type": "string", "format": "uuid", "contentEncoding": "base64"})),
        json!({"type": "string", "format": "uuid"})
    );
}

#[test]
fn a_closed_tuple_of_scalars_is_marked_and_any_other_is_a_list_of_its_members() {
    let (schema, notes) = rewritten(
        json!({"prefixItems": [{"type": "number"}, {"type": "integer", "format": "int32"}], "minItems": 2}),
        true,
    );
    assert_eq!(
        schema,
        json!({
            "minItems": 2,
            "x-atlas-tuple": ["number", "integer:int32"],
            "items": {"anyOf": [{"type": "number"}, {"type": "integer", "format": "int32"}]},
            "type": "array"
        })
    );
    assert!(notes.is_empty(), "{notes:?}");
    // Shorter lists are valid without `minItems`: a list, not a Rust tuple.
    let (schema, notes) = rewritten(
        json!({"prefixItems": [{"type": "string"}, {"type": "string"}]}),
        true,
    );
    assert_eq!(
        schema,
        json!({"items": {"type": "string"}, "type": "array"})
    );
    assert_eq!(
        notes,
        [
            "a tuple (`prefixItems`) of schemas typed as a list whose items are any of its members; positions are not checked"
        ]
    );
    // Draft 4's `items` list is the same tuple.
    assert_eq!(
        rewrite(json!({"items": [{"type": "boolean"}]})),
        json!({"items": {"type": "boolean"}, "type": "array"})
    );
    // Further items: a list of those.
    let (schema, _) = rewritten(
        json!({"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}}),
        true,
    );
    assert_eq!(
        schema,
        json!({"type": "array", "items": {"type": "integer"}})
    );
    // `items: false` closes the tuple; it is no schema.
    assert_eq!(
        rewrite(json!({"prefixItems": [{"type": "string"}], "items": false, "minItems": 1})),
        json!({"minItems": 1, "x-atlas-tuple": ["string"], "items": {"type": "string"}, "type": "array"})
    );
}

#[test]
fn pattern_properties_are_a_map_of_the_patterns_schemas() {
    let (schema, notes) = rewritten(
        json!({"patternProperties": {"^a": {"type": "string"}, "^b": {"type": "integer"}}}),
        true,
    );
    assert_eq!(
        schema,
        json!({"additionalProperties": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "object"})
    );
    assert_eq!(
        notes,
        [
            "`patternProperties` typed as a map of string keys; keys are not checked against the patterns"
        ]
    );
    // Beside `additionalProperties`, that one stays the values' schema.
    assert_eq!(
        rewrite(json!({"patternProperties": {"^a": {}}, "additionalProperties": false})),
        json!({"additionalProperties": false})
    );
}

#[test]
fn unevaluated_properties_are_additional_properties() {
    assert_eq!(
        rewrite(json!({"unevaluatedProperties": false})),
        json!({"additionalProperties": false})
    );
    assert_eq!(
        rewrite(json!({"unevaluatedProperties": false, "additionalProperties": {}})),
        json!({"additionalProperties": {}})
    );
}

#[test]
fn keywords_without_a_counterpart_are_dropped_with_a_note() {
    let (schema, notes) = rewritten(
        json!({"type": "object", "if": {}, "then": {}, "else": {}, "propertyNames": {"maxLength": 2}, "dependentRequired": {"a": ["b"]}}),
        true,
    );
    assert_eq!(schema, json!({"type": "object"}));
    assert_eq!(
        notes,
        [
            "`if`/`then`/`else` is not typed; the schema's own keywords are",
            "`dependentRequired` is not checked",
            "`propertyNames` is not checked; keys are strings",
        ]
    );
    // A `$dynamicAnchor` is read as a plain anchor, without a note.
    let (schema, notes) = rewritten(json!({"$dynamicAnchor": "node", "type": "string"}), true);
    assert_eq!(schema, json!({"type": "string"}));
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn examples_give_their_first_as_the_example() {
    assert_eq!(
        rewrite(json!({"type": "string", "examples": ["a", "b"]})),
        json!({"type": "string", "example": "a"})
    );
    assert_eq!(
        rewrite(json!({"type": "string", "example": "x", "examples": ["a"]})),
        json!({"type": "string", "example": "x"})
    );
}

#[test]
fn integer_bounds_beyond_64_bits_are_dropped_with_a_note() {
    let (schema, notes) = rewritten(
        json!({"type": "integer", "maximum": 18_446_744_073_709_551_615_u64, "minimum": 0}),
        true,
    );
    assert_eq!(schema, json!({"type": "integer", "minimum": 0}));
    assert_eq!(
        notes,
        ["`maximum: 18446744073709551615` is beyond a 64-bit integer; the bound is not checked"]
    );
    // A number's bound is a float's: kept.
    assert_eq!(
        rewrite(json!({"type": "number", "maximum": 18_446_744_073_709_551_615_u64})),
        json!({"type": "number", "maximum": 18_446_744_073_709_551_615_u64})
    );
}
