//! Typing the upgraded document, cutting away only what cannot be typed.
//!
//! Most documents type at once. When one does not, each position is tried on its own (top
//! down, descending only into what fails); a failing position whose parts all type loses
//! the one keyword that breaks it (a misplaced or mistyped keyword, ignored), or else
//! becomes its empty form. Each cut is a `repair` note with the reason serde gave.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::Notes;
use crate::error::escape_token;
use crate::ir::NoteKind;
use crate::walk::{Position, Visit, walk};

/// Whether `value` types as `T`; the error's text when it does not.
fn types_as<T: DeserializeOwned>(value: &Value) -> Result<(), String> {
    T::deserialize(value).map(drop).map_err(|e| e.to_string())
}

fn check(position: Position, value: &Value) -> Result<(), String> {
    use openapiv3::ReferenceOr as R;
    match position {
        Position::Schema => types_as::<R<openapiv3::Schema>>(value),
        Position::Parameter => types_as::<R<openapiv3::Parameter>>(value),
        Position::RequestBody => types_as::<R<openapiv3::RequestBody>>(value),
        Position::Response => types_as::<R<openapiv3::Response>>(value),
        Position::Header => types_as::<R<openapiv3::Header>>(value),
        Position::PathItem => types_as::<R<openapiv3::PathItem>>(value),
        Position::Operation => types_as::<openapiv3::Operation>(value),
        Position::Media => types_as::<openapiv3::MediaType>(value),
    }
}

/// What a position becomes when nothing of it types.
fn empty_form(position: Position) -> Value {
    match position {
        Position::Schema | Position::PathItem | Position::Media => json!({}),
        Position::Parameter => json!({"name": "", "in": "query", "schema": {}}),
        Position::RequestBody => json!({"content": {}}),
        Position::Response => json!({"description": ""}),
        Position::Header => json!({"schema": {}}),
        Position::Operation => json!({"responses": {}}),
    }
}

struct Cut<'n> {
    notes: &'n mut Notes,
}

impl Visit for Cut<'_> {
    fn enter(&mut self, position: Position, value: &mut Value, _at: &str) -> bool {
        // Descend only into what fails.
        check(position, value).is_err()
    }

    fn leave(&mut self, position: Position, value: &mut Value, at: &str) {
        let Err(reason) = check(position, value) else {
            return;
        };
        if let Value::Object(map) = value {
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let mut without = map.clone();
                without.remove(&key);
                let candidate = Value::Object(without);
                if check(position, &candidate).is_ok() {
                    self.notes.push(
                        NoteKind::Repair,
                        &format!("{at}/{}", escape_token(&key)),
                        format!(
                            "`{key}` ignored: it does not have the form OpenAPI gives it ({reason})"
                        ),
                    );
                    *value = candidate;
                    return;
                }
            }
        }
        self.notes.push(
            NoteKind::Repair,
            at,
            format!("not understood ({reason}); read as empty"),
        );
        *value = empty_form(position);
    }
}

