//! JSON Schema 2020-12 (OpenAPI 3.1 and 3.2) → the schema shape the typed model reads.
//!
//! Each keyword is rewritten into the form that means the same in OpenAPI 3.0, where one
//! exists: `type: [T, "null"]` is a nullable `T`, `const` a one-value `enum`, a numeric
//! `exclusiveMinimum` a `minimum` with the flag. What has no 3.0 form is typed as closely as
//! the model allows and noted where it is written. The same keywords in a 3.0 document are
//! mistakes, read as the version that has them means them, with a `repair` note.

use serde_json::{Map, Value, json};

use super::Notes;
use crate::ir::NoteKind;
use crate::walk::{Position, Visit};

/// The members of a closed tuple of scalars (`integer:int32`, `number`, …), for lowering.
const TUPLE: &str = super::marks::Mark::Tuple.key();

/// A marker on a schema that admits only `null`, for the union that holds it.
const NULL_ONLY: &str = "x-atlas-null-only";

/// Keywords that apply to one JSON type only: a type list's members each take theirs.
const TYPE_KEYWORDS: [(&str, &[&str]); 4] = [
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    ("string", &["minLength", "maxLength", "pattern", "format"]),
    (
        "number",
        &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "format",
        ],
    ),
];

/// Keywords with no counterpart in the model: dropped, with a note of what was not kept.
const IGNORED: [(&str, &str); 9] = [
    (
        "if",
        "`if`/`then`/`else` is not typed; the schema's own keywords are",
    ),
    ("dependentRequired", "`dependentRequired` is not checked"),
    ("dependentSchemas", "`dependentSchemas` is not typed"),
    (
        "propertyNames",
        "`propertyNames` is not checked; keys are strings",
    ),
    ("contains", "`contains` is not checked"),
    ("minContains", "`minContains` is not checked"),
    ("maxContains", "`maxContains` is not checked"),
    ("unevaluatedItems", "`unevaluatedItems` is not checked"),
    (
        "$dynamicAnchor",
        "`$dynamicAnchor` is read as a plain anchor",
    ),
];

/// Rewrites every schema of a document into the 3.0 shape.
pub(crate) struct Schemas<'n> {
    /// Whether the document is OpenAPI 3.1 or later, where these keywords are valid.
    pub modern: bool,
    pub notes: &'n mut Notes,
}

/// The keywords whose value is a count (a non-negative integer).
const COUNT_KEYWORDS: [&str; 6] = [
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
];

impl Schemas<'_> {
    /// A note: `kind` where the keyword is valid, `repair` where it is a mistake.
    fn note(&mut self, kind: NoteKind, at: &str, message: String) {
        let kind = if self.modern { kind } else { NoteKind::Repair };
        self.notes.push(kind, at, message);
    }

    /// A note only where the keyword is a mistake (in 3.1 it is plainly understood).
    fn note_if_mistake(&mut self, at: &str, message: impl FnOnce() -> String) {
        if !self.modern {
            self.notes.push(NoteKind::Repair, at, message());
        }
    }
}

impl Visit for Schemas<'_> {
    fn enter(&mut self, position: Position, value: &mut Value, at: &str) -> bool {
        if position != Position::Schema {
            return true;
        }
        if let Value::Bool(admits) = *value {
            self.note_if_mistake(at, || {
                "a boolean schema (valid from OpenAPI 3.1) read as JSON Schema means it".to_owned()
            });
            *value = if admits {
                json!({})
            } else {
                json!({"not": {}})
            };
            return true;
        }
        let Value::Object(schema) = value else {
            self.notes.push(
                NoteKind::Repair,
                at,
                "a schema that is not an object: typed as any JSON value".to_owned(),
            );
            *value = json!({});
            return false;
        };
        self.rewrite(schema, at);
        true
    }

    fn leave(&mut self, position: Position, value: &mut Value, at: &str) {
        if position == Position::Schema
            && let Value::Object(schema) = value
        {
            let _ = at;
            lift_null_members(schema);
        }
    }
}

