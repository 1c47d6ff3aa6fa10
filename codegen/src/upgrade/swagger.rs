//! Swagger 2.0 → the 3.0 shape, on the JSON value, as the OpenAPI Initiative's conversion
//! rules describe: `host`/`basePath`/`schemes` become servers, `body` parameters a request
//! body in each media type `consumes` names, `formData` parameters a form body, response
//! `schema`s a body in each media type `produces` names, `definitions`, `parameters` and
//! `responses` components, `securityDefinitions` security schemes; grpc-gateway's streamed
//! results become JSON-lines streams. Everything after this reads the result as any 3.0
//! document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Notes;
use super::parameters::{DELIMITER, SCHEMA_FIELDS};
use crate::error::escape_token;
use crate::http::FIXED_METHODS;
use crate::ir::NoteKind;
use crate::walk::{Dialect, Position, Visit, walk_document};

/// Converts `raw` (a Swagger 2.0 document) in place.
pub(super) fn convert(raw: &mut Value, notes: &mut Notes) {
    let stream_names = stream_schema_names(raw);
    walk_document(
        raw,
        Dialect::Swagger2,
        &mut RewriteRefs {
            streams: &stream_names,
        },
    );
    let Value::Object(root) = raw else {
        return;
    };
    // grpc-gateway v1 keeps the schemas of streamed results apart; they are schemas like
    // any other (under the names `stream_names` gives them), and responses that name one
    // are streams.
    let stream_definitions: Map<String, Value> = match root.remove("x-stream-definitions") {
        Some(Value::Object(definitions)) => definitions
            .into_iter()
            .map(|(name, schema)| (stream_names.get(&name).cloned().unwrap_or(name), schema))
            .collect(),
        _ => Map::new(),
    };
    root.remove("swagger");
    root.insert("openapi".to_owned(), Value::from("3.0.3"));
    let consumes = media_list(root.remove("consumes"));
    let produces = media_list(root.remove("produces"));
    servers(root);
    // A bundled document may already carry components (schemas brought in from files).
    let mut components = match root.remove("components") {
        Some(Value::Object(components)) => components,
        _ => Map::new(),
    };
    let streams: BTreeSet<String> = stream_definitions.keys().cloned().collect();
    let definitions = match root.remove("definitions") {
        Some(Value::Object(definitions)) => definitions,
        _ => Map::new(),
    };
    if !definitions.is_empty() || !stream_definitions.is_empty() {
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(schemas) = schemas {
            for (name, schema) in definitions.into_iter().chain(stream_definitions) {
                schemas.entry(name).or_insert(schema);
            }
        }
    }
    // Shared `body` parameters become request bodies; the others stay parameters.
    let mut shared_bodies = Map::new();
    if let Some(Value::Object(parameters)) = root.remove("parameters") {
        let mut kept = Map::new();
        for (name, parameter) in parameters {
            if parameter.get("in").and_then(Value::as_str) == Some("body") {
                shared_bodies.insert(name, parameter);
            } else {
                kept.insert(name, parameter_schema(parameter));
            }
        }
        components.insert("parameters".to_owned(), Value::Object(kept));
    }
    if !shared_bodies.is_empty() {
        let bodies = shared_bodies
            .iter()
            .map(|(name, p)| (name.clone(), request_body(p, &consumes)))
            .collect();
        components.insert("requestBodies".to_owned(), Value::Object(bodies));
    }
    if let Some(Value::Object(responses)) = root.remove("responses") {
        let responses = responses
            .into_iter()
            .map(|(name, r)| (name, response(r, &produces)))
            .collect();
        components.insert("responses".to_owned(), Value::Object(responses));
    }
    if let Some(Value::Object(schemes)) = root.remove("securityDefinitions") {
        let schemes = schemes
            .into_iter()
            .map(|(name, s)| (name, security_scheme(s)))
            .collect();
        components.insert("securitySchemes".to_owned(), Value::Object(schemes));
    }
    root.insert("components".to_owned(), Value::Object(components));
    let Some(Value::Object(paths)) = root.get_mut("paths") else {
        return;
    };
    let mut document = Document {
        consumes,
        produces,
        shared_bodies,
        streams,
        notes,
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else {
            continue;
        };
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            for parameter in parameters.iter_mut() {
                *parameter = parameter_schema(std::mem::take(parameter));
            }
        }
        for method in FIXED_METHODS {
            let Some(Value::Object(operation)) = item.get_mut(method) else {
                continue;
            };
            let at = format!("#/paths/{}/{method}", escape_token(path));
            convert_operation(operation, &at, &mut document);
        }
    }
}