/// Top-level entries outside paths and components: each dropped when it does not type.
fn top_level(raw: &mut Value, notes: &mut Notes) {
    let Value::Object(root) = raw else {
        return;
    };
    fn single<T: DeserializeOwned>(root: &mut Map<String, Value>, key: &str, notes: &mut Notes) {
        if let Some(value) = root.get(key)
            && let Err(reason) = types_as::<T>(value)
        {
            notes.push(
                NoteKind::Repair,
                &format!("#/{key}"),
                format!("`{key}` ignored: {reason}"),
            );
            root.remove(key);
        }
    }
    single::<Vec<openapiv3::Server>>(root, "servers", notes);
    single::<Vec<openapiv3::Tag>>(root, "tags", notes);
    single::<openapiv3::ExternalDocumentation>(root, "externalDocs", notes);
    single::<Vec<openapiv3::SecurityRequirement>>(root, "security", notes);
    if let Some(Value::Object(info)) = root.get_mut("info") {
        for key in ["contact", "license"] {
            let bad = match (key, info.get(key)) {
                ("contact", Some(v)) => types_as::<openapiv3::Contact>(v).is_err(),
                ("license", Some(v)) => types_as::<openapiv3::License>(v).is_err(),
                _ => false,
            };
            if bad {
                info.remove(key);
                notes.push(
                    NoteKind::Repair,
                    &format!("#/info/{key}"),
                    format!("`{key}` ignored: not understood"),
                );
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        for section in ["securitySchemes", "examples", "links", "callbacks"] {
            let Some(Value::Object(entries)) = components.get_mut(section) else {
                continue;
            };
            entries.retain(|name, entry| {
                let result = match section {
                    "securitySchemes" => {
                        types_as::<openapiv3::ReferenceOr<openapiv3::SecurityScheme>>(entry)
                    }
                    "examples" => types_as::<openapiv3::ReferenceOr<openapiv3::Example>>(entry),
                    "links" => types_as::<openapiv3::ReferenceOr<openapiv3::Link>>(entry),
                    _ => types_as::<openapiv3::ReferenceOr<openapiv3::Callback>>(entry),
                };
                if let Err(reason) = &result {
                    notes.push(
                        NoteKind::Repair,
                        &format!("#/components/{section}/{}", escape_token(name)),
                        format!("left out: {reason}"),
                    );
                }
                result.is_ok()
            });
        }
    }
}

/// Types `raw`; when that fails, cuts away what does not type (with notes) and tries once
/// more. `Err` carries serde's reason when even that fails.
pub(crate) fn type_document(
    raw: &mut Value,
    notes: &mut Notes,
) -> Result<openapiv3::OpenAPI, String> {
    if let Ok(openapi) = openapiv3::OpenAPI::deserialize(&*raw) {
        return Ok(openapi);
    }
    top_level(raw, notes);
    walk(raw, &mut Cut { notes });
    openapiv3::OpenAPI::deserialize(&*raw).map_err(|e| e.to_string())
}

use serde::Deserialize as _;

#[cfg(test)]
mod tests {
    use super::*;

    /// `doc` typed, with the notes as (pointer, message).
    fn typed(mut doc: Value) -> (Value, Result<(), String>, Vec<(String, String)>) {
        let mut notes = Notes::default();
        let result = type_document(&mut doc, &mut notes).map(drop);
        let notes = notes
            .0
            .into_iter()
            .map(|n| (n.pointer, n.message))
            .collect();
        (doc, result, notes)
    }

    fn document(get: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {"/a": {"get": get}}})
    }

    #[test]
    fn a_document_that_types_is_left_as_it_is() {
        let doc = document(json!({"responses": {"200": {"description": "ok"}}}));
        let (after, result, notes) = typed(doc.clone());
        assert_eq!((after, result), (doc, Ok(())));
        assert!(notes.is_empty());
    }

    #[test]
    fn a_mistyped_keyword_is_cut_and_the_rest_of_its_position_kept() {
        let (after, result, notes) = typed(document(json!({
            "responses": {"200": {"description": "ok"}},
            "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "deprecated": "yes"}]
        })));
        assert_eq!(result, Ok(()));
        assert_eq!(
            after["paths"]["/a"]["get"]["parameters"][0],
            json!({"name": "q", "in": "query", "schema": {"type": "string"}})
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, "#/paths/~1a/get/parameters/0/deprecated");
        assert!(
            notes[0]
                .1
                .starts_with("`deprecated` ignored: it does not have the form OpenAPI gives it ("),
            "{notes:?}"
        );
    }

    #[test]
    fn a_position_with_nothing_to_keep_becomes_its_empty_form() {
        let (after, result, notes) = typed(document(json!({
            "responses": {"200": {"description": "ok"}},
            "requestBody": {"content": "none", "required": "yes"}
        })));
        assert_eq!(result, Ok(()));
        assert_eq!(
            after["paths"]["/a"]["get"]["requestBody"],
            json!({"content": {}})
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert_eq!(notes[0].0, "#/paths/~1a/get/requestBody");
        assert!(notes[0].1.starts_with("not understood ("), "{notes:?}");
    }

    #[test]
    fn top_level_entries_that_do_not_type_are_dropped_alone() {
        let mut doc = document(json!({"responses": {"200": {"description": "ok"}}}));
        doc["servers"] = json!("https://example.com");
        doc["info"]["license"] = json!(["MIT"]);
        doc["components"] = json!({"securitySchemes": {"bad": {"type": "carrier-pigeon"}, "good": {"type": "http", "scheme": "bearer"}}});
        let (after, result, notes) = typed(doc);
        assert_eq!(result, Ok(()));
        assert!(after.get("servers").is_none());
        assert!(after["info"].get("license").is_none());
        assert_eq!(
            after["components"]["securitySchemes"],
            json!({"good": {"type": "http", "scheme": "bearer"}})
        );
        let at: Vec<&str> = notes.iter().map(|(at, _)| at.as_str()).collect();
        assert_eq!(
            at,
            [
                "#/servers",
                "#/info/license",
                "#/components/securitySchemes/bad"
            ]
        );
    }
}
