//! The document's objects (not its schemas): what 3.1 and 3.2 add, and the mistakes real
//! documents carry, repaired as a careful reader would, each with a located note.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::parameters::{
    declared_path_name, drop_unused_path_parameters, form_data, parameter_list, parameter_repaired,
};
use super::{Notes, Version};
use crate::error::escape_token;
use crate::http::{FIXED_METHODS, is_token};
use crate::ir::NoteKind;

/// Document-level repairs: `info`, `paths`, `servers`, `tags`, security schemes.
pub(super) fn document(raw: &mut Value, version: Version, notes: &mut Notes) {
    let Value::Object(root) = raw else {
        return;
    };
    let info = root
        .entry("info")
        .or_insert_with(|| Value::Object(Map::new()));
    if !info.is_object() {
        *info = Value::Object(Map::new());
    }
    if let Value::Object(info) = info {
        for field in ["title", "version"] {
            if !info.get(field).is_some_and(Value::is_string) {
                let found = info.remove(field);
                let text = match &found {
                    Some(Value::Number(n)) => n.to_string(),
                    _ => {
                        notes.push(
                            NoteKind::Repair,
                            &format!("#/info/{field}"),
                            format!("`info` has no `{field}`; read as empty"),
                        );
                        String::new()
                    }
                };
                info.insert(field.to_owned(), Value::String(text));
            }
        }
        if let Some(Value::Object(license)) = info.get_mut("license")
            && !license.contains_key("name")
        {
            let name = license
                .get("identifier")
                .cloned()
                .unwrap_or_else(|| Value::from(""));
            license.insert("name".to_owned(), name);
        }
    }
    if !root.get("paths").is_some_and(Value::is_object) {
        // 3.1 makes `paths` optional (a document may describe only webhooks or components).
        if version < Version::V3_1 {
            notes.push(
                NoteKind::Repair,
                "#/paths",
                "the document has no `paths`; read as none".to_owned(),
            );
        }
        root.insert("paths".to_owned(), Value::Object(Map::new()));
    }
    if let Some(Value::Array(servers)) = root.get_mut("servers") {
        let before = servers.len();
        servers.retain(|s| s.get("url").is_some_and(Value::is_string));
        if servers.len() != before {
            notes.push(
                NoteKind::Repair,
                "#/servers",
                "servers without a `url` are left out".to_owned(),
            );
        }
    }
    if let Some(Value::Array(tags)) = root.get_mut("tags") {
        tags.retain(|t| t.get("name").is_some_and(Value::is_string));
        // 3.2's tag hierarchy: the SDK keeps one module per tag, and says where it belongs.
        for tag in tags.iter_mut() {
            if let Some(Value::String(parent)) = tag.get("parent").cloned()
                && let Value::Object(tag) = tag
            {
                let text = tag.get("description").and_then(Value::as_str).unwrap_or("");
                let joined = format!("{text}\n\nPart of `{parent}`.")
                    .trim_start()
                    .to_owned();
                tag.insert("description".to_owned(), Value::String(joined));
            }
        }
    }
    if let Some(Value::Object(schemes)) = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
    {
        for (name, scheme) in schemes {
            let at = format!("#/components/securitySchemes/{}", escape_token(name));
            if scheme.pointer("/flows/deviceAuthorization").is_some() {
                notes.push(
                    NoteKind::Security,
                    &format!("{at}/flows/deviceAuthorization"),
                    "the OAuth2 device authorization flow (OpenAPI 3.2) needs a person at a browser; the client does not run it: obtain a token with it and pass it with `.bearer_token(token)`".to_owned(),
                );
            }
            if scheme.get("oauth2MetadataUrl").is_some() {
                notes.push(
                    NoteKind::Security,
                    &format!("{at}/oauth2MetadataUrl"),
                    "the authorization server's metadata is not fetched (the generator reads no network); the URLs of the scheme's flows are used".to_owned(),
                );
            }
        }
    }
    if let Some(Value::Object(schemes)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        schemes.retain(|name, scheme| {
            let mutual = scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
            if mutual {
                notes.push(
                    NoteKind::Security,
                    &format!("#/components/securitySchemes/{}", escape_token(name)),
                    "the `mutualTLS` scheme is satisfied by the client's TLS handshake, not by a header: give the client its certificate with `ClientBuilder::client_identity` (and `root_certificate` for a private CA)".to_owned(),
                );
            }
            !mutual
        });
    }
}

