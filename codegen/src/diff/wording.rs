//! How the report words types, bodies and parameters.

use crate::ir::{ParamSchema, SuccessBody, TypeKind, Types};

pub(super) fn code(value: Option<&str>) -> String {
    value.map_or("none".to_owned(), |v| format!("`{v}`"))
}

pub(super) fn requiredness(required: bool, nullable: bool) -> &'static str {
    match (required, nullable) {
        (true, false) => "required",
        (true, true) => "required, nullable",
        (false, false) => "optional",
        (false, true) => "optional, nullable",
    }
}

/// `body`, whose types are named in `types`.
pub(super) fn describe_body(body: &SuccessBody, types: &Types) -> String {
    match body {
        SuccessBody::Empty => "none".to_owned(),
        SuccessBody::Json(t) => t.show(types).to_string(),
        SuccessBody::OptionalJson(t) => format!("{} or none", t.show(types)),
        SuccessBody::Text => "text".to_owned(),
        SuccessBody::Bytes => "byte stream".to_owned(),
        SuccessBody::Stream(stream) => format!("stream of {}", stream.item.show(types)),
    }
}

pub(super) fn describe_kind(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "object",
        TypeKind::StringEnum { .. } => "enum",
        TypeKind::Alias(_) => "alias",
        TypeKind::Runtime(_) => "runtime type",
        TypeKind::TaggedUnion { .. } => "tagged union",
        TypeKind::Union { .. } => "union",
    }
}

/// The parameter's Rust-visible type, named in `types`.
pub(super) fn describe_param(schema: &ParamSchema, types: &Types) -> String {
    match schema {
        ParamSchema::Bool { .. } => "boolean".to_owned(),
        ParamSchema::Integer { int, .. } => int.format().to_owned(),
        ParamSchema::Number { .. } => "number".to_owned(),
        ParamSchema::DateTime => "date-time".to_owned(),
        ParamSchema::String { .. } => "string".to_owned(),
        ParamSchema::Enum { ty, .. } => ty.show(types).to_string(),
        ParamSchema::Array { item } => format!("list of {}", describe_param(item, types)),
        ParamSchema::Value { ty, json: true, .. } => format!("{} as JSON text", ty.show(types)),
        ParamSchema::Value {
            ty, json: false, ..
        } => ty.show(types).to_string(),
    }
}
