//! The one structural walk over a document's JSON form: it knows what each position holds
//! (a schema, a parameter, a response, …) from where it sits, so passes never guess from key
//! names, and never look inside examples or `x-` extensions, which are data.
//!
//! The walk does not follow `$ref`s: a position holding one is visited as it is. Depth is
//! bounded ([`MAX_DEPTH`]), so no document can exhaust the stack.

use serde_json::Value;

use crate::error::escape_token;
use crate::http::FIXED_METHODS;

/// Nesting levels walked below the root. The parsers stop at 128 levels of JSON or YAML, so
/// this is never reached by a parsed document; it bounds the walk on its own all the same.
pub(crate) const MAX_DEPTH: usize = 256;

/// What a position in the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Position {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    PathItem,
    Operation,
    Media,
}

/// Keys of a schema whose value is a map of names to schemas.
const SCHEMA_MAPS: [&str; 5] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];

/// Keys of a schema whose value is one schema.
const SCHEMA_SINGLES: [&str; 12] = [
    "additionalProperties",
    "contentSchema",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
];

/// Keys of a schema whose value is a list of schemas.
const SCHEMA_LISTS: [&str; 4] = ["allOf", "oneOf", "anyOf", "prefixItems"];

/// What a pass does at each position.
pub(crate) trait Visit {
    /// Called before the position's children are walked; it may rewrite `value`, and the
    /// walk then descends into what `value` holds afterwards. Returns whether to descend.
    fn enter(&mut self, _position: Position, _value: &mut Value, _at: &str) -> bool {
        true
    }

    /// Called after the position's children were walked.
    fn leave(&mut self, _position: Position, _value: &mut Value, _at: &str) {}
}

/// Walks every position of the document `root`.
pub(crate) fn walk(root: &mut Value, visit: &mut impl Visit) {
    let mut walker = Walker {
        at: String::from("#"),
        depth: 0,
        visit,
    };
    let Value::Object(map) = root else {
        return;
    };
    for section in ["paths", "webhooks"] {
        if let Some(Value::Object(items)) = map.get_mut(section) {
            walker.entries(section, items, Position::PathItem);
        }
    }
    if let Some(Value::Object(components)) = map.get_mut("components") {
        walker.push("components");
        for (section, position) in [
            ("schemas", Position::Schema),
            ("parameters", Position::Parameter),
            ("responses", Position::Response),
            ("requestBodies", Position::RequestBody),
            ("headers", Position::Header),
            ("pathItems", Position::PathItem),
        ] {
            if let Some(Value::Object(items)) = components.get_mut(section) {
                walker.entries(section, items, position);
            }
        }
        if let Some(Value::Object(callbacks)) = components.get_mut("callbacks") {
            walker.push("callbacks");
            for (name, callback) in callbacks.iter_mut() {
                if let Value::Object(items) = callback {
                    walker.entries(name, items, Position::PathItem);
                }
            }
            walker.pop();
        }
        walker.pop();
    }
}

struct Walker<'v, V> {
    at: String,
    depth: usize,
    visit: &'v mut V,
}

