//! Values for the conformance program: a valid value for each required parameter, and the
//! smallest body each operation's schema accepts, checked against the schema itself.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{Map, Value, json};

use super::pattern;
use super::resolve;
use super::schema_check::satisfies;
use crate::ir::{Param, ParamSchema};
use crate::load::Spec;
use crate::runtime_contract::RT;

/// Values tried, in order, for a string parameter without a usable example: the first that
/// matches the parameter's pattern is used (Atlas ids are 24 hex digits; names are simple).
const CANDIDATES: &[&str] = &[
    "32b6e34b3d91647abb20e7b8",
    "Cluster0",
    "example",
    "user@example.com",
    "00000000-0000-4000-8000-000000000000",
    "us-east-1",
    "1",
    "a",
    "10.0.0.0",
    "10.0.0.0/16",
];

/// How deep minimal bodies nest before giving up on optional detail.
const MAX_DEPTH: usize = 12;

/// What values for the parameters are built from: the document, and the generated crate's
/// models (a parameter typed as a model is decoded into it from JSON).
pub(super) struct ParamValues<'a> {
    pub(super) spec: &'a Spec,
    pub(super) models: crate::emit::types::Models<'a>,
}

/// What the document says a parameter's value may be.
struct Hints<'a> {
    /// Its example (the parameter's, else its schema's).
    example: Option<&'a Value>,
    /// The smallest value its schema accepts (following `$ref`s and `allOf`).
    minimal: Option<Value>,
    /// The same for one item, when it is a list.
    item: Option<Value>,
}

impl ParamValues<'_> {
    /// A Rust expression for a valid value of `param`, defined in the document as `raw`.
    pub(super) fn param_value(&self, param: &Param, raw: Option<&Value>) -> TokenStream {
        let schema = raw
            .and_then(|p| p.get("schema"))
            .map(|s| resolve(self.spec, s));
        let hints = Hints {
            example: raw
                .and_then(|p| p.get("example"))
                .or_else(|| schema.and_then(|s| s.get("example"))),
            minimal: schema.map(|s| minimal(self.spec, s, 0)),
            item: schema
                .and_then(|s| s.get("items"))
                .map(|items| minimal(self.spec, items, 0)),
        };
        self.scalar(&param.schema, &hints)
    }

    fn scalar(&self, schema: &ParamSchema, hints: &Hints) -> TokenStream {
        let example = hints.example;
        match schema {
            ParamSchema::Bool { default } => {
                let value = example
                    .and_then(Value::as_bool)
                    .or(*default)
                    .unwrap_or(true);
                quote!(#value)
            }
            ParamSchema::Integer {
                int,
                bounds,
                default,
            } => {
                let value = example
                    .and_then(Value::as_i64)
                    .or(*default)
                    .or(bounds.min.map(|(m, e)| if e { m + 1 } else { m }))
                    .unwrap_or(1);
                // A value the type cannot hold (a bound beyond it) falls back to 1.
                let value = if int.holds(i128::from(value)) {
                    value
                } else {
                    1
                };
                crate::emit::int_literal(*int, value)
            }
            ParamSchema::Number { bounds, default } => {
                let value = example
                    .and_then(Value::as_f64)
                    .or(*default)
                    .or(bounds.min.map(|(m, _)| m + 1.0))
                    .unwrap_or(1.0);
                quote!(#value)
            }
            ParamSchema::DateTime => quote!(#RT::time::OffsetDateTime::UNIX_EPOCH),
            ParamSchema::String {
                default,
                pattern,
                format,
                ..
            } => {
                let regex = pattern.as_deref().and_then(|p| regress::Regex::new(p).ok());
                let fits = |v: &str| regex.as_ref().is_none_or(|r| r.find(v).is_some());
                let value = example
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .into_iter()
                    .chain(default.clone())
                    .chain(format.as_deref().and_then(by_format).map(str::to_owned))
                    .chain(CANDIDATES.iter().map(|c| (*c).to_owned()))
                    .chain(pattern.as_deref().and_then(pattern::matching))
                    .find(|v| fits(v))
                    .unwrap_or_else(|| "example".to_owned());
                quote!(#value)
            }
            // The schema's own first value, wherever it is (behind `$ref`s, in an `allOf`).
            ParamSchema::Enum { default, .. } => {
                let value = example
                    .and_then(Value::as_str)
                    .or(hints.minimal.as_ref().and_then(Value::as_str))
                    .map(str::to_owned)
                    .or_else(|| default.clone())
                    .unwrap_or_default();
                quote!(#value)
            }
            // Decoded into the parameter's own type, named: the method takes `impl Into<T>`,
            // which leaves nothing to infer `T` from.
            ParamSchema::Value { ty, .. } => {
                let value = example
                    .cloned()
                    .or_else(|| hints.minimal.clone())
                    .unwrap_or_else(|| json!({}));
                let text = proc_macro2::Literal::string(&value.to_string());
                let ty = self.models.rust_type(ty);
                quote!(match decoded::<#ty>(#text) {
                    Ok(value) => value,
                    Err(outcome) => return outcome,
                })
            }
            ParamSchema::Array { item } => {
                let item_hints = Hints {
                    example: example.and_then(|e| e.as_array().and_then(|a| a.first()).or(Some(e))),
                    minimal: hints.item.clone(),
                    item: None,
                };
                let value = self.scalar(item, &item_hints);
                quote!([#value])
            }
        }
    }
}

/// The smallest JSON value the schema accepts: required properties only, each filled from
/// its example, enum, default or bounds; the first variant of a union.
pub(super) fn minimal(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if depth > MAX_DEPTH {
        return json!({});
    }
    // One member with nothing of its own beside it (3.0's way to annotate a `$ref`, and 3.1's
    // `$ref` with siblings): that member, which may be no object at all (a string enum).
    if let Some([only]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        && schema.get("properties").is_none()
    {
        return minimal(spec, only, depth + 1);
    }
    if schema.get("allOf").is_some() {
        let mut properties = Map::new();
        let mut required = Vec::new();
        collect(spec, schema, &mut properties, &mut required, 0);
        let merged = json!({"properties": properties, "required": required});
        return object(spec, &merged, depth);
    }
    let discriminator = schema.get("discriminator");
    let mapping = discriminator
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object);
    let property = discriminator
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str);
    let members = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array);
    // Variants in order; the first the whole schema accepts wins (a `oneOf` must match
    // exactly once, and some variants contradict themselves). Built one at a time: nested
    // unions would multiply otherwise.
    let mut first = None;
    if let (Some(mapping), Some(property)) = (mapping, property) {
        for (value, target) in mapping {
            let Some(target) = target.as_str() else {
                continue;
            };
            let target_schema = crate::refs::local(&spec.raw, target);
            let mut chosen = match target_schema {
                Some(t) if !std::ptr::eq(t, schema) => minimal(spec, t, depth + 1),
                _ => object(spec, schema, depth),
            };
            if let Value::Object(map) = &mut chosen {
                map.insert(property.to_owned(), json!(value));
            }
            if satisfies(spec, schema, &chosen) {
                return chosen;
            }
            first.get_or_insert(chosen);
        }
    } else if let Some(members) = members {
        for member in members {
            let chosen = minimal(spec, member, depth + 1);
            if satisfies(spec, schema, &chosen) {
                return chosen;
            }
            first.get_or_insert(chosen);
        }
    }
    if let Some(first) = first {
        return first;
    }
    if let Some(example) = schema.get("example")
        && !example.is_null()
        && !example.is_object()
        && satisfies(spec, schema, example)
    {
        return example.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => string(spec, schema),
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_f64)
                .map_or(1, |m| m.ceil() as i64)
        ),
        Some("number") => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0)),
        Some("boolean") => json!(true),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match schema.get("items") {
                Some(items) if min > 0 => json!([minimal(spec, items, depth + 1)]),
                _ => json!([]),
            }
        }
        _ => object(spec, schema, depth),
    }
}

