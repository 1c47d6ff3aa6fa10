//! Request bodies → the IR: JSON, forms, multipart, text or bytes.

use openapiv3::ReferenceOr;

use super::media::{essence, is_json, parse_date, pick_json, subtype_name};
use super::types::Lowering;
use crate::error::{Error, escape_token};
use crate::ir::{
    BodyAlternative, BodyEncoding, Diagnostic, ParamStyle, PropertyEncoding, RequestBody, TypeRef,
};
use crate::load::Spec;
use crate::runtime_contract::RT;

/// The request body: JSON (the newest version not later than `options.api_version`) when
/// the spec offers it, else a form, text or bytes; each other media type becomes a typed
/// alternative with a setter of its own.
pub(super) fn lower_request_body<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<RequestBody>, Error> {
    let (spec, options) = (lowering.spec(), lowering.options());
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body_at = format!("{at}/requestBody");
    let (body, body_at) =
        super::resolve_component(spec, body, "requestBodies", |c| &c.request_bodies, &body_at)?;
    let limit = options.api_version.as_deref().and_then(parse_date);
    let chosen = pick_json(&body.content, limit).or_else(|| {
        let by_kind =
            |wanted: &dyn Fn(&str) -> bool| body.content.iter().find(|(m, _)| wanted(&essence(m)));
        by_kind(&|m| m == "application/x-www-form-urlencoded")
            .or_else(|| by_kind(&|m| m.starts_with("text/")))
            .or_else(|| body.content.first())
    });
    let Some((media_type, content)) = chosen else {
        // `content` is required and should not be empty; without it there is nothing to send
        // but bytes of the caller's choosing.
        lowering.notes().push(Diagnostic {
            kind: crate::ir::NoteKind::Body,
            pointer: format!("{body_at}/content"),
            message: "the request body lists no media type; it is sent as bytes".to_owned(),
        });
        return Ok(Some(RequestBody {
            media_type: "application/octet-stream".to_owned(),
            encoding: BodyEncoding::Binary,
            ty: bytes(),
            alternatives: Vec::new(),
            required: body.required,
            description: body.description.clone(),
        }));
    };
    // Other versions of a JSON body are chosen with `--api-version`, not per request.
    let other_types: Vec<&String> = body
        .content
        .keys()
        .filter(|m| *m != media_type && !(is_json(m) && is_json(media_type)))
        .collect();
    let context = crate::naming::operation_type_name(builder_name, "Body");
    let (encoding, ty) = typed_body(lowering, &context, media_type, content, &body_at)?;
    let mut alternatives = Vec::new();
    for other in other_types {
        let other_content = &body.content[other];
        let typed = typed_body(lowering, &context, other, other_content, &body_at);
        let (encoding, ty) = match typed {
            // The same schema as the typed body's (a form beside JSON, as is common): the
            // same type, not a second one.
            Ok((encoding, _))
                if other_content.schema.is_some()
                    && other_content.schema == content.schema
                    && matches!(encoding, BodyEncoding::Json | BodyEncoding::Form(_)) =>
            {
                (encoding, ty.clone())
            }
            Ok(typed) => typed,
            // An alternative never costs the operation: it is sent as bytes.
            Err(error) => {
                lowering.notes().push(Diagnostic {
                    kind: crate::ir::NoteKind::Body,
                    pointer: format!("{body_at}/content/{}", escape_token(other)),
                    message: format!(
                        "the body in `{other}` is not typed ({}); `{}` takes it as bytes",
                        error.message,
                        body_method(other)
                    ),
                });
                (BodyEncoding::Binary, bytes())
            }
        };
        alternatives.push(BodyAlternative {
            media_type: other.clone(),
            method: body_method(other),
            encoding,
            ty,
        });
    }
    Ok(Some(RequestBody {
        media_type: media_type.clone(),
        encoding,
        ty,
        alternatives,
        required: body.required,
        description: body.description.clone(),
    }))
}

/// How a body goes on the wire in `media_type` (`content` of the body at `body_at`), and its
/// type there: JSON and form bodies are their schema's type (`context` names an inline one),
/// text a `String`, multipart the runtime's `Multipart`, anything else bytes.
fn typed_body<'a>(
    lowering: &mut Lowering<'a>,
    context: &str,
    media_type: &str,
    content: &'a openapiv3::MediaType,
    body_at: &str,
) -> Result<(BodyEncoding, TypeRef), Error> {
    let spec = lowering.spec();
    let content_at = format!("{body_at}/content/{}", escape_token(media_type));
    let schema_at = format!("{content_at}/schema");
    let kind = essence(media_type);
    let typed = |lowering: &mut Lowering<'a>| match &content.schema {
        Some(schema) => lowering.type_ref_or_ref(context, schema, &schema_at),
        None => {
            lowering.notes().push(Diagnostic {
                kind: crate::ir::NoteKind::Body,
                pointer: content_at.clone(),
                message: "the request body has no schema; it is any JSON value".to_owned(),
            });
            Ok(TypeRef::Json)
        }
    };
    Ok(if is_json(media_type) {
        (BodyEncoding::Json, typed(lowering)?)
    } else if kind == "application/x-www-form-urlencoded" {
        let encodings = form_encodings(spec, content, &content_at);
        (BodyEncoding::Form(encodings), typed(lowering)?)
    } else if kind.starts_with("text/") && !is_binary_schema(spec, content) {
        (BodyEncoding::Text, TypeRef::String)
    } else if kind == "multipart/form-data" {
        let parts = multipart_parts(spec, content);
        (BodyEncoding::Multipart(parts), multipart())
    } else {
        (BodyEncoding::Binary, bytes())
    })
}

