//! Parameters: repaired one by one (a Swagger-style type beside the schema, no schema at
//! all, `in: querystring`, a location OpenAPI 3 does not have), checked against the path
//! template, and `in: formData` ones moved into a form body.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Notes;
use crate::ir::NoteKind;

/// Keywords of a 2.0-style parameter (or header) that belong in its schema.
pub(super) const SCHEMA_FIELDS: [&str; 16] = [
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
];

/// The parameters of a list, repaired one by one (a parameter beyond repair is left out).
pub(super) fn parameter_list(list: Option<&mut Value>, at: &str, notes: &mut Notes) -> Vec<Value> {
    let Some(list) = list else {
        return Vec::new();
    };
    let Value::Array(items) = list else {
        notes.push(
            NoteKind::Repair,
            at,
            "`parameters` is not a list; left out".to_owned(),
        );
        *list = Value::Array(Vec::new());
        return Vec::new();
    };
    let mut kept = Vec::with_capacity(items.len());
    for (i, mut parameter) in std::mem::take(items).into_iter().enumerate() {
        if parameter_repaired(&mut parameter, &format!("{at}/{i}"), notes) {
            kept.push(parameter);
        }
    }
    *items = kept.clone();
    kept
}

/// Repairs one parameter in place; `false` when it is left out.
pub(super) fn parameter_repaired(parameter: &mut Value, at: &str, notes: &mut Notes) -> bool {
    let Value::Object(map) = parameter else {
        notes.push(
            NoteKind::Repair,
            at,
            "a parameter that is not a mapping; left out".to_owned(),
        );
        return false;
    };
    if map.contains_key("$ref") {
        return true;
    }
    let Some(name) = map.get("name").and_then(Value::as_str).map(str::to_owned) else {
        notes.push(
            NoteKind::Repair,
            at,
            "a parameter without a `name`; left out".to_owned(),
        );
        return false;
    };
    let location = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    match location.as_str() {
        "query" | "header" | "path" | "cookie" => {}
        // Kept for `form_data`, which moves them into the body.
        "formData" => return true,
        "querystring" => {
            // The whole query string as one value: with a form media type, an object sent
            // as exploded form fields, which is what a query parameter of that shape is.
            let schema = map
                .get("content")
                .and_then(Value::as_object)
                .and_then(|c| c.values().next())
                .and_then(|m| m.get("schema"))
                .cloned()
                .unwrap_or_else(|| json!({"type": "object"}));
            map.remove("content");
            map.insert("in".to_owned(), Value::from("query"));
            map.insert("style".to_owned(), Value::from("form"));
            map.insert("explode".to_owned(), Value::Bool(true));
            map.insert("schema".to_owned(), schema);
            map.insert(QUERYSTRING.to_owned(), Value::Bool(true));
            notes.push(
                NoteKind::Parameter,
                at,
                format!("`{name}` (`in: querystring`) sent as one object of exploded query fields"),
            );
        }
        other => {
            notes.push(
                NoteKind::Repair,
                at,
                format!(
                    "parameter `{name}` is `in: {other}`, which OpenAPI 3 does not have; left out"
                ),
            );
            return false;
        }
    }
    if !map.contains_key("schema") && !map.contains_key("content") {
        let mut schema = Map::new();
        for field in SCHEMA_FIELDS {
            if let Some(value) = map.remove(field) {
                schema.insert(field.to_owned(), value);
            }
        }
        let message = if schema.is_empty() {
            schema.insert("type".to_owned(), Value::from("string"));
            format!("parameter `{name}` has neither `schema` nor `content`; sent as a string")
        } else {
            format!(
                "parameter `{name}` declares its type beside a schema (Swagger 2.0's form); read as its schema"
            )
        };
        notes.push(NoteKind::Repair, at, message);
        map.insert("schema".to_owned(), Value::Object(schema));
    }
    if location == "path" && map.get("required") != Some(&Value::Bool(true)) {
        map.insert("required".to_owned(), Value::Bool(true));
    }
    true
}