impl<V: Visit> Walker<'_, V> {
    fn push(&mut self, token: &str) {
        self.at.push('/');
        self.at.push_str(&escape_token(token));
    }

    fn pop(&mut self) {
        if let Some(cut) = self.at.rfind('/') {
            self.at.truncate(cut);
        }
    }

    /// Each value of the map under `key` as a `position`.
    fn entries(
        &mut self,
        key: &str,
        items: &mut serde_json::Map<String, Value>,
        position: Position,
    ) {
        self.push(key);
        for (name, item) in items.iter_mut() {
            self.push(name);
            self.position(position, item);
            self.pop();
        }
        self.pop();
    }

    /// Each item of the list under `key` as a `position`.
    fn list(&mut self, key: &str, items: &mut [Value], position: Position) {
        self.push(key);
        for (i, item) in items.iter_mut().enumerate() {
            self.push(&i.to_string());
            self.position(position, item);
            self.pop();
        }
        self.pop();
    }

    fn child(&mut self, map: &mut serde_json::Map<String, Value>, key: &str, position: Position) {
        if let Some(value) = map.get_mut(key) {
            self.push(key);
            self.position(position, value);
            self.pop();
        }
    }

    fn child_entries(
        &mut self,
        map: &mut serde_json::Map<String, Value>,
        key: &str,
        position: Position,
    ) {
        if let Some(Value::Object(items)) = map.get_mut(key) {
            self.entries(key, items, position);
        }
    }

    fn position(&mut self, position: Position, value: &mut Value) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        let at = self.at.clone();
        if !self.visit.enter(position, value, &at) {
            return;
        }
        self.depth += 1;
        if let Value::Object(map) = value
            && !map.contains_key("$ref")
        {
            self.children(position, map);
        }
        self.depth -= 1;
        self.visit.leave(position, value, &at);
    }

    fn children(&mut self, position: Position, map: &mut serde_json::Map<String, Value>) {
        match position {
            Position::Schema => self.schema_children(map),
            Position::Parameter | Position::Header => {
                self.child(map, "schema", Position::Schema);
                self.child_entries(map, "content", Position::Media);
            }
            Position::RequestBody => self.child_entries(map, "content", Position::Media),
            Position::Response => {
                self.child_entries(map, "headers", Position::Header);
                self.child_entries(map, "content", Position::Media);
            }
            Position::Media => {
                self.child(map, "schema", Position::Schema);
                self.child(map, "itemSchema", Position::Schema);
                if let Some(Value::Object(encodings)) = map.get_mut("encoding") {
                    self.push("encoding");
                    for (name, encoding) in encodings.iter_mut() {
                        self.push(name);
                        if let Value::Object(encoding) = encoding {
                            self.child_entries(encoding, "headers", Position::Header);
                        }
                        self.pop();
                    }
                    self.pop();
                }
            }
            Position::PathItem => {
                if let Some(Value::Array(items)) = map.get_mut("parameters") {
                    self.list("parameters", items, Position::Parameter);
                }
                for method in FIXED_METHODS {
                    self.child(map, method, Position::Operation);
                }
                self.child_entries(map, "additionalOperations", Position::Operation);
            }
            Position::Operation => {
                if let Some(Value::Array(items)) = map.get_mut("parameters") {
                    self.list("parameters", items, Position::Parameter);
                }
                self.child(map, "requestBody", Position::RequestBody);
                self.child_entries(map, "responses", Position::Response);
                if let Some(Value::Object(callbacks)) = map.get_mut("callbacks") {
                    self.push("callbacks");
                    for (name, callback) in callbacks.iter_mut() {
                        if let Value::Object(items) = callback {
                            self.entries(name, items, Position::PathItem);
                        }
                    }
                    self.pop();
                }
            }
        }
    }

    fn schema_children(&mut self, map: &mut serde_json::Map<String, Value>) {
        for key in SCHEMA_MAPS {
            self.child_entries(map, key, Position::Schema);
        }
        for key in SCHEMA_SINGLES {
            match map.get_mut(key) {
                // `additionalProperties: true` and `items: false` are flags here, not schemas.
                Some(Value::Bool(_)) | None => {}
                // Draft-4 tuples: `items` as a list.
                Some(Value::Array(items)) => self.list(key, items, Position::Schema),
                Some(_) => self.child(map, key, Position::Schema),
            }
        }
        for key in SCHEMA_LISTS {
            if let Some(Value::Array(items)) = map.get_mut(key) {
                self.list(key, items, Position::Schema);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Record(Vec<(Position, String)>);

    impl Visit for Record {
        fn enter(&mut self, position: Position, _value: &mut Value, at: &str) -> bool {
            self.0.push((position, at.to_owned()));
            true
        }
    }

    #[test]
    fn positions_are_known_from_where_they_sit_and_data_is_never_walked() {
        let mut doc = serde_json::json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "schema": {"type": "string"}}],
                "get": {"responses": {"200": {
                    "description": "",
                    "content": {"application/json": {
                        "schema": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/X"}}},
                        "example": {"$ref": "data, not a reference"}
                    }}
                }}},
                "x-vendor": {"schema": {"type": "string"}}
            }},
            "components": {"schemas": {"X": {"type": ["string", "null"], "items": false}}}
        });
        let mut record = Record(Vec::new());
        walk(&mut doc, &mut record);
        let seen: Vec<(Position, &str)> =
            record.0.iter().map(|(p, at)| (*p, at.as_str())).collect();
        assert_eq!(
            seen,
            [
                (Position::PathItem, "#/paths/~1a~1{id}"),
                (Position::Parameter, "#/paths/~1a~1{id}/parameters/0"),
                (Position::Schema, "#/paths/~1a~1{id}/parameters/0/schema"),
                (Position::Operation, "#/paths/~1a~1{id}/get"),
                (Position::Response, "#/paths/~1a~1{id}/get/responses/200"),
                (
                    Position::Media,
                    "#/paths/~1a~1{id}/get/responses/200/content/application~1json"
                ),
                (
                    Position::Schema,
                    "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema"
                ),
                (
                    Position::Schema,
                    "#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/properties/x"
                ),
                (Position::Schema, "#/components/schemas/X"),
            ]
        );
    }
}