/// Operation-level repairs, over every path item of `#/paths`.
pub(super) fn operations(raw: &mut Value, version: Version, notes: &mut Notes) {
    if let Some(Value::Object(parameters)) = raw
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
    {
        for (name, parameter) in parameters.iter_mut() {
            let at = format!("#/components/parameters/{}", escape_token(name));
            if !parameter_repaired(parameter, &at, notes) {
                *parameter = json!({"name": name, "in": "query", "schema": {}});
            }
        }
    }
    let shared: BTreeMap<String, (String, String)> = raw
        .pointer("/components/parameters")
        .and_then(Value::as_object)
        .map(|parameters| {
            parameters
                .iter()
                .map(|(key, p)| {
                    let field = |f: &str| p.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
                    (key.clone(), (field("name"), field("in")))
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return;
    };
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for (path, item) in paths.iter_mut() {
        let item_at = format!("#/paths/{}", escape_token(path));
        let Value::Object(item) = item else {
            notes.push(
                NoteKind::Repair,
                &item_at,
                "a path item that is not a mapping; left out".to_owned(),
            );
            *item = json!({});
            continue;
        };
        let template = template_names(path);
        let shared_params = parameter_list(
            item.get_mut("parameters"),
            &format!("{item_at}/parameters"),
            notes,
        );
        let context = PathContext {
            path,
            template: &template,
            shared_params: &shared_params,
            shared: &shared,
            version,
        };
        for method in FIXED_METHODS {
            let op_at = format!("{item_at}/{method}");
            match item.get_mut(method) {
                None => {}
                Some(Value::Object(operation)) => {
                    context.repair(operation, method, &op_at, &mut ids, notes);
                }
                Some(_) => {
                    notes.push(
                        NoteKind::Repair,
                        &op_at,
                        "an operation that is not a mapping; left out".to_owned(),
                    );
                    item.remove(method);
                }
            }
        }
        if let Some(Value::Object(additional)) = item.get_mut("additionalOperations") {
            additional.retain(|method, operation| {
                let op_at = format!("{item_at}/additionalOperations/{}", escape_token(method));
                let Value::Object(operation) = operation else {
                    notes.push(
                        NoteKind::Repair,
                        &op_at,
                        "an operation that is not a mapping; left out".to_owned(),
                    );
                    return false;
                };
                context.repair(operation, method, &op_at, &mut ids, notes);
                true
            });
        }
        if let Some(Value::Array(list)) = item.get_mut("parameters") {
            drop_unused_path_parameters(
                list,
                &template,
                &shared,
                &format!("{item_at}/parameters"),
                notes,
            );
        }
    }
}

/// Names in a path template (`/a/{id}/b/{name}` → `id`, `name`).
fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    names
}

/// Repairs of the operation object itself.
fn operation_repaired(
    operation: &mut Map<String, Value>,
    at: &str,
    version: Version,
    notes: &mut Notes,
) {
    if !operation.get("responses").is_some_and(Value::is_object) {
        if version < Version::V3_1 {
            notes.push(
                NoteKind::Repair,
                at,
                "the operation documents no `responses`".to_owned(),
            );
        }
        operation.insert("responses".to_owned(), Value::Object(Map::new()));
    }
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        for (status, response) in responses.iter_mut() {
            if let Value::Object(response) = response
                && !response.contains_key("$ref")
                && !response.get("description").is_some_and(Value::is_string)
            {
                // 3.2 makes the description optional.
                if version < Version::V3_2 {
                    notes.push(
                        NoteKind::Repair,
                        &format!("{at}/responses/{}", escape_token(status)),
                        "a response without a `description`".to_owned(),
                    );
                }
                response.insert("description".to_owned(), Value::from(""));
            }
        }
    }
    if let Some(Value::Object(body)) = operation.get_mut("requestBody")
        && body.get("required").is_some_and(|r| !r.is_boolean())
    {
        body.remove("required");
        notes.push(
            NoteKind::Repair,
            &format!("{at}/requestBody/required"),
            "`required` of a request body is a yes or no; a list (a schema's form) is ignored"
                .to_owned(),
        );
    }
}

/// Gives an operation an `operationId` no other operation has.
fn distinct_id(
    operation: &mut Map<String, Value>,
    method: &str,
    path: &str,
    at: &str,
    ids: &mut BTreeSet<String>,
    notes: &mut Notes,
) {
    let Some(id) = operation.get("operationId") else {
        return;
    };
    let Some(id) = id.as_str().map(str::to_owned) else {
        operation.remove("operationId");
        return;
    };
    if ids.insert(id.clone()) {
        return;
    }
    let mut candidate = format!("{id}_{method}");
    let mut n = 2;
    while ids.contains(&candidate) {
        candidate = format!("{id}_{method}{n}");
        n += 1;
    }
    notes.push(
        NoteKind::Repair,
        &format!("{at}/operationId"),
        format!("`operationId: {id}` is also used by another operation; `{method} {path}` is named `{candidate}`"),
    );
    ids.insert(candidate.clone());
    operation.insert("operationId".to_owned(), Value::String(candidate));
}

/// What the operations of one path item share.
struct PathContext<'c> {
    path: &'c str,
    template: &'c [String],
    shared_params: &'c [Value],
    shared: &'c BTreeMap<String, (String, String)>,
    version: Version,
}

