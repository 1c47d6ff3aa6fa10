//! Resolution: after it, every reference in the document names an entry of
//! `#/components/<section>/` directly, which is all the typed model and lowering follow.
//! What a reference names is read by [`crate::refs`]; where references sit, by the
//! structural walk.
//!
//! - A JSON pointer to anywhere else (a subschema of another schema, a parameter inside
//!   `#/paths/…`, a `$defs` entry) is hoisted: the target is copied into the matching
//!   components section under a name taken from its pointer, and the reference rewritten.
//!   The same target always gets the same copy, so cycles through such pointers stay cycles.
//! - A path item `$ref` (to `#/components/pathItems/…` or anywhere) is replaced by the item.
//! - `$anchor`/`$dynamicAnchor` (`#name`) and `$id` references resolve to where they are
//!   declared.
//! - A reference that points nowhere, or to a URL (never fetched), is a `repair`: the
//!   position becomes the honest empty form (any JSON value for a schema; the parameter is
//!   left out), with a note that says where and what to do.
//!
//! Rounds repeat while something was inlined (an inlined item may hold references of its
//! own), at most [`MAX_ROUNDS`] times.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::Notes;
use crate::error::escape_token;
use crate::ir::NoteKind;
use crate::walk::{Position, Visit, walk};

/// Rounds of resolution; each can only be needed by a path item inlined in the one before.
const MAX_ROUNDS: usize = 8;

/// Keywords and structure words left out of a hoisted target's invented name.
const STRUCTURE_WORDS: [&str; 22] = [
    "components",
    "schemas",
    "properties",
    "items",
    "allOf",
    "oneOf",
    "anyOf",
    "$defs",
    "definitions",
    "additionalProperties",
    "content",
    "schema",
    "paths",
    "responses",
    "parameters",
    "requestBody",
    "requestBodies",
    "headers",
    "prefixItems",
    "not",
    "webhooks",
    "pathItems",
];

/// One `$ref` found in the document.
struct Found {
    position: Position,
    /// Pointer of the object that holds the `$ref`.
    at: String,
    target: String,
}

/// Collects references, anchors and `$id`s.
#[derive(Default)]
struct Collect {
    refs: Vec<Found>,
    /// `#name` → pointer of the schema that declares `$anchor: name`, and `$id` → pointer.
    anchors: BTreeMap<String, String>,
    ids: BTreeMap<String, String>,
}

impl Visit for Collect {
    fn enter(&mut self, position: Position, value: &mut Value, at: &str) -> bool {
        let Value::Object(map) = value else {
            return true;
        };
        if let Some(Value::String(target)) = map.get("$ref") {
            self.refs.push(Found {
                position,
                at: at.to_owned(),
                target: target.clone(),
            });
        }
        if position == Position::Schema {
            for key in ["$anchor", "$dynamicAnchor"] {
                if let Some(Value::String(name)) = map.get(key) {
                    self.anchors
                        .entry(format!("#{name}"))
                        .or_insert_with(|| at.to_owned());
                }
            }
            if let Some(Value::String(id)) = map.get("$id") {
                self.ids.entry(id.clone()).or_insert_with(|| at.to_owned());
            }
        }
        true
    }
}

/// The components section a position's references name.
fn section(position: Position) -> Option<&'static str> {
    Some(match position {
        Position::Schema => "schemas",
        Position::Parameter => "parameters",
        Position::Response => "responses",
        Position::RequestBody => "requestBodies",
        Position::Header => "headers",
        Position::PathItem | Position::Operation | Position::Media => return None,
    })
}

