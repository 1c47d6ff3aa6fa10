//! Whether a JSON value satisfies an OpenAPI 3.0 schema, as far as the validating mock server
//! (Prism) checks it: enough for the conformance program to choose, among candidate bodies,
//! one the server will accept (e.g. the `oneOf` variant that matches exactly once).

use serde_json::Value;

use super::resolve;
use crate::load::Spec;

/// Deeper than any real schema nests; guards against reference cycles.
const MAX_DEPTH: usize = 40;

/// Whether `value` satisfies `schema`.
pub(crate) fn satisfies(spec: &Spec, schema: &Value, value: &Value) -> bool {
    check(spec, schema, value, &mut Vec::new())
}

/// `open`: the (schema, value) pairs being checked further up. Meeting one again means a
/// cycle (a child that `allOf`s its `oneOf` parent): it is taken as satisfied there, which
/// keeps the check finite.
fn check<'a>(
    spec: &'a Spec,
    schema: &'a Value,
    value: &'a Value,
    open: &mut Vec<(*const Value, *const Value)>,
) -> bool {
    let schema = resolve(spec, schema);
    let key = (std::ptr::from_ref(schema), std::ptr::from_ref(value));
    if open.len() > MAX_DEPTH || open.contains(&key) {
        return true;
    }
    open.push(key);
    let result = check_resolved(spec, schema, value, open);
    open.pop();
    result
}

fn check_resolved<'a>(
    spec: &'a Spec,
    schema: &'a Value,
    value: &'a Value,
    open: &mut Vec<(*const Value, *const Value)>,
) -> bool {
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if value.is_null() && nullable {
        return true;
    }
    let list = |key: &str| schema.get(key).and_then(Value::as_array);
    if let Some(all) = list("allOf")
        && !all.iter().all(|s| check(spec, s, value, open))
    {
        return false;
    }
    if let Some(one) = list("oneOf")
        && one.iter().filter(|s| check(spec, s, value, open)).count() != 1
    {
        return false;
    }
    if let Some(any) = list("anyOf")
        && !any.iter().any(|s| check(spec, s, value, open))
    {
        return false;
    }
    if let Some(allowed) = list("enum")
        && !allowed.contains(value)
    {
        return false;
    }
    if let Some(kind) = schema.get("type").and_then(Value::as_str)
        && !has_type(kind, value)
    {
        return false;
    }
    match value {
        Value::String(text) => string_ok(schema, text),
        Value::Number(number) => number.as_f64().is_none_or(|n| number_ok(schema, n)),
        Value::Array(items) => {
            let count = items.len() as u64;
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let max = schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            (min..=max).contains(&count)
                && schema
                    .get("items")
                    .is_none_or(|s| items.iter().all(|i| check(spec, s, i, open)))
        }
        Value::Object(map) => {
            let required_present = list("required")
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .all(|name| map.contains_key(name));
            let properties = schema.get("properties").and_then(Value::as_object);
            let properties_ok =
                map.iter()
                    .all(|(name, v)| match properties.and_then(|p| p.get(name)) {
                        Some(s) => check(spec, s, v, open),
                        None => match schema.get("additionalProperties") {
                            Some(Value::Bool(false)) => false,
                            Some(s @ Value::Object(_)) => check(spec, s, v, open),
                            _ => true,
                        },
                    });
            required_present && properties_ok
        }
        Value::Null | Value::Bool(_) => true,
    }
}

fn has_type(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    }
}

fn string_ok(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let max = schema
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX);
    let pattern_ok = schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(|p| regress::Regex::new(p).ok())
        .is_none_or(|r| r.find(text).is_some());
    (min..=max).contains(&length) && pattern_ok
}

fn number_ok(schema: &Value, n: f64) -> bool {
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
    let above = bound("minimum").is_none_or(|m| {
        if exclusive("exclusiveMinimum") {
            n > m
        } else {
            n >= m
        }
    });
    let below = bound("maximum").is_none_or(|m| {
        if exclusive("exclusiveMaximum") {
            n < m
        } else {
            n <= m
        }
    });
    above && below
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn spec() -> Spec {
        let document = json!({
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Broken": {"type": "object", "properties": {
                    "kind": {"type": "object", "oneOf": [{"type": "string", "enum": ["A"]}]}
                }, "required": ["kind"]},
                "Text": {"type": "object", "required": ["mappings"],
                         "properties": {"mappings": {"type": "object"}}},
                "Vector": {"type": "object", "properties": {"fields": {"type": "array"}}},
                "Definition": {"oneOf": [{"$ref": "#/components/schemas/Text"},
                                         {"$ref": "#/components/schemas/Vector"}]},
                "Parent": {"oneOf": [{"$ref": "#/components/schemas/Child"}],
                           "properties": {"id": {"type": "string", "pattern": "^[a-f0-9]{4}$"}}},
                "Child": {"allOf": [{"$ref": "#/components/schemas/Parent"}]}
            }}
        });
        Spec::parse("t.json", &document.to_string()).unwrap()
    }

    fn schema(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    #[test]
    fn one_of_needs_exactly_one_match() {
        let spec = spec();
        // `{"mappings": {}}` is a Text and, as Vector declares no required fields, a Vector.
        assert!(!satisfies(
            &spec,
            &schema("Definition"),
            &json!({"mappings": {}})
        ));
        assert!(satisfies(
            &spec,
            &schema("Definition"),
            &json!({"fields": []})
        ));
    }

    #[test]
    fn a_self_contradicting_schema_accepts_nothing() {
        let spec = spec();
        assert!(!satisfies(&spec, &schema("Broken"), &json!({"kind": "A"})));
        assert!(!satisfies(&spec, &schema("Broken"), &json!({"kind": {}})));
    }

    #[test]
    fn cycles_through_all_of_terminate_and_patterns_apply() {
        let spec = spec();
        assert!(satisfies(&spec, &schema("Parent"), &json!({"id": "ab12"})));
        assert!(!satisfies(&spec, &schema("Parent"), &json!({"id": "xyz"})));
    }
}