/// What converting an operation reads from the document's top level.
struct Document<'a> {
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Root `parameters` that are bodies (now `components/requestBodies`).
    shared_bodies: Map<String, Value>,
    /// The names of grpc-gateway v1's `x-stream-definitions` (now component schemas).
    streams: BTreeSet<String>,
    notes: &'a mut Notes,
}

/// The component name of each schema of grpc-gateway v1's `x-stream-definitions`: its own,
/// unless `definitions` has that name too (v1 names the wrapper after the message it
/// carries), then `<name>StreamResult`.
fn stream_schema_names(raw: &Value) -> BTreeMap<String, String> {
    let Some(Value::Object(streams)) = raw.get("x-stream-definitions") else {
        return BTreeMap::new();
    };
    let mut taken: BTreeSet<String> = ["/definitions", "/components/schemas"]
        .iter()
        .filter_map(|at| raw.pointer(at).and_then(Value::as_object))
        .flat_map(|schemas| schemas.keys().cloned())
        .collect();
    let mut names = BTreeMap::new();
    for name in streams.keys() {
        let chosen = (1..)
            .map(|n| match n {
                1 => name.clone(),
                2 => format!("{name}StreamResult"),
                n => format!("{name}StreamResult{n}"),
            })
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_else(|| name.clone());
        taken.insert(chosen.clone());
        names.insert(name.clone(), chosen);
    }
    names
}

/// `#/definitions/X` → `#/components/schemas/X`, and the same for parameters, responses and
/// grpc-gateway v1's stream schemas (renamed as `streams` says), in every `$ref` of the
/// document (the walk finds them where Swagger 2.0 puts them).
struct RewriteRefs<'s> {
    streams: &'s BTreeMap<String, String>,
}

impl Visit for RewriteRefs<'_> {
    fn enter(&mut self, _position: Position, value: &mut Value, _at: &str) -> bool {
        let Some(Value::String(target)) = value.get_mut("$ref") else {
            return true;
        };
        if let Some(name) = target.strip_prefix("#/x-stream-definitions/") {
            let name = self.streams.get(name).map_or(name, String::as_str);
            *target = format!("#/components/schemas/{name}");
        }
        for (old, new) in [
            ("#/definitions/", "#/components/schemas/"),
            ("#/parameters/", "#/components/parameters/"),
            ("#/responses/", "#/components/responses/"),
        ] {
            if let Some(rest) = target.strip_prefix(old) {
                *target = format!("{new}{rest}");
                break;
            }
        }
        true
    }
}

fn media_list(value: Option<Value>) -> Vec<String> {
    let list: Vec<String> = match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if list.is_empty() {
        vec!["application/json".to_owned()]
    } else {
        list
    }
}

/// `schemes://host/basePath`, one server per scheme (`https` when none is named); a
/// relative server (`/basePath`) without a host.
fn servers(root: &mut Map<String, Value>) {
    let host = root
        .remove("host")
        .and_then(|h| h.as_str().map(str::to_owned));
    let base = root
        .remove("basePath")
        .and_then(|b| b.as_str().map(str::to_owned))
        .unwrap_or_default();
    let base = base.trim_end_matches('/');
    let schemes: Vec<String> = match root.remove("schemes") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_ascii_lowercase)
            .collect(),
        _ => Vec::new(),
    };
    let urls: Vec<Value> = match &host {
        Some(host) => {
            // HTTPS first: the client refuses plain HTTP unless told otherwise.
            let mut schemes = if schemes.is_empty() {
                vec!["https".to_owned()]
            } else {
                schemes
            };
            schemes.sort_by_key(|s| s != "https");
            schemes
                .iter()
                .map(|scheme| json!({"url": format!("{scheme}://{host}{base}")}))
                .collect()
        }
        None if !base.is_empty() => vec![json!({"url": base})],
        None => Vec::new(),
    };
    if !urls.is_empty() {
        root.insert("servers".to_owned(), Value::Array(urls));
    }
}

