//! Every OpenAPI version read into one document shape, and the mistakes real documents carry
//! repaired, on the JSON form, before the document is typed.
//!
//! The typed model is `openapiv3`'s (OpenAPI 3.0), which all of lowering reads; this module
//! brings 3.1 and 3.2 documents to it (JSON Schema 2020-12 keywords in `schema.rs`, the
//! newer objects in `objects.rs`), resolves every `$ref` to a direct component reference
//! (`refs.rs`), and repairs what a careful reader would repair (`objects.rs`). Whatever is
//! still not typable after that is cut down piece by piece (`typing.rs`), never the whole
//! document. Every change that loses or guesses something leaves a located note.
//!
//! Only text that is not YAML or JSON, or a document that is not OpenAPI at all, stops here.

mod objects;
mod parameters;

pub(crate) use marks::Marks;
pub(crate) use objects::{extension_operations, operation_of};
mod marks;
mod refs;
mod reserved;
mod schema;
mod swagger;
pub(crate) mod typing;

use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::ir::{Diagnostic, NoteKind};

/// An operation whose method the typed model has no field for: OpenAPI 3.2's `query`, or an
/// entry of `additionalOperations` (`COPY`, `LINK`, …), typed on its own.
#[derive(Debug, Clone)]
pub struct ExtensionOperation {
    /// The path template it belongs to.
    pub path: String,
    /// The upper-case method, e.g. `QUERY`.
    pub method: String,
    /// Where it is written in the document, for notes.
    pub pointer: String,
    /// The operation.
    pub operation: openapiv3::Operation,
}

/// One operation of a webhook (`#/webhooks/<name>/<method>`): a request the API sends to its
/// callers.
#[derive(Debug, Clone)]
pub struct WebhookOperation {
    /// The webhook's name, e.g. `newPet`.
    pub name: String,
    /// The upper-case method the API sends it with, e.g. `POST`.
    pub method: String,
    /// Where it is written in the document, for notes.
    pub pointer: String,
    /// The operation: its request body is the payload.
    pub operation: openapiv3::Operation,
}

/// The document's webhooks, typed (the typed model has no field for them); one that does
/// not type is left out with a note.
pub(crate) fn typed_webhooks(raw: &Value, notes: &mut Notes) -> Vec<WebhookOperation> {
    let mut out = Vec::new();
    let Some(webhooks) = raw.get("webhooks").and_then(Value::as_object) else {
        return out;
    };
    for (name, item) in webhooks {
        let item_at = format!("#/webhooks/{}", crate::error::escape_token(name));
        for method in crate::http::FIXED_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let pointer = format!("{item_at}/{method}");
            if let Some(operation) =
                typed_operation(operation, &pointer, &format!("the webhook `{name}`"), notes)
            {
                out.push(WebhookOperation {
                    name: name.clone(),
                    method: method.to_ascii_uppercase(),
                    pointer,
                    operation,
                });
            }
        }
    }
    out
}

/// The operations of methods the typed model has no field for
/// ([`objects::extension_operations`]), typed; one that does not type is left out with a
/// note.
pub(crate) fn typed_extension_operations(
    raw: &Value,
    notes: &mut Notes,
) -> Vec<ExtensionOperation> {
    let mut out = Vec::new();
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let item_at = format!("#/paths/{}", crate::error::escape_token(path));
        for (method, (below, operation)) in objects::extension_operations(item) {
            let pointer = format!("{item_at}{below}");
            if let Some(operation) = typed_operation(
                operation,
                &pointer,
                &format!("the `{method}` operation"),
                notes,
            ) {
                out.push(ExtensionOperation {
                    path: path.clone(),
                    method: method.clone(),
                    pointer,
                    operation,
                });
            }
        }
    }
    out
}

/// An operation the typed document has no field for, typed on its own; `None` with a note
/// naming `what` when it does not type.
fn typed_operation(
    operation: &Value,
    pointer: &str,
    what: &str,
    notes: &mut Notes,
) -> Option<openapiv3::Operation> {
    match <openapiv3::Operation as serde::Deserialize>::deserialize(operation) {
        Ok(operation) => Some(operation),
        Err(e) => {
            notes.push(
                NoteKind::Repair,
                pointer,
                format!("{what} is not understood ({e}); left out"),
            );
            None
        }
    }
}