impl Schemas<'_> {
    fn rewrite(&mut self, schema: &mut Map<String, Value>, at: &str) {
        if let Some(target) = schema.remove("$dynamicRef") {
            if !schema.contains_key("$ref") {
                schema.insert("$ref".to_owned(), target);
            }
            self.note(
                NoteKind::Schema,
                at,
                "`$dynamicRef` resolved statically, as a `$ref`".to_owned(),
            );
        }
        // go-swagger's and NSwag's extensions for what 2.0 cannot say; beside a `$ref` too
        // (Weaviate's, OpenZiti's documents), where go-swagger honours them as well.
        for extension in ["x-nullable", "x-isnullable"] {
            if schema.get(extension) == Some(&Value::Bool(true)) {
                schema.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
        if schema.contains_key("$ref") {
            self.ref_siblings(schema, at);
            // Still a plain reference: nothing beside it to rewrite.
            if schema.contains_key("$ref") {
                return;
            }
        }
        // A count written as a whole float (OpenZiti's `maxLength: 255.0`) is that count.
        for keyword in COUNT_KEYWORDS {
            if let Some(Value::Number(n)) = schema.get(keyword)
                && n.as_u64().is_none()
                && let Some(whole) = n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0)
                && whole <= u32::MAX as f64
            {
                schema.insert(keyword.to_owned(), Value::from(whole as u64));
            }
        }
        // go-swagger's `x-omitempty: false` drops Go's `omitempty`: an empty (nil) list or
        // map is then sent as `null`, which a list or map field must accept.
        let list_or_map = matches!(
            schema.get("type").and_then(Value::as_str),
            Some("array" | "object")
        );
        if list_or_map && schema.get("x-omitempty") == Some(&Value::Bool(false)) {
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".to_owned(), Value::from("string"));
            schema.insert("format".to_owned(), Value::from("binary"));
        }
        if let Some(constant) = schema.remove("const") {
            self.note_if_mistake(at, || "`const` read as a one-value `enum`".to_owned());
            if !schema.contains_key("enum") {
                if !schema.contains_key("type")
                    && let Some(ty) = json_type(&constant)
                {
                    schema.insert("type".to_owned(), Value::from(ty));
                }
                schema.insert("enum".to_owned(), Value::Array(vec![constant]));
            }
        }
        if let Some(Value::Array(_)) = schema.get("type") {
            self.type_list(schema, at);
        } else if schema.get("type").and_then(Value::as_str) == Some("null") {
            schema.remove("type");
            schema.insert(NULL_ONLY.to_owned(), Value::Bool(true));
            schema.insert("nullable".to_owned(), Value::Bool(true));
        }
        for (flag, bound, lower) in [
            ("exclusiveMinimum", "minimum", true),
            ("exclusiveMaximum", "maximum", false),
        ] {
            if exclusive_bound(schema, flag, bound, lower) {
                self.note_if_mistake(at, || {
                    format!("a numeric `{flag}` (OpenAPI 3.1's form) read as `{bound}` with `{flag}: true`")
                });
            }
        }
        self.encodings(schema, at);
        self.tuples(schema, at);
        if let Some(patterns) = schema.remove("patternProperties") {
            self.pattern_properties(schema, patterns, at);
        }
        if let Some(unevaluated) = schema.remove("unevaluatedProperties")
            && !schema.contains_key("additionalProperties")
        {
            schema.insert("additionalProperties".to_owned(), unevaluated);
        }
        for (keyword, message) in IGNORED {
            if schema.remove(keyword).is_some() {
                if keyword == "if" {
                    schema.remove("then");
                    schema.remove("else");
                }
                if keyword != "$dynamicAnchor" {
                    self.note(NoteKind::Schema, at, (*message).to_owned());
                }
            }
        }
        if let Some(examples) = schema.remove("examples")
            && !schema.contains_key("example")
            && let Value::Array(examples) = examples
            && let Some(first) = examples.into_iter().next()
        {
            schema.insert("example".to_owned(), first);
        }
        integer_bounds(schema, at, self.notes);
    }

    /// `$ref` beside other keywords: in 3.1 they apply too (as `allOf` would combine them),
    /// and the rest of the rewrite then reads them (a `const` beside the `$ref` becomes the
    /// `enum` that narrows it). In 3.0 they are ignored, as that version says, except
    /// `nullable: true` (and 2.0's `x-nullable`), which real documents mean: the reference
    /// becomes 3.0's nullable `allOf: [$ref]`.
    fn ref_siblings(&mut self, schema: &mut Map<String, Value>, at: &str) {
        // Keywords that change nothing a reader of the type sees.
        // An anchor beside a `$ref` names the reference itself (`$dynamicAnchor: itemType`
        // binding a generic's item type): kept there for the resolver, never removed.
        const SILENT: [&str; 7] = [
            "$ref",
            "title",
            "$comment",
            "example",
            "examples",
            "$anchor",
            "$dynamicAnchor",
        ];
        if schema.keys().all(|k| SILENT.contains(&k.as_str())) {
            return;
        }
        if !self.modern {
            self.nullable_reference(schema, at);
            return;
        }
        // `summary` is a reference's description in 3.1.
        if let Some(summary) = schema.remove("summary")
            && !schema.contains_key("description")
        {
            schema.insert("description".to_owned(), summary);
        }
        let reference = schema.remove("$ref").unwrap_or(Value::Null);
        schema.insert(
            "allOf".to_owned(),
            Value::Array(vec![json!({"$ref": reference})]),
        );
    }

    /// A 2.0 or 3.0 `$ref` with `nullable: true` beside it → `allOf: [$ref]`, nullable, with
    /// the annotations that were beside it; the other siblings stay ignored. 3.0's own
    /// `nullable` there is a mistake read as meant (Square's document has 826); 2.0's
    /// extensions are the vendor's way to say it, read without a note.
    fn nullable_reference(&mut self, schema: &mut Map<String, Value>, at: &str) {
        const KEPT: [&str; 5] = [
            "description",
            "readOnly",
            "writeOnly",
            "deprecated",
            "default",
        ];
        if schema.get("nullable") != Some(&Value::Bool(true)) {
            return;
        }
        let extension = ["x-nullable", "x-isnullable"]
            .iter()
            .any(|e| schema.get(*e) == Some(&Value::Bool(true)));
        if !extension {
            self.notes.push(
                NoteKind::Repair,
                at,
                "`nullable` beside a `$ref` (which OpenAPI 3.0 says to ignore) read as a nullable reference".to_owned(),
            );
        }
        let reference = schema.remove("$ref").unwrap_or(Value::Null);
        schema.retain(|k, _| KEPT.contains(&k.as_str()) || k.starts_with("x-"));
        schema.insert("nullable".to_owned(), Value::Bool(true));
        schema.insert(
            "allOf".to_owned(),
            Value::Array(vec![json!({"$ref": reference})]),
        );
    }

    /// `type: [A, B, "null"]`: `null` makes it nullable; one other type is that type; several
    /// are a union of one schema per type, each with the keywords that apply to it.
    fn type_list(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let Some(Value::Array(types)) = schema.remove("type") else {
            return;
        };
        self.note_if_mistake(at, || {
            "a list of types (valid from OpenAPI 3.1) read as a union, `null` as nullable"
                .to_owned()
        });
        let mut names: Vec<String> = types
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        // Duplicates anywhere in the list, not only side by side; the document's order kept.
        let mut seen = std::collections::BTreeSet::new();
        names.retain(|name| seen.insert(name.clone()));
        if names.iter().any(|t| t == "null") {
            schema.insert("nullable".to_owned(), Value::Bool(true));
            names.retain(|t| t != "null");
        }
        // `integer` is a `number`: the pair is a number.
        if names.iter().any(|t| t == "number") {
            names.retain(|t| t != "integer");
        }
        match names.as_slice() {
            [] => {
                schema.insert(NULL_ONLY.to_owned(), Value::Bool(true));
            }
            [single] => {
                schema.insert("type".to_owned(), Value::from(single.clone()));
            }
            several => {
                let members = several
                    .iter()
                    .map(|ty| {
                        let mut member = Map::new();
                        member.insert("type".to_owned(), Value::from(ty.clone()));
                        let family = if ty == "integer" {
                            "number"
                        } else {
                            ty.as_str()
                        };
                        for (owner, keywords) in TYPE_KEYWORDS {
                            if owner == family {
                                for keyword in keywords {
                                    if let Some(v) = schema.get(*keyword) {
                                        member.insert((*keyword).to_owned(), v.clone());
                                    }
                                }
                            }
                        }
                        if let Some(Value::Array(values)) = schema.get("enum") {
                            let own: Vec<Value> = values
                                .iter()
                                .filter(|v| {
                                    json_type(v).map(|t| if t == "integer" { "number" } else { t })
                                        == Some(family)
                                })
                                .cloned()
                                .collect();
                            if !own.is_empty() {
                                member.insert("enum".to_owned(), Value::Array(own));
                            }
                        }
                        Value::Object(member)
                    })
                    .collect();
                for (_, keywords) in TYPE_KEYWORDS {
                    for keyword in keywords {
                        schema.remove(*keyword);
                    }
                }
                schema.remove("enum");
                if let Some(existing) = schema.remove("anyOf") {
                    // Already a union: the type list becomes one more constraint on it.
                    let all = schema
                        .entry("allOf")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(all) = all {
                        all.push(json!({"anyOf": existing}));
                    }
                }
                schema.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
    }

    /// `contentEncoding: base64` is a `byte` string; a non-JSON `contentMediaType` is binary.
    fn encodings(&mut self, schema: &mut Map<String, Value>, at: &str) {
        let encoding = schema.remove("contentEncoding");
        let media = schema.remove("contentMediaType");
        if schema.contains_key("format") {
            return;
        }
        let format = match (
            encoding.as_ref().and_then(Value::as_str),
            media.as_ref().and_then(Value::as_str),
        ) {
            (Some("base64" | "base64url"), _) => "byte",
            (_, Some(media)) if !media.contains("json") && !media.starts_with("text/") => "binary",
            _ => return,
        };
        self.note_if_mistake(at, || {
            format!("`contentEncoding`/`contentMediaType` (OpenAPI 3.1) read as `format: {format}`")
        });
        schema.insert("format".to_owned(), Value::from(format));
        schema
            .entry("type")
            .or_insert_with(|| Value::from("string"));
    }

    /// Tuples (`prefixItems`, or draft-4's `items` list): a list of the members' union.
    fn tuples(&mut self, schema: &mut Map<String, Value>, at: &str) {
        if matches!(schema.get("items"), Some(Value::Bool(_))) {
            schema.remove("items");
        }
        let prefix = match schema.remove("prefixItems") {
            Some(Value::Array(prefix)) => prefix,
            _ => match schema.get("items") {
                Some(Value::Array(_)) => match schema.remove("items") {
                    Some(Value::Array(prefix)) => prefix,
                    _ => return,
                },
                _ => return,
            },
        };
        if schema.contains_key("items") || prefix.is_empty() {
            self.note(
                NoteKind::Schema,
                at,
                "a tuple with further items typed as a list of its items' schema; positions are not checked"
                    .to_owned(),
            );
            return;
        }
        // A closed tuple of scalars is typed as a Rust tuple (lowering reads the marker).
        let scalars: Option<Vec<Value>> = prefix
            .iter()
            .map(|member| {
                let ty = member.get("type")?.as_str()?;
                let only_type = member
                    .as_object()?
                    .keys()
                    .all(|k| matches!(k.as_str(), "type" | "format" | "description" | "title"));
                (only_type && matches!(ty, "string" | "integer" | "number" | "boolean")).then(
                    || {
                        Value::from(format!(
                            "{ty}{}",
                            member
                                .get("format")
                                .and_then(Value::as_str)
                                .map(|f| format!(":{f}"))
                                .unwrap_or_default()
                        ))
                    },
                )
            })
            .collect();
        // `prefixItems` constrains only the positions present: without `minItems` covering
        // them all, a shorter list is valid, and a Rust tuple would refuse it.
        let complete = schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| usize::try_from(min).is_ok_and(|min| min >= prefix.len()));
        if let Some(scalars) = scalars.filter(|_| complete) {
            schema.insert(TUPLE.to_owned(), Value::Array(scalars));
        }
        let mut distinct: Vec<Value> = Vec::new();
        for member in prefix {
            if !distinct.contains(&member) {
                distinct.push(member);
            }
        }
        let items = if distinct.len() == 1 {
            distinct.remove(0)
        } else {
            json!({"anyOf": distinct})
        };
        if schema.contains_key(TUPLE) {
            self.note_if_mistake(at, || {
                "a tuple (`prefixItems`, valid from OpenAPI 3.1) read as a Rust tuple".to_owned()
            });
        } else {
            self.note(
                NoteKind::Schema,
                at,
                "a tuple (`prefixItems`) of schemas typed as a list whose items are any of its members; positions are not checked"
                    .to_owned(),
            );
        }
        schema.insert("items".to_owned(), items);
        schema.entry("type").or_insert_with(|| Value::from("array"));
    }

    /// `patternProperties`: a map whose values are the patterns' schema (their union).
    fn pattern_properties(&mut self, schema: &mut Map<String, Value>, patterns: Value, at: &str) {
        let Value::Object(patterns) = patterns else {
            return;
        };
        if schema.contains_key("additionalProperties") || patterns.is_empty() {
            self.note(
                NoteKind::Schema,
                at,
                "`patternProperties` beside `additionalProperties`: keys are not checked against the patterns".to_owned(),
            );
            return;
        }
        let mut members: Vec<Value> = Vec::new();
        for member in patterns.into_values() {
            if !members.contains(&member) {
                members.push(member);
            }
        }
        let values = if members.len() == 1 {
            members.remove(0)
        } else {
            json!({"anyOf": members})
        };
        self.note(
            NoteKind::Schema,
            at,
            "`patternProperties` typed as a map of string keys; keys are not checked against the patterns".to_owned(),
        );
        schema.insert("additionalProperties".to_owned(), values);
        schema
            .entry("type")
            .or_insert_with(|| Value::from("object"));
    }
}

/// A union with a member that admits only `null`: that member is dropped and the schema is
/// nullable; a single remaining member is the schema itself (`allOf: [$ref]` for a
/// reference, as 3.0 writes a nullable reference).
fn lift_null_members(schema: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| m.get(NULL_ONLY).is_none());
        if members.len() == before {
            continue;
        }
        schema.insert("nullable".to_owned(), Value::Bool(true));
        let Some(Value::Array(members)) = schema.get(key) else {
            continue;
        };
        if members.len() != 1 {
            continue;
        }
        let member = members[0].clone();
        schema.remove(key);
        match member {
            Value::Object(member) if member.contains_key("$ref") => {
                let all = schema
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(all) = all {
                    all.insert(0, Value::Object(member));
                }
            }
            Value::Object(member) => {
                for (k, v) in member {
                    schema.entry(k).or_insert(v);
                }
            }
            _ => {}
        }
    }
}