/// A non-body parameter: its type and rules moved into a schema, `collectionFormat` as the
/// style that sends the same bytes.
fn parameter_schema(parameter: Value) -> Value {
    let Value::Object(mut map) = parameter else {
        return parameter;
    };
    if map.contains_key("$ref") || map.contains_key("schema") {
        return Value::Object(map);
    }
    let location = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if location == "formData" || location == "body" {
        return Value::Object(map);
    }
    let mut schema = Map::new();
    for field in SCHEMA_FIELDS {
        if let Some(value) = map.remove(field) {
            schema.insert(field.to_owned(), value);
        }
    }
    file_type(&mut schema);
    let format = map.remove("collectionFormat");
    let format = format.as_ref().and_then(Value::as_str).unwrap_or("csv");
    if schema.get("type").and_then(Value::as_str) == Some("array") {
        let in_query = matches!(location.as_str(), "query" | "cookie");
        let (style, explode) = match (location.as_str(), format) {
            ("query" | "cookie", "multi") => ("form", true),
            ("query", "ssv") => ("spaceDelimited", false),
            ("query", "pipes") => ("pipeDelimited", false),
            _ if in_query => ("form", false),
            _ => ("simple", false),
        };
        map.insert("style".to_owned(), Value::from(style));
        map.insert("explode".to_owned(), Value::Bool(explode));
        // No 3.x style joins by a tab, nor by a space or a pipe outside the query: the
        // delimiter rides on the parameter, and the runtime joins by it.
        let delimiter = match (style, format) {
            (_, "tsv") => Some("\t"),
            ("simple" | "form", "ssv") => Some(" "),
            ("simple" | "form", "pipes") => Some("|"),
            _ => None,
        };
        if let Some(delimiter) = delimiter {
            map.insert(DELIMITER.to_owned(), Value::from(delimiter));
        }
    }
    map.insert("schema".to_owned(), Value::Object(schema));
    Value::Object(map)
}

/// 2.0's `type: file` is a binary string.
fn file_type(schema: &mut Map<String, Value>) {
    if schema.get("type").and_then(Value::as_str) == Some("file") {
        schema.insert("type".to_owned(), Value::from("string"));
        schema.insert("format".to_owned(), Value::from("binary"));
    }
}

fn request_body(parameter: &Value, consumes: &[String]) -> Value {
    let schema = parameter
        .get("schema")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let content: Map<String, Value> = consumes
        .iter()
        .map(|media| (media.clone(), json!({"schema": schema})))
        .collect();
    let mut body = Map::new();
    body.insert("content".to_owned(), Value::Object(content));
    if parameter.get("required") == Some(&Value::Bool(true)) {
        body.insert("required".to_owned(), Value::Bool(true));
    }
    if let Some(description) = parameter.get("description") {
        body.insert("description".to_owned(), description.clone());
    }
    Value::Object(body)
}

fn response(response: Value, produces: &[String]) -> Value {
    let Value::Object(mut map) = response else {
        return response;
    };
    if map.contains_key("$ref") {
        return Value::Object(map);
    }
    let examples = map.remove("examples");
    if let Some(mut schema) = map.remove("schema") {
        if let Value::Object(schema) = &mut schema {
            file_type(schema);
        }
        let mut content: Map<String, Value> = produces
            .iter()
            .map(|media| (media.clone(), json!({"schema": schema})))
            .collect();
        // 2.0's examples are by media type: each goes to the content it shows.
        if let Some(Value::Object(examples)) = examples {
            for (media, example) in examples {
                if let Some(Value::Object(entry)) = content.get_mut(&media) {
                    entry.insert("example".to_owned(), example);
                }
            }
        }
        map.insert("content".to_owned(), Value::Object(content));
    }
    if let Some(Value::Object(headers)) = map.get_mut("headers") {
        for header in headers.values_mut() {
            let Value::Object(header) = header else {
                continue;
            };
            let mut schema = Map::new();
            for field in SCHEMA_FIELDS {
                if let Some(value) = header.remove(field) {
                    schema.insert(field.to_owned(), value);
                }
            }
            header.remove("collectionFormat");
            header.insert("schema".to_owned(), Value::Object(schema));
        }
    }
    map.entry("description").or_insert_with(|| Value::from(""));
    Value::Object(map)
}