impl PathContext<'_> {
    /// Repairs one operation (`method` as its key is written) of the path item.
    fn repair(
        &self,
        operation: &mut Map<String, Value>,
        method: &str,
        op_at: &str,
        ids: &mut BTreeSet<String>,
        notes: &mut Notes,
    ) {
        operation_repaired(operation, op_at, self.version, notes);
        distinct_id(operation, method, self.path, op_at, ids, notes);
        let own = parameter_list(
            operation.get_mut("parameters"),
            &format!("{op_at}/parameters"),
            notes,
        );
        // Valid in a Swagger 2.0 document; a mistake in a 3.x one.
        let kind = if self.version == Version::V2_0 {
            NoteKind::Body
        } else {
            NoteKind::Repair
        };
        form_data(operation, op_at, kind, notes);
        let declared: BTreeSet<String> = self
            .shared_params
            .iter()
            .chain(&own)
            .filter_map(|p| declared_path_name(p, self.shared))
            .collect();
        // Undeclared template parameters are strings, as a URL's segments are.
        for name in self.template.iter().filter(|n| !declared.contains(*n)) {
            notes.push(
                NoteKind::Repair,
                op_at,
                format!(
                    "the path names `{{{name}}}`, which no parameter declares; sent as a string"
                ),
            );
            let list = operation
                .entry("parameters")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
            }
        }
        if let Some(Value::Array(list)) = operation.get_mut("parameters") {
            drop_unused_path_parameters(
                list,
                self.template,
                self.shared,
                &format!("{op_at}/parameters"),
                notes,
            );
        }
    }
}

/// Leaves out, each with a note, the entries of `additionalOperations` that cannot be
/// methods of their path item besides its fixed ones: a name that is not an HTTP token, a
/// fixed method's, or one a previous entry (or `query`) already has in another case.
pub(super) fn additional_operations(raw: &mut Value, notes: &mut Notes) {
    let Some(Value::Object(paths)) = raw.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else {
            continue;
        };
        let item_at = format!("#/paths/{}", escape_token(path));
        let mut methods: BTreeSet<String> = BTreeSet::new();
        if item.contains_key("query") {
            methods.insert("QUERY".to_owned());
        }
        let Some(Value::Object(additional)) = item.get_mut("additionalOperations") else {
            continue;
        };
        additional.retain(|method, _| {
            let kept = is_token(method)
                && !FIXED_METHODS.contains(&method.to_ascii_lowercase().as_str())
                && methods.insert(method.to_ascii_uppercase());
            if !kept {
                notes.push(
                    NoteKind::Repair,
                    &format!("{item_at}/additionalOperations/{}", escape_token(method)),
                    format!("`{method}` is not an HTTP method this path item can have besides its fixed ones; left out"),
                );
            }
            kept
        });
    }
}