/// A string the schema accepts: by format, pattern or length, else a common candidate.
fn string(spec: &Spec, schema: &Value) -> Value {
    let by_format = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(by_format)
        .map(str::to_owned);
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let by_length = "x".repeat(usize::try_from(min.max(1)).unwrap_or(1));
    let by_pattern = schema
        .get("pattern")
        .and_then(Value::as_str)
        .and_then(pattern::matching);
    let candidates: Vec<Value> = by_format
        .into_iter()
        .chain([by_length])
        .chain(CANDIDATES.iter().map(|c| (*c).to_owned()))
        .chain(by_pattern)
        .map(Value::String)
        .collect();
    let first = candidates[0].clone();
    candidates
        .into_iter()
        .find(|c| satisfies(spec, schema, c))
        .unwrap_or(first)
}

/// A value of a string `format` that validators check.
fn by_format(format: &str) -> Option<&'static str> {
    Some(match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "email" => "user@example.com",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "ipv4" => "10.0.0.1",
        "ipv6" => "::1",
        "uri" | "url" => "https://example.com/",
        "hostname" => "example.com",
        _ => return None,
    })
}

/// An object with the schema's required, writable properties.
fn object(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let mut map = Map::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array);
    if let (Some(properties), Some(required)) = (properties, required) {
        for name in required.iter().filter_map(Value::as_str) {
            let Some(property) = properties.get(name) else {
                continue;
            };
            let resolved = resolve(spec, property);
            if resolved.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            map.insert(name.to_owned(), minimal(spec, property, depth + 1));
        }
    }
    Value::Object(map)
}

/// Properties and required names of a schema and its `allOf` members (a polymorphic parent
/// contributes its own properties, not a variant).
fn collect(
    spec: &Spec,
    schema: &Value,
    properties: &mut Map<String, Value>,
    required: &mut Vec<Value>,
    depth: usize,
) {
    let schema = resolve(spec, schema);
    if depth > MAX_DEPTH {
        return;
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect(spec, member, properties, required, depth + 1);
    }
    if let Some(own) = schema.get("properties").and_then(Value::as_object) {
        properties.extend(own.clone());
    }
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !required.contains(name) {
            required.push(name.clone());
        }
    }
}