/// The OpenAPI version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    /// Swagger 2.0, converted to the 3.0 shape on load.
    V2_0,
    /// OpenAPI 3.0.x.
    V3_0,
    /// OpenAPI 3.1.x.
    V3_1,
    /// OpenAPI 3.2.x.
    V3_2,
}

impl Version {
    /// `3.0`, `3.1` or `3.2`.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V2_0 => "2.0",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
            Version::V3_2 => "3.2",
        }
    }
}

/// Notes gathered while upgrading, in document order.
#[derive(Debug, Default)]
pub(crate) struct Notes(pub Vec<Diagnostic>);

impl Notes {
    pub(crate) fn push(&mut self, kind: NoteKind, at: &str, message: String) {
        self.0.push(Diagnostic {
            pointer: at.to_owned(),
            message,
            kind,
        });
    }
}

/// The version `raw` declares, or the error that says it is not an OpenAPI document this
/// generator reads.
pub(crate) fn version(file: &str, raw: &Value) -> Result<Version, Error> {
    let Value::Object(root) = raw else {
        return Err(Error::at(
            ErrorKind::Structure,
            file,
            "#",
            "not an OpenAPI document: the top level is not a mapping",
        ));
    };
    if let Some(swagger) = root.get("swagger") {
        let text = plain(swagger);
        return match text.as_str() {
            "2.0" | "2" => Ok(Version::V2_0),
            _ => Err(Error::at(
                ErrorKind::Unsupported,
                file,
                "#/swagger",
                format!("Swagger version {text} is not supported; expected 2.0"),
            )),
        };
    }
    let Some(declared) = root.get("openapi") else {
        return Err(Error::at(
            ErrorKind::Structure,
            file,
            "#",
            "not an OpenAPI document: it has no top-level `openapi` (or `swagger`) version",
        ));
    };
    let text = plain(declared);
    let mut parts = text.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Ok(Version::V3_0),
        (Some("3"), Some("1")) => Ok(Version::V3_1),
        (Some("3"), Some("2")) => Ok(Version::V3_2),
        _ => Err(Error::at(
            ErrorKind::Unsupported,
            file,
            "#/openapi",
            format!("OpenAPI version {text} is not supported; expected 3.0, 3.1 or 3.2"),
        )),
    }
}

/// A version written as a string or (by mistake) a number.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Brings `raw` (of `version`) to the shape the typed model reads; returns the notes, and
/// what the typed model has no field for.
pub(crate) fn upgrade(raw: &mut Value, version: Version) -> (Vec<Diagnostic>, Marks) {
    let mut notes = Notes::default();
    // Before any pass writes a marker of its own: the document's are not the generator's.
    reserved::strip(raw, &mut notes);
    if version == Version::V2_0 {
        swagger::convert(raw, &mut notes);
    }
    objects::document(raw, version, &mut notes);
    // Operations before schemas, so that schemas the repairs make (from a Swagger-style
    // parameter's fields, a form body) are brought into shape too; and once more after
    // references are resolved, for what a followed reference brought in (the repairs are
    // idempotent: the second pass notes only what is new).
    objects::operations(raw, version, &mut notes);
    // Schemas next: `$dynamicRef` becomes a `$ref`, and a `$ref` with constraints beside it
    // an `allOf`, before references are resolved; copies the resolver hoists are already in
    // shape.
    crate::walk::walk(
        raw,
        &mut schema::Schemas {
            modern: version >= Version::V3_1,
            notes: &mut notes,
        },
    );
    refs::resolve(raw, &mut notes);
    crate::walk::walk(raw, &mut schema::Unmark);
    let schemas = raw
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    crate::walk::walk(
        raw,
        &mut refs::Mappings {
            schemas,
            notes: &mut notes,
        },
    );
    objects::operations(raw, version, &mut notes);
    crate::walk::walk(raw, &mut objects::ItemSchemas);
    objects::additional_operations(raw, &mut notes);
    if let Value::Object(root) = raw {
        // The typed model reads the 3.0 shape this module produced.
        root.insert("openapi".to_owned(), Value::from("3.0.3"));
    }
    let marks = marks::harvest(raw);
    (notes.0, marks)
}