/// The operation of `method` (upper-case, as the IR names it) in the path item `item`: its
/// fixed field's, or one of [`extension_operations`].
pub(crate) fn operation_of<'a>(item: &'a Value, method: &str) -> Option<&'a Value> {
    let lower = method.to_ascii_lowercase();
    if crate::http::UPGRADED_METHODS.contains(&lower.as_str()) {
        return item.get(lower);
    }
    extension_operations(item)
        .remove(method)
        .map(|(_, operation)| operation)
}

/// The operations of a path item that the typed model has no field for: OpenAPI 3.2's
/// `query` and the entries of `additionalOperations` ([`additional_operations`] left only
/// distinct methods there). Each is keyed by its upper-case method, with its pointer below
/// the path item.
pub(crate) fn extension_operations(item: &Value) -> BTreeMap<String, (String, &Value)> {
    let mut out = BTreeMap::new();
    if let Some(query) = item.get("query") {
        out.insert("QUERY".to_owned(), ("/query".to_owned(), query));
    }
    let additional = item.get("additionalOperations").and_then(Value::as_object);
    for (method, operation) in additional.into_iter().flatten() {
        let at = format!("/additionalOperations/{}", escape_token(method));
        out.entry(method.to_ascii_uppercase())
            .or_insert((at, operation));
    }
    out
}

/// OpenAPI 3.2's `itemSchema` (the schema of each item of a streamed body) read into
/// `schema`, which lowering takes as the item's for streaming media types. For server-sent
/// events the item schema describes the event (`data`, `event`, `id`, `retry`): its `data`
/// is what is typed, through its `contentSchema` when the data is JSON.
pub(super) struct ItemSchemas;

impl crate::walk::Visit for ItemSchemas {
    fn enter(&mut self, position: crate::walk::Position, value: &mut Value, at: &str) -> bool {
        if position != crate::walk::Position::Media {
            return true;
        }
        let Value::Object(media) = value else {
            return false;
        };
        let Some(item) = media.remove("itemSchema") else {
            return false;
        };
        let data = item
            .pointer("/properties/data")
            .map(|data| data.get("contentSchema").unwrap_or(data).clone());
        // A media type's position ends in its name: `…/content/text~1event-stream`.
        let media_type = at.rsplit('/').next().map(crate::refs::unescape);
        let is_event = media_type.as_deref().and_then(crate::ir::Framing::of)
            == Some(crate::ir::Framing::ServerSentEvents);
        let schema = match data {
            Some(data) if is_event => data,
            _ => item,
        };
        media.insert("schema".to_owned(), schema);
        false
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn additional_operations_keep_distinct_methods_and_note_the_others() {
        let mut raw = json!({"paths": {"/a": {
            "query": {"operationId": "q"},
            "additionalOperations": {
                "COPY": {"operationId": "copy"},
                "copy": {"operationId": "copy again"},
                "get": {"operationId": "fixed"},
                "QUERY": {"operationId": "query again"},
                "bad method": {"operationId": "not a token"}
            }
        }}});
        let mut notes = Notes::default();
        additional_operations(&mut raw, &mut notes);
        let kept: Vec<&String> = raw["paths"]["/a"]["additionalOperations"]
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .collect();
        assert_eq!(kept, ["COPY"]);
        let noted: Vec<&str> = notes.0.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            noted,
            [
                "#/paths/~1a/additionalOperations/QUERY",
                "#/paths/~1a/additionalOperations/bad method",
                "#/paths/~1a/additionalOperations/copy",
                "#/paths/~1a/additionalOperations/get",
            ]
        );
    }

    #[test]
    fn operations_are_found_where_the_document_writes_them() {
        let item = json!({
            "get": {"operationId": "g"},
            "query": {"operationId": "q"},
            "additionalOperations": {"link": {"operationId": "l"}}
        });
        let found: Vec<(String, String)> = extension_operations(&item)
            .into_iter()
            .map(|(method, (at, _))| (method, at))
            .collect();
        assert_eq!(
            found,
            [
                ("LINK".to_owned(), "/additionalOperations/link".to_owned()),
                ("QUERY".to_owned(), "/query".to_owned()),
            ]
        );
        let id = |method: &str| operation_of(&item, method).map(|op| op["operationId"].clone());
        assert_eq!(id("GET"), Some(json!("g")));
        assert_eq!(id("QUERY"), Some(json!("q")));
        assert_eq!(id("LINK"), Some(json!("l")));
        assert_eq!(id("POST"), None);
    }
}