/// The setter that sends a body in `media_type` besides the typed one: `body_form` for a
/// url-encoded form, `body_multipart` for `multipart/form-data`, else `body_` and the
/// subtype (`body_xml`, `body_plain`). The operation makes it distinct from its other
/// builder methods.
fn body_method(media_type: &str) -> String {
    format!("body_{}", subtype_name(media_type))
}

/// The runtime's byte buffer, the type of binary bodies.
fn bytes() -> TypeRef {
    TypeRef::Runtime(RT.path("runtime::Bytes"))
}

/// The runtime's multipart form, the type of `multipart/form-data` bodies.
fn multipart() -> TypeRef {
    TypeRef::Runtime(RT.path("Multipart"))
}

/// The parts a multipart body's schema describes: (name, what it holds, required), for the
/// docs. Read from the raw document (following `$ref`s): only names and kinds are needed.
fn multipart_parts(spec: &Spec, content: &openapiv3::MediaType) -> Vec<(String, String, bool)> {
    let Some(schema) = &content.schema else {
        return Vec::new();
    };
    let schema = super::schema_or_component(spec, schema);
    let Some(openapiv3::SchemaKind::Type(openapiv3::Type::Object(object))) =
        schema.map(|s| &s.schema_kind)
    else {
        return Vec::new();
    };
    object
        .properties
        .iter()
        .map(|(name, property)| {
            let what = match property {
                ReferenceOr::Reference { reference } => {
                    format!("`{}`", reference.rsplit('/').next().unwrap_or(reference))
                }
                ReferenceOr::Item(item) => match &item.schema_kind {
                    openapiv3::SchemaKind::Type(openapiv3::Type::String(string))
                        if matches!(
                            string.format,
                            openapiv3::VariantOrUnknownOrEmpty::Item(
                                openapiv3::StringFormat::Binary
                            )
                        ) =>
                    {
                        "a file".to_owned()
                    }
                    openapiv3::SchemaKind::Type(openapiv3::Type::String(_)) => "text".to_owned(),
                    openapiv3::SchemaKind::Type(openapiv3::Type::Array(_)) => {
                        "a list (one part per item)".to_owned()
                    }
                    openapiv3::SchemaKind::Type(openapiv3::Type::Object(_)) => "JSON".to_owned(),
                    _ => "a value as text".to_owned(),
                },
            };
            (name.clone(), what, object.required.contains(name))
        })
        .collect()
}

/// Whether the media type's schema (inline, or the component it names) is `type: string,
/// format: binary`.
fn is_binary_schema(spec: &Spec, content: &openapiv3::MediaType) -> bool {
    let schema = content
        .schema
        .as_ref()
        .and_then(|s| super::schema_or_component(spec, s));
    matches!(
        schema,
        Some(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(string)),
            ..
        }) if matches!(&string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    )
}

/// The `encoding` entries of a form body. `explode` is read from the raw document, because
/// its default depends on `style` and the typed document cannot tell "absent" from `false`.
fn form_encodings(
    spec: &Spec,
    content: &openapiv3::MediaType,
    content_at: &str,
) -> Vec<PropertyEncoding> {
    content
        .encoding
        .iter()
        .map(|(property, encoding)| {
            let style = match encoding.style {
                None | Some(openapiv3::QueryStyle::Form) => ParamStyle::Form,
                Some(openapiv3::QueryStyle::SpaceDelimited) => ParamStyle::SpaceDelimited,
                Some(openapiv3::QueryStyle::PipeDelimited) => ParamStyle::PipeDelimited,
                Some(openapiv3::QueryStyle::DeepObject) => ParamStyle::DeepObject,
            };
            let encoding_at = format!("{content_at}/encoding/{}", escape_token(property));
            let explode = spec
                .raw
                .pointer(&format!("{}/explode", encoding_at.trim_start_matches('#')))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(style == ParamStyle::Form);
            PropertyEncoding {
                property: property.clone(),
                style,
                explode,
                delimiter: spec.marks.delimiter(&encoding_at),
                json: encoding.content_type.as_deref().is_some_and(is_json),
            }
        })
        .collect()
}