fn security_scheme(scheme: Value) -> Value {
    let Value::Object(map) = scheme else {
        return scheme;
    };
    let field = |name: &str| map.get(name).cloned().unwrap_or(Value::from(""));
    let description = map.get("description").cloned();
    let mut converted = match map.get("type").and_then(Value::as_str) {
        Some("basic") => json!({"type": "http", "scheme": "basic"}),
        Some("apiKey") => json!({"type": "apiKey", "in": field("in"), "name": field("name")}),
        Some("oauth2") => {
            let scopes = map.get("scopes").cloned().unwrap_or_else(|| json!({}));
            let flow = match map.get("flow").and_then(Value::as_str) {
                Some("implicit") => {
                    json!({"implicit": {"authorizationUrl": field("authorizationUrl"), "scopes": scopes}})
                }
                Some("password") => {
                    json!({"password": {"tokenUrl": field("tokenUrl"), "scopes": scopes}})
                }
                Some("accessCode") => {
                    json!({"authorizationCode": {"authorizationUrl": field("authorizationUrl"), "tokenUrl": field("tokenUrl"), "scopes": scopes}})
                }
                // `application` is the client-credentials flow.
                _ => {
                    json!({"clientCredentials": {"tokenUrl": field("tokenUrl"), "scopes": scopes}})
                }
            };
            json!({"type": "oauth2", "flows": flow})
        }
        _ => Value::Object(map.clone()),
    };
    if let (Some(description), Value::Object(converted)) = (description, &mut converted) {
        converted.insert("description".to_owned(), description);
    }
    converted
}

fn convert_operation(operation: &mut Map<String, Value>, at: &str, document: &mut Document) {
    let consumes = match operation.remove("consumes") {
        Some(list) => media_list(Some(list)),
        None => document.consumes.clone(),
    };
    let produces = match operation.remove("produces") {
        Some(list) => media_list(Some(list)),
        None => document.produces.clone(),
    };
    match operation.remove("parameters") {
        Some(Value::Array(parameters)) => {
            convert_parameters(operation, parameters, &consumes, &document.shared_bodies)
        }
        // Not a list: left for the 3.x repairs, which leave it out with a note.
        Some(other) => {
            operation.insert("parameters".to_owned(), other);
        }
        None => {}
    }
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        for (status, response_value) in responses.iter_mut() {
            *response_value = response(std::mem::take(response_value), &produces);
            if grpc_stream(response_value, &document.streams) {
                document.notes.push(
                    NoteKind::Response,
                    &format!("{at}/responses/{}", escape_token(status)),
                    "grpc-gateway's streamed result: read as newline-delimited JSON, one `{\"result\"}` or `{\"error\"}` object a line".to_owned(),
                );
            }
        }
    }
}

/// grpc-gateway writes a server-streaming method's messages as newline-delimited JSON
/// objects, each `{"result": …}` or `{"error": …}`, and documents the response as one such
/// object: titled `Stream result of …` (v2), or a schema of `x-stream-definitions` (v1).
/// Such a response becomes a JSON-lines stream of those objects; `true` when it was one.
fn grpc_stream(response: &mut Value, streams: &BTreeSet<String>) -> bool {
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return false;
    };
    let Some(schema) = content.values().find_map(|media| media.get("schema")) else {
        return false;
    };
    let named_stream = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|target| crate::refs::name_in("schemas", target))
        .is_some_and(|name| streams.contains(&name));
    let titled_stream = schema
        .get("title")
        .and_then(Value::as_str)
        .is_some_and(|title| title.starts_with("Stream result of "))
        && schema.pointer("/properties/result").is_some();
    if !named_stream && !titled_stream {
        return false;
    }
    let schema = schema.clone();
    content.clear();
    content.insert(
        "application/x-ndjson".to_owned(),
        json!({ "schema": schema }),
    );
    true
}