/// The name of a path parameter (inline, or the shared one its `$ref` names).
pub(super) fn declared_path_name(
    parameter: &Value,
    shared: &BTreeMap<String, (String, String)>,
) -> Option<String> {
    if let Some(target) = parameter.get("$ref").and_then(Value::as_str) {
        let key = crate::refs::name_in("parameters", target)?;
        let (name, location) = shared.get(&key)?;
        return (location == "path").then(|| name.clone());
    }
    (parameter.get("in").and_then(Value::as_str) == Some("path"))
        .then(|| {
            parameter
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .flatten()
}

/// Path parameters the template does not name cannot be sent: left out.
pub(super) fn drop_unused_path_parameters(
    list: &mut Vec<Value>,
    template: &[String],
    shared: &BTreeMap<String, (String, String)>,
    at: &str,
    notes: &mut Notes,
) {
    let mut index = 0;
    list.retain(|parameter| {
        let keep =
            declared_path_name(parameter, shared).is_none_or(|name| template.contains(&name));
        if !keep {
            notes.push(
                NoteKind::Repair,
                &format!("{at}/{index}"),
                format!(
                    "path parameter `{}` is not in the path template; left out",
                    declared_path_name(parameter, shared).unwrap_or_default()
                ),
            );
        }
        index += 1;
        keep
    });
}

/// `in: formData` parameters (Swagger 2.0's form fields) in a 3.x document: moved into a
/// form request body, multipart when one of them is a file.
pub(super) fn form_data(
    operation: &mut Map<String, Value>,
    at: &str,
    kind: NoteKind,
    notes: &mut Notes,
) {
    let Some(Value::Array(list)) = operation.get_mut("parameters") else {
        return;
    };
    let (fields, rest): (Vec<Value>, Vec<Value>) = std::mem::take(list)
        .into_iter()
        .partition(|p| p.get("in").and_then(Value::as_str) == Some("formData"));
    *list = rest;
    if fields.is_empty() {
        return;
    }
    if operation.contains_key("requestBody") {
        notes.push(
            NoteKind::Repair,
            &format!("{at}/parameters"),
            "`in: formData` parameters beside a request body are left out".to_owned(),
        );
        return;
    }
    let mut properties = Map::new();
    let mut encodings = Map::new();
    let mut required = Vec::new();
    let mut multipart = false;
    for field in fields {
        let Value::Object(mut field) = field else {
            continue;
        };
        let Some(name) = field.get("name").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        if field.get("required") == Some(&Value::Bool(true)) {
            required.push(Value::from(name.clone()));
        }
        let mut schema = match field.remove("schema") {
            Some(Value::Object(schema)) => schema,
            _ => Map::new(),
        };
        for key in SCHEMA_FIELDS {
            if let Some(value) = field.remove(key) {
                schema.entry(key).or_insert(value);
            }
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            multipart = true;
            schema.insert("type".to_owned(), Value::from("string"));
            schema.insert("format".to_owned(), Value::from("binary"));
        }
        if let Some(description) = field.remove("description") {
            schema.entry("description").or_insert(description);
        }
        // A list field without `collectionFormat` is `csv` (2.0's default), not 3.x's
        // exploded form.
        let format = field.remove("collectionFormat");
        if schema.get("type").and_then(Value::as_str) == Some("array") {
            encodings.insert(name.clone(), form_list_encoding(format.as_ref()));
        }
        properties.insert(name, Value::Object(schema));
    }
    let media = if multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    notes.push(
        kind,
        &format!("{at}/parameters"),
        format!("`in: formData` parameters (Swagger 2.0's form) sent as a `{media}` request body"),
    );
    let mut content =
        json!({"schema": {"type": "object", "properties": properties, "required": required}});
    // `encoding` says how a url-encoded form sends a list. A multipart body is built by
    // the caller part by part: the note says how 2.0 wants such a list sent.
    if multipart {
        for (name, encoding) in &encodings {
            if encoding.get("explode") == Some(&Value::Bool(true)) {
                continue;
            }
            let joined_by = match encoding.get("style").and_then(Value::as_str) {
                Some("spaceDelimited") => "spaces",
                Some("pipeDelimited") => "`|`",
                _ if encoding.get(DELIMITER).is_some() => "tabs",
                _ => "commas",
            };
            notes.push(
                kind,
                &format!("{at}/parameters"),
                format!("list field `{name}` of a multipart form: Swagger 2.0 sends its items as one part, joined by {joined_by}; add it to the `Multipart` so"),
            );
        }
    } else if !encodings.is_empty() {
        content["encoding"] = Value::Object(encodings);
    }
    operation.insert(
        "requestBody".to_owned(),
        json!({"required": !required.is_empty(), "content": {media: content}}),
    );
}

/// The form `encoding` that sends a list field as Swagger 2.0's `collectionFormat` says:
/// `multi` one pair per item, `csv` (the default) `a,b`, `ssv` `a%20b`, `pipes` `a|b`, `tsv`
/// `a%09b`.
fn form_list_encoding(format: Option<&Value>) -> Value {
    match format.and_then(Value::as_str).unwrap_or("csv") {
        "multi" => json!({"style": "form", "explode": true}),
        "ssv" => json!({"style": "spaceDelimited", "explode": false}),
        "pipes" => json!({"style": "pipeDelimited", "explode": false}),
        "tsv" => json!({"style": "form", "explode": false, DELIMITER: "\t"}),
        _ => json!({"style": "form", "explode": false}),
    }
}

/// Carries the character that joins an unexploded list parameter's items where no 3.x style
/// says it (Swagger 2.0's `tsv`; `ssv` and `pipes` outside the query).
pub(super) const DELIMITER: &str = super::marks::Mark::Delimiter.key();

/// Marks a parameter that was `in: querystring`: lowering sends its properties as a form's.
const QUERYSTRING: &str = super::marks::Mark::Querystring.key();

#[cfg(test)]
mod tests {
    use super::*;

    /// `parameter` repaired at `#/p`: whether it is kept, what it became, and the notes.
    fn repaired(mut parameter: Value) -> (bool, Value, Vec<String>) {
        let mut notes = Notes::default();
        let kept = parameter_repaired(&mut parameter, "#/p", &mut notes);
        let notes = notes.0.into_iter().map(|n| n.message).collect();
        (kept, parameter, notes)
    }

    #[test]
    fn a_swagger_style_type_beside_the_parameter_becomes_its_schema() {
        let (kept, parameter, notes) = repaired(
            json!({"name": "limit", "in": "query", "type": "integer", "maximum": 100, "description": "d"}),
        );
        assert!(kept);
        assert_eq!(
            parameter,
            json!({"name": "limit", "in": "query", "description": "d",
                   "schema": {"type": "integer", "maximum": 100}})
        );
        assert_eq!(
            notes,
            [
                "parameter `limit` declares its type beside a schema (Swagger 2.0's form); read as its schema"
            ]
        );
    }

    #[test]
    fn a_parameter_without_a_schema_is_a_string_and_a_path_parameter_is_required() {
        let (kept, parameter, notes) = repaired(json!({"name": "id", "in": "path"}));
        assert!(kept);
        assert_eq!(
            parameter,
            json!({"name": "id", "in": "path", "schema": {"type": "string"}, "required": true})
        );
        assert_eq!(
            notes,
            ["parameter `id` has neither `schema` nor `content`; sent as a string"]
        );
    }

    #[test]
    fn what_cannot_be_sent_is_left_out_with_a_note() {
        assert_eq!(
            repaired(json!({"in": "query", "schema": {}})),
            (
                false,
                json!({"in": "query", "schema": {}}),
                vec!["a parameter without a `name`; left out".to_owned()]
            )
        );
        let (kept, _, notes) = repaired(json!({"name": "x", "in": "body", "schema": {}}));
        assert!(!kept);
        assert_eq!(
            notes,
            ["parameter `x` is `in: body`, which OpenAPI 3 does not have; left out"]
        );
        let (kept, _, notes) = repaired(json!("limit"));
        assert!(!kept);
        assert_eq!(notes, ["a parameter that is not a mapping; left out"]);
        // A reference is the resolver's, and a form field the form body's: kept as they are.
        assert!(repaired(json!({"$ref": "#/components/parameters/P"})).0);
        assert!(repaired(json!({"name": "f", "in": "formData", "type": "file"})).0);
    }

    #[test]
    fn a_querystring_parameter_is_an_object_of_exploded_query_fields_and_marked() {
        let (kept, parameter, notes) = repaired(json!({
            "name": "filter", "in": "querystring",
            "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"q": {"type": "string"}}}}}
        }));
        assert!(kept);
        assert_eq!(
            parameter,
            json!({"name": "filter", "in": "query", "style": "form", "explode": true,
                   "schema": {"type": "object", "properties": {"q": {"type": "string"}}},
                   "x-atlas-querystring": true})
        );
        assert_eq!(
            notes,
            ["`filter` (`in: querystring`) sent as one object of exploded query fields"]
        );
    }

    #[test]
    fn a_list_that_is_not_a_list_is_emptied_and_each_item_is_repaired() {
        let mut notes = Notes::default();
        let mut list = json!({"name": "x"});
        assert!(parameter_list(Some(&mut list), "#/ps", &mut notes).is_empty());
        assert_eq!(list, json!([]));
        let mut list = json!([{"name": "a", "in": "query", "schema": {}}, 3]);
        let kept = parameter_list(Some(&mut list), "#/ps", &mut notes);
        assert_eq!(kept, [json!({"name": "a", "in": "query", "schema": {}})]);
        assert_eq!(list, json!([{"name": "a", "in": "query", "schema": {}}]));
        let at: Vec<&str> = notes.0.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(at, ["#/ps", "#/ps/1"]);
    }

    #[test]
    fn path_parameters_the_template_does_not_name_are_left_out() {
        let shared = BTreeMap::from([("Org".to_owned(), ("org".to_owned(), "path".to_owned()))]);
        let mut list = vec![
            json!({"name": "id", "in": "path"}),
            json!({"name": "gone", "in": "path"}),
            json!({"$ref": "#/components/parameters/Org"}),
            json!({"name": "gone", "in": "query"}),
        ];
        let mut notes = Notes::default();
        drop_unused_path_parameters(&mut list, &["id".to_owned()], &shared, "#/ps", &mut notes);
        assert_eq!(
            list,
            [
                json!({"name": "id", "in": "path"}),
                json!({"name": "gone", "in": "query"})
            ]
        );
        let notes: Vec<(&str, &str)> = notes
            .0
            .iter()
            .map(|n| (n.pointer.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "#/ps/1",
                    "path parameter `gone` is not in the path template; left out"
                ),
                (
                    "#/ps/2",
                    "path parameter `org` is not in the path template; left out"
                )
            ]
        );
    }

    #[test]
    fn form_fields_become_a_form_body_with_their_collection_formats() {
        let mut operation = json!({"parameters": [
            {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "pipes", "required": true},
            {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}},
            {"name": "q", "in": "query", "schema": {}}
        ]});
        let Value::Object(operation) = &mut operation else {
            unreachable!("an object")
        };
        let mut notes = Notes::default();
        form_data(operation, "#/op", NoteKind::Body, &mut notes);
        assert_eq!(
            operation["parameters"],
            json!([{"name": "q", "in": "query", "schema": {}}])
        );
        assert_eq!(
            operation["requestBody"],
            json!({"required": true, "content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "required": ["tags"], "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "ids": {"type": "array", "items": {"type": "integer"}}
                }},
                "encoding": {
                    "tags": {"style": "pipeDelimited", "explode": false},
                    "ids": {"style": "form", "explode": false}
                }
            }}})
        );
        assert_eq!(
            notes.0[0].message,
            "`in: formData` parameters (Swagger 2.0's form) sent as a `application/x-www-form-urlencoded` request body"
        );
    }

    #[test]
    fn a_file_field_makes_the_form_multipart_and_a_joined_list_is_noted() {
        let mut operation = json!({"parameters": [
            {"name": "upload", "in": "formData", "type": "file"},
            {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "tsv"}
        ]});
        let Value::Object(operation) = &mut operation else {
            unreachable!("an object")
        };
        let mut notes = Notes::default();
        form_data(operation, "#/op", NoteKind::Body, &mut notes);
        let content = &operation["requestBody"]["content"]["multipart/form-data"];
        assert_eq!(
            content["schema"]["properties"]["upload"],
            json!({"type": "string", "format": "binary"})
        );
        assert!(content.get("encoding").is_none());
        assert_eq!(
            notes.0[1].message,
            "list field `tags` of a multipart form: Swagger 2.0 sends its items as one part, joined by tabs; add it to the `Multipart` so"
        );
        // Beside a request body, form fields cannot be sent: left out with a note.
        let mut operation =
            json!({"requestBody": {}, "parameters": [{"name": "f", "in": "formData"}]});
        let Value::Object(operation) = &mut operation else {
            unreachable!("an object")
        };
        let mut notes = Notes::default();
        form_data(operation, "#/op", NoteKind::Body, &mut notes);
        assert_eq!(operation["parameters"], json!([]));
        assert_eq!(
            notes.0[0].message,
            "`in: formData` parameters beside a request body are left out"
        );
    }
}