/// A numeric `flag` (`exclusiveMinimum: 5`, 3.1's form) beside `bound` (`minimum`), as the
/// 3.0 pair: the tighter of the two limits is kept (the larger for a lower bound), with
/// `flag: true` when it is the exclusive one, or when both are equal (`> 5` is tighter than
/// `>= 5`). Whether a numeric flag was rewritten.
fn exclusive_bound(schema: &mut Map<String, Value>, flag: &str, bound: &str, lower: bool) -> bool {
    let Some(Value::Number(exclusive)) = schema.get(flag).cloned() else {
        return false;
    };
    let inclusive_is_tighter = match schema.get(bound) {
        Some(Value::Number(inclusive)) => {
            let order = compare_numbers(inclusive, &exclusive);
            if lower {
                order == std::cmp::Ordering::Greater
            } else {
                order == std::cmp::Ordering::Less
            }
        }
        _ => false,
    };
    if inclusive_is_tighter {
        schema.remove(flag);
    } else {
        schema.insert(bound.to_owned(), Value::Number(exclusive));
        schema.insert(flag.to_owned(), Value::Bool(true));
    }
    true
}

/// JSON numbers in order: exactly when both are whole (an `f64` loses digits past 2^53).
fn compare_numbers(a: &serde_json::Number, b: &serde_json::Number) -> std::cmp::Ordering {
    let whole = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (whole(a), whole(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        _ => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            a.partial_cmp(&b).unwrap_or(std::cmp::Ordering::Equal)
        }
    }
}