/// An operation's `parameters`: `body` ones (and shared ones that were bodies) become its
/// request body, the others stay, with their fields moved into a schema.
fn convert_parameters(
    operation: &mut Map<String, Value>,
    parameters: Vec<Value>,
    consumes: &[String],
    shared_bodies: &Map<String, Value>,
) {
    let mut kept = Vec::with_capacity(parameters.len());
    for parameter in parameters {
        let shared_body = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| crate::refs::name_in("parameters", r))
            .filter(|name| shared_bodies.contains_key(name));
        if let Some(name) = shared_body {
            let body =
                json!({"$ref": format!("#/components/requestBodies/{}", escape_token(&name))});
            operation.insert("requestBody".to_owned(), body);
        } else if parameter.get("in").and_then(Value::as_str) == Some("body") {
            operation.insert("requestBody".to_owned(), request_body(&parameter, consumes));
        } else {
            kept.push(parameter_schema(parameter));
        }
    }
    operation.insert("parameters".to_owned(), Value::Array(kept));
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn converted(mut raw: Value) -> (Value, Vec<String>) {
        let mut notes = Notes::default();
        convert(&mut raw, &mut notes);
        let notes = notes
            .0
            .into_iter()
            .map(|d| format!("{} {}", d.pointer, d.message))
            .collect();
        (raw, notes)
    }

    #[test]
    fn host_base_path_and_schemes_become_servers_https_first() {
        let (raw, _) = converted(json!({
            "swagger": "2.0",
            "host": "api.example.com",
            "basePath": "/v1",
            "schemes": ["http", "https"],
            "paths": {}
        }));
        assert_eq!(raw["openapi"], json!("3.0.3"));
        assert_eq!(raw.get("swagger"), None);
        let urls: Vec<&str> = raw["servers"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["url"].as_str())
            .collect();
        assert_eq!(
            urls,
            ["https://api.example.com/v1", "http://api.example.com/v1"]
        );
    }

    #[test]
    fn a_body_parameter_becomes_a_request_body_in_each_consumed_type_and_refs_move() {
        let (raw, _) = converted(json!({
            "swagger": "2.0",
            "consumes": ["application/json", "application/xml"],
            "paths": {"/pets": {"post": {
                "parameters": [{"name": "pet", "in": "body", "required": true,
                                "schema": {"$ref": "#/definitions/Pet"}}],
                "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"}}}
            }}},
            "produces": ["application/json"],
            "definitions": {"Pet": {"type": "object"}}
        }));
        let post = &raw["paths"]["/pets"]["post"];
        // The body left the parameter list, which stays (empty).
        assert_eq!(post["parameters"], json!([]));
        let pet = json!({"schema": {"$ref": "#/components/schemas/Pet"}});
        assert_eq!(
            post["requestBody"],
            json!({"required": true, "content": {"application/json": pet, "application/xml": pet}})
        );
        assert_eq!(
            post["responses"]["200"]["content"],
            json!({"application/json": pet})
        );
        assert_eq!(
            raw["components"]["schemas"]["Pet"],
            json!({"type": "object"})
        );
        assert_eq!(raw.get("definitions"), None);
    }

    #[test]
    fn collection_formats_become_styles_or_a_delimiter_marker() {
        let (raw, _) = converted(json!({
            "swagger": "2.0",
            "paths": {"/a": {"get": {
                "parameters": [
                    {"name": "csv", "in": "query", "type": "array", "items": {"type": "string"}},
                    {"name": "pipes", "in": "query", "type": "array", "items": {"type": "string"},
                     "collectionFormat": "pipes"},
                    {"name": "multi", "in": "query", "type": "array", "items": {"type": "string"},
                     "collectionFormat": "multi"},
                    {"name": "tsv", "in": "query", "type": "array", "items": {"type": "string"},
                     "collectionFormat": "tsv"}
                ],
                "responses": {"204": {"description": "none"}}
            }}}
        }));
        let styles: Vec<(Value, Value, Value)> = raw["paths"]["/a"]["get"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                (
                    p["style"].clone(),
                    p["explode"].clone(),
                    p.get(DELIMITER).cloned().unwrap_or(Value::Null),
                )
            })
            .collect();
        assert_eq!(
            styles,
            [
                (json!("form"), json!(false), Value::Null),
                (json!("pipeDelimited"), json!(false), Value::Null),
                (json!("form"), json!(true), Value::Null),
                (json!("form"), json!(false), json!("\t")),
            ]
        );
    }
}