/// Resolves every reference of `doc` (see the module's documentation).
pub(crate) fn resolve(doc: &mut Value, notes: &mut Notes) {
    // Target pointer → the name its copy was given, per section.
    let mut hoisted: BTreeMap<(&'static str, String), String> = BTreeMap::new();
    // OpenAPI 3.2's `$self`: the document's own URI, so `<$self>#/…` is a local reference.
    let own_uri = doc.get("$self").and_then(Value::as_str).map(str::to_owned);
    for round in 0..MAX_ROUNDS {
        let mut collect = Collect::default();
        walk(doc, &mut collect);
        let mut inlined = false;
        let mut dropped_parameters = false;
        for found in collect.refs {
            let target = match &own_uri {
                Some(own) => found
                    .target
                    .strip_prefix(own.as_str())
                    .filter(|rest| rest.starts_with('#'))
                    .unwrap_or(&found.target),
                None => found.target.as_str(),
            };
            let pointer = if let Some(pointer) = collect.anchors.get(target) {
                Some(pointer.clone())
            } else if let Some(pointer) = collect.ids.get(target) {
                Some(pointer.clone())
            } else if let crate::refs::Target::Local(_) = crate::refs::Target::of(target) {
                Some(target.to_owned())
            } else {
                None
            };
            let Some(pointer) = pointer else {
                let message = external_note(target);
                dropped_parameters |= found.position == Position::Parameter;
                replace(doc, &found, empty_form(found.position, &message));
                notes.push(NoteKind::Repair, &format!("{}/$ref", found.at), message);
                continue;
            };
            let Some(value) = crate::refs::local(doc, &pointer).cloned() else {
                let message = format!(
                    "`$ref: {target}` points to nothing in this document; {}",
                    what_instead(found.position)
                );
                dropped_parameters |= found.position == Position::Parameter;
                replace(doc, &found, empty_form(found.position, &message));
                notes.push(NoteKind::Repair, &format!("{}/$ref", found.at), message);
                continue;
            };
            let Some(section) = section(found.position) else {
                // Path items (and anything without a components section) are inlined.
                if round + 1 == MAX_ROUNDS {
                    notes.push(
                        NoteKind::Repair,
                        &format!("{}/$ref", found.at),
                        format!("`$ref: {target}` is part of a cycle of path items; left out"),
                    );
                    replace(doc, &found, json!({}));
                    continue;
                }
                replace(doc, &found, value);
                inlined = true;
                continue;
            };
            let prefix = format!("#/components/{section}/");
            if pointer
                .strip_prefix(&prefix)
                .is_some_and(|name| !name.contains('/'))
            {
                if pointer != found.target {
                    set_ref(doc, &found.at, pointer);
                }
                continue;
            }
            let key = (section, pointer.clone());
            let name = match hoisted.get(&key) {
                Some(name) => name.clone(),
                None => {
                    let name = hoist(doc, section, &pointer, value);
                    hoisted.insert(key, name.clone());
                    // The copy may hold references of its own to resolve.
                    inlined = true;
                    name
                }
            };
            set_ref(doc, &found.at, format!("{prefix}{}", escape_token(&name)));
        }
        if dropped_parameters {
            walk(doc, &mut DropMarkedParameters);
        }
        if !inlined {
            break;
        }
    }
}

/// Copies `value` into `#/components/{section}/` under a name from its pointer; returns the
/// name.
fn hoist(doc: &mut Value, section: &str, pointer: &str, value: Value) -> String {
    let base: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|t| !t.is_empty())
        .map(crate::refs::unescape)
        .filter(|t| !STRUCTURE_WORDS.contains(&t.as_str()) && t.parse::<usize>().is_err())
        .map(|t| {
            // Names are Rust identifiers in the end, and `/` would read as a pointer here.
            t.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
                .trim_matches('_')
                .to_owned()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let base = if base.is_empty() {
        "Inline".to_owned()
    } else {
        base.join("_")
    };
    let Value::Object(root) = doc else {
        return base;
    };
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let Value::Object(components) = components else {
        return base;
    };
    let entries = components
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    if !entries.is_object() {
        *entries = Value::Object(Map::new());
    }
    let Value::Object(entries) = entries else {
        return base;
    };
    let mut name = base.clone();
    let mut n = 2;
    while entries.contains_key(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    entries.insert(name.clone(), value);
    name
}

fn set_ref(doc: &mut Value, at: &str, target: String) {
    if let Some(Value::Object(map)) = doc.pointer_mut(&at[1..]) {
        map.insert("$ref".to_owned(), Value::String(target));
    }
}

fn replace(doc: &mut Value, found: &Found, value: Value) {
    if let Some(slot) = doc.pointer_mut(&found.at[1..]) {
        // A schema keeps its own description beside the reference.
        let description = slot.get("description").cloned();
        *slot = value;
        if let (Some(description), Value::Object(map)) = (description, slot) {
            map.entry("description").or_insert(description);
        }
    }
}

/// What a position becomes when its reference cannot be followed. A parameter becomes
/// `null`, which [`DropMarkedParameters`] removes from its list.
fn empty_form(position: Position, message: &str) -> Value {
    match position {
        Position::Schema | Position::Media | Position::Operation | Position::PathItem => json!({}),
        Position::Parameter | Position::RequestBody => Value::Null,
        Position::Response => json!({"description": message}),
        Position::Header => json!({"schema": {}}),
    }
}

fn what_instead(position: Position) -> &'static str {
    match position {
        Position::Schema => "typed as any JSON value",
        Position::Parameter => "the parameter is left out",
        Position::RequestBody => "the operation is generated without a request body",
        Position::Response => "the response is read without a body",
        Position::Header => "the header is read as any JSON value",
        Position::PathItem | Position::Operation | Position::Media => "left out",
    }
}

/// The note for a reference outside the document: never fetched, with what to save where
/// to have it typed.
fn external_note(target: &str) -> String {
    let (file, fragment) = target.split_once('#').unwrap_or((target, ""));
    let base = file
        .rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or("schema.json");
    let local = if fragment.is_empty() {
        base.to_owned()
    } else {
        format!("{base}#{fragment}")
    };
    if file.contains("://") {
        format!(
            "`$ref: {target}` is not fetched (the generator reads no network); typed as any JSON value. Save `{file}` beside the specification as `{base}` and write `$ref: {local}` to have it typed"
        )
    } else {
        format!(
            "`$ref: {target}` names a file that was not found beside the specification; typed as any JSON value"
        )
    }
}

/// Removes parameters whose reference could not be followed (left as `null`).
struct DropMarkedParameters;

impl Visit for DropMarkedParameters {
    fn enter(&mut self, position: Position, value: &mut Value, _at: &str) -> bool {
        if matches!(position, Position::PathItem | Position::Operation)
            && let Some(Value::Array(parameters)) = value.get_mut("parameters")
        {
            parameters.retain(|p| !p.is_null());
        }
        true
    }
}

/// Discriminator mappings may name a schema by its bare name (`Dog` for
/// `#/components/schemas/Dog`), as the specification allows: written out in full here.
/// An entry that names nothing is dropped with a note.
pub(crate) struct Mappings<'n> {
    pub schemas: std::collections::BTreeSet<String>,
    pub notes: &'n mut Notes,
}

impl Visit for Mappings<'_> {
    fn enter(&mut self, position: Position, value: &mut Value, at: &str) -> bool {
        if position != Position::Schema {
            return true;
        }
        let Some(Value::Object(mapping)) = value
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        else {
            return true;
        };
        let mut dropped = Vec::new();
        for (tag, target) in mapping.iter_mut() {
            let Value::String(name) = target else {
                dropped.push(tag.clone());
                continue;
            };
            if name.starts_with('#') {
                let direct = crate::refs::component_name(name)
                    .is_some_and(|(section, n)| section == "schemas" && self.schemas.contains(&n));
                if !direct {
                    dropped.push(tag.clone());
                }
            } else if self.schemas.contains(name.as_str()) {
                *name = format!("#/components/schemas/{}", escape_token(name));
            } else {
                dropped.push(tag.clone());
            }
        }
        for tag in dropped {
            let target = mapping.remove(&tag).unwrap_or(Value::Null);
            self.notes.push(
                NoteKind::Repair,
                &format!("{at}/discriminator/mapping/{}", escape_token(&tag)),
                format!("the mapping of `{tag}` to {target} names no component schema; the tag is read from the variants instead"),
            );
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(mut doc: Value) -> (Value, Vec<(String, String)>) {
        let mut notes = Notes::default();
        resolve(&mut doc, &mut notes);
        let notes = notes
            .0
            .into_iter()
            .map(|n| (n.pointer, n.message))
            .collect();
        (doc, notes)
    }

    #[test]
    fn anchors_ids_and_pointers_into_schemas_resolve_to_components() {
        let (doc, notes) = resolved(json!({
            "paths": {},
            "components": {"schemas": {
                "A": {"$defs": {"inner": {"$anchor": "inner", "type": "string"}},
                      "properties": {"self": {"$ref": "#/components/schemas/A/properties/self"},
                                     "byAnchor": {"$ref": "#inner"},
                                     "byId": {"$ref": "https://example.com/b"}}},
                "B": {"$id": "https://example.com/b", "type": "integer"}
            }}
        }));
        assert!(notes.is_empty(), "{notes:?}");
        let props = &doc["components"]["schemas"]["A"]["properties"];
        // A pointer into a schema is hoisted, and its own reference to itself stays a cycle.
        assert_eq!(
            props["self"],
            json!({"$ref": "#/components/schemas/A_self"})
        );
        assert_eq!(
            doc["components"]["schemas"]["A_self"],
            json!({"$ref": "#/components/schemas/A_self"})
        );
        assert_eq!(
            props["byAnchor"],
            json!({"$ref": "#/components/schemas/A_inner"})
        );
        assert_eq!(props["byId"], json!({"$ref": "#/components/schemas/B"}));
    }

    #[test]
    fn a_reference_through_the_documents_own_uri_is_local() {
        let (doc, notes) = resolved(json!({
            "$self": "https://example.com/api/openapi.yaml",
            "paths": {},
            "components": {"schemas": {
                "A": {"properties": {"b": {"$ref": "https://example.com/api/openapi.yaml#/components/schemas/B"}}},
                "B": {"type": "string"}
            }}
        }));
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/B"})
        );
    }

    #[test]
    fn path_items_are_inlined_and_a_cycle_of_them_ends_with_a_note() {
        let (doc, notes) = resolved(json!({
            "paths": {
                "/a": {"$ref": "#/components/pathItems/Shared"},
                "/loop": {"$ref": "#/paths/~1loop"}
            },
            "components": {"pathItems": {"Shared": {"get": {"responses": {}}}}}
        }));
        assert_eq!(doc["paths"]["/a"], json!({"get": {"responses": {}}}));
        assert_eq!(doc["paths"]["/loop"], json!({}));
        assert_eq!(
            notes,
            [(
                "#/paths/~1loop/$ref".to_owned(),
                "`$ref: #/paths/~1loop` is part of a cycle of path items; left out".to_owned()
            )]
        );
    }

    #[test]
    fn a_dangling_parameter_is_left_out_and_a_dangling_response_has_no_body() {
        let (doc, notes) = resolved(json!({
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": "#/components/parameters/Gone"}, {"name": "kept", "in": "query"}],
                "responses": {"200": {"$ref": "#/components/responses/Gone"}}
            }}}
        }));
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(get["parameters"], json!([{"name": "kept", "in": "query"}]));
        assert_eq!(
            get["responses"]["200"]["description"],
            json!(
                "`$ref: #/components/responses/Gone` points to nothing in this document; the response is read without a body"
            )
        );
        assert_eq!(notes.len(), 2);
    }
}