/// Integer bounds beyond what a 64-bit integer holds are dropped: no `i64` reaches them, and
/// the typed model reads bounds as `i64` or `f64`.
fn integer_bounds(schema: &mut Map<String, Value>, at: &str, notes: &mut Notes) {
    for bound in ["minimum", "maximum"] {
        // Whole numbers written as floats inside the range (`1.1991456e+09`) stay as they
        // are: the model reads those loosely already.
        if let Some(Value::Number(n)) = schema.get(bound)
            && n.as_i64().is_none()
            && (n.is_u64()
                || n.as_f64()
                    .is_some_and(|f| f.abs() >= 9.223_372_036_854_775e18))
            && schema.get("type").and_then(Value::as_str) == Some("integer")
        {
            notes.push(
                NoteKind::Repair,
                at,
                format!("`{bound}: {n}` is beyond a 64-bit integer; the bound is not checked"),
            );
            schema.remove(bound);
        }
    }
}

/// The JSON type name of a value (`integer` for whole numbers).
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// Removes the markers this pass leaves for itself.
pub(crate) struct Unmark;

impl Visit for Unmark {
    fn enter(&mut self, position: Position, value: &mut Value, _at: &str) -> bool {
        if position == Position::Schema
            && let Value::Object(schema) = value
        {
            schema.remove(NULL_ONLY);
        }
        true
    }
}

#[cfg(test)]
mod tests;
