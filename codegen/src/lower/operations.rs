//! Paths and operations → IR operations, grouped by tag.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::params::{lower_param, resolve_parameter};
use super::types::TypeLowering;
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    BodyEncoding, Diagnostic, ErrorResponse, Operation, Pagination, Param, ParamLocation,
    ParamSchema, ParamStyle, PathPart, PropertyEncoding, RequestBody, StatusMatch, Success,
    SuccessBody, TypeKind, TypeRef,
};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name, type_name_with};

/// Names every builder has besides the parameter setters.
/// Names every builder has besides the parameter setters: its methods and its fields (a
/// parameter named `client` must not become a second `client` field).
const BUILDER_METHODS: &[&str] = &[
    "new",
    "timeout",
    "accept",
    "header",
    "send",
    "send_with_response",
    "send_raw",
    "into_request",
    "into_stream",
    "body",
    "raw_body",
    "client",
    "options",
];

/// Tag used for operations that have none.
pub(crate) const UNTAGGED: &str = "Untagged";

/// `2023-01-01` → (2023, 1, 1), when it is a plausible date.
pub(crate) fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    let mut parts = text.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let day = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    (parts.next().is_none() && text.len() == 10).then_some((year, month, day))
}

/// The date of `application/vnd.atlas.YYYY-MM-DD+json`, if the media type is versioned.
fn media_version(media_type: &str) -> Option<(u16, u8, u8)> {
    let essence = media_type.split(';').next()?.trim();
    parse_date(
        essence
            .strip_prefix("application/vnd.atlas.")?
            .split('+')
            .next()?,
    )
}

/// An RFC 9110 field name: one or more `tchar`s.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn parameter_name(parameter: &openapiv3::Parameter) -> String {
    parameter.parameter_data_ref().name.clone()
}

/// Parameters defined in `#/components/parameters`: their shared type names, and the lowered
/// definitions of those the generated operations use.
pub(crate) struct SharedParams {
    names: BTreeMap<String, String>,
    pub(crate) used: BTreeMap<String, Param>,
}

impl SharedParams {
    fn new(spec: &Spec) -> Self {
        let mut namer = Namer::default();
        let names = spec
            .openapi
            .components
            .iter()
            .flat_map(|c| c.parameters.keys())
            .map(|name| (name.clone(), namer.claim(&type_name_with(name, "Schema"))))
            .collect();
        Self {
            names,
            used: BTreeMap::new(),
        }
    }

    /// The shared parameter at `pointer`, if it was lowered already.
    fn lowered(&self, pointer: &str) -> Option<Param> {
        let name = pointer.strip_prefix("#/components/parameters/")?;
        let name = name.replace("~1", "/").replace("~0", "~");
        self.used.get(self.names.get(&name)?).cloned()
    }

    /// Marks `param` as the shared definition at `pointer`, if it is one.
    fn share(&mut self, param: &mut Param, pointer: &str) {
        let Some(name) = pointer.strip_prefix("#/components/parameters/") else {
            return;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let Some(type_name) = self.names.get(&name) else {
            return;
        };
        param.shared = Some(type_name.clone());
        self.used.entry(type_name.clone()).or_insert_with(|| Param {
            type_name: type_name.clone(),
            ..param.clone()
        });
    }
}

/// Names unique across all operations.
pub(crate) struct OperationNamers {
    fns: Namer,
    builders: Namer,
}

/// The `operationId`, or for an operation without one a name made of its method and path
/// (`GET /pets/{id}` → `get_pets_id`).
fn operation_id(method: &str, path: &str, operation: &openapiv3::Operation) -> String {
    match operation.operation_id.as_deref().map(str::trim) {
        Some(id) if !id.is_empty() => id.to_owned(),
        _ => snake_name(&format!("{method} {}", path.replace(['{', '}'], " "))),
    }
}

/// The operations with their tags, and the shared parameters they use.
pub(crate) struct Lowered {
    pub(crate) operations: Vec<(String, Operation)>,
    pub(crate) shared_params: Vec<Param>,
}

pub(crate) fn lower_operations<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Lowered, Error> {
    let mut shared = SharedParams::new(spec);
    let mut out = Vec::new();
    let mut namers = OperationNamers {
        fns: Namer::with_reserved(["new", "client"]),
        builders: Namer::default(),
    };
    for (path, item) in &spec.openapi.paths.paths {
        let item_at = format!("#/paths/{}", escape_token(path));
        let ReferenceOr::Item(item) = item else {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &spec.file,
                &item_at,
                "path item `$ref`s are not supported",
            ));
        };
        for (method, operation) in item.iter() {
            let at = format!("{item_at}/{method}");
            let id = operation_id(method, path, operation);
            let tag = operation
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| UNTAGGED.to_owned());
            if options
                .tags
                .as_ref()
                .is_some_and(|tags| !tags.contains(&tag))
            {
                continue;
            }
            let lowered = lower_operation(
                spec,
                options,
                types,
                diagnostics,
                &mut shared,
                &mut namers,
                (path, method, &at),
                &item.parameters,
                operation,
            )
            .map_err(|e| e.in_operation(Some(&id)))?;
            if let Some(lowered) = lowered {
                out.push((tag, lowered));
            }
        }
    }
    Ok(Lowered {
        operations: out,
        shared_params: shared.used.into_values().collect(),
    })
}

/// `None` when the operation has no version at or before `options.api_version`.
#[allow(
    clippy::too_many_arguments,
    reason = "one call site; grouping them would only rename them"
)]
fn lower_operation<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    diagnostics: &mut Vec<Diagnostic>,
    shared_params: &mut SharedParams,
    namers: &mut OperationNamers,
    (path, method, at): (&str, &str, &str),
    shared: &'a [ReferenceOr<openapiv3::Parameter>],
    operation: &'a openapiv3::Operation,
) -> Result<Option<Operation>, Error> {
    let id = operation_id(method, path, operation);
    if operation
        .operation_id
        .as_deref()
        .is_none_or(|id| id.trim().is_empty())
    {
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Naming,
            pointer: at.to_owned(),
            message: format!(
                "`{} {path}` has no operationId; it is named `{id}` after its method and path",
                method.to_uppercase()
            ),
        });
    }
    // Method names are unique across the crate, not only within a tag, so an operation keeps
    // its name if it moves between tags. Builders are re-exported side by side by their tag,
    // so they are unique too (`getAPIKey` and `getApiKey` differ only in case).
    let fn_name = namers.fns.claim(&snake_name(&id));
    let builder_name = namers.builders.claim(&type_name_with(&id, "Request"));

    // Operation-level parameters override path-level ones with the same name and location.
    let mut params: Vec<Param> = Vec::new();
    let lists = [
        (
            shared,
            format!("{}/parameters", at.rsplit_once('/').map_or(at, |(p, _)| p)),
        ),
        (&operation.parameters[..], format!("{at}/parameters")),
    ];
    for (list, list_at) in lists {
        for (i, parameter) in list.iter().enumerate() {
            let (parameter, param_at) =
                resolve_parameter(spec, parameter, &format!("{list_at}/{i}"))?;
            if let openapiv3::Parameter::Header { parameter_data, .. } = parameter {
                let name = parameter_data.name.as_str();
                let skip = if ["accept", "content-type", "authorization"]
                    .contains(&name.to_ascii_lowercase().as_str())
                {
                    Some("the OpenAPI specification says it is ignored (the client sets it)")
                } else if !is_header_name(name) {
                    Some("it is not a valid HTTP header name")
                } else {
                    None
                };
                if let Some(why) = skip {
                    diagnostics.push(Diagnostic {
                        kind: crate::ir::NoteKind::Parameter,
                        pointer: param_at.clone(),
                        message: format!("header parameter `{name}` is left out: {why}"),
                    });
                    continue;
                }
            }
            let mut param = match shared_params.lowered(&param_at) {
                Some(param) => param,
                None => {
                    let context = match param_at.strip_prefix("#/components/parameters/") {
                        Some(name) => type_name(name),
                        None => format!(
                            "{}{}",
                            builder_name.trim_end_matches("Request"),
                            type_name(&parameter_name(parameter))
                        ),
                    };
                    lower_param(spec, types, parameter, &param_at, &context, diagnostics)?
                }
            };
            shared_params.share(&mut param, &param_at);
            params.retain(|p| !(p.wire_name == param.wire_name && p.location == param.location));
            params.push(param);
        }
    }
    let mut setter_namer = Namer::with_reserved(BUILDER_METHODS.iter().copied());
    let mut type_namer = Namer::with_reserved([builder_name.as_str()]);
    for param in &mut params {
        param.rust_name = setter_namer.claim(&snake_name(&param.wire_name));
        param.type_name = type_namer.claim(&type_name_with(&param.wire_name, "Schema"));
    }

    let path_parts = parse_path(spec, path, &params, at)?;
    let body = lower_request_body(
        spec,
        options,
        types,
        diagnostics,
        &builder_name,
        operation,
        at,
    )?;
    let Some(Responses {
        success,
        accept,
        errors,
        redirect_success,
    }) = lower_responses(
        spec,
        options,
        types,
        diagnostics,
        &builder_name,
        operation,
        at,
    )?
    else {
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Version,
            pointer: at.to_owned(),
            message: format!(
                "operation `{id}` has no API version at or before {}; it is left out",
                options.api_version.as_deref().unwrap_or_default()
            ),
        });
        return Ok(None);
    };
    let mut not_generated = Vec::new();
    if !operation.callbacks.is_empty() {
        let names: Vec<&str> = operation.callbacks.keys().map(String::as_str).collect();
        not_generated.push(format!(
            "Callbacks (requests the server makes to you; not generated): {}.",
            names.join(", ")
        ));
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Unused,
            pointer: format!("{at}/callbacks"),
            message: format!(
                "callbacks ({}) are requests the server makes to the caller; they are not generated",
                names.join(", ")
            ),
        });
    }
    for (status, response) in &operation.responses.responses {
        let links: Vec<&str> = match response {
            ReferenceOr::Item(response) => response.links.keys().map(String::as_str).collect(),
            ReferenceOr::Reference { .. } => Vec::new(),
        };
        if !links.is_empty() {
            not_generated.push(format!(
                "Links from status {status} (operations its response leads to): {}.",
                links.join(", ")
            ));
            diagnostics.push(Diagnostic {
                kind: crate::ir::NoteKind::Unused,
                pointer: format!("{at}/responses/{status}/links"),
                message: "links (operations a response leads to) are not generated; follow them by calling those operations".to_owned(),
            });
        }
    }
    let pagination = pagination(types, &params, &success);
    Ok(Some(Operation {
        id,
        fn_name,
        builder_name,
        method: method.to_uppercase(),
        path: path.to_owned(),
        path_parts,
        summary: operation.summary.clone(),
        description: operation.description.clone(),
        external_docs: operation.external_docs.as_ref().map(|d| d.url.clone()),
        deprecated: operation.deprecated,
        params,
        accept,
        success,
        pagination,
        errors,
        redirect_success,
        not_generated,
        body,
    }))
}

/// The request body: JSON (the newest version not later than `options.api_version`) when
/// the spec offers it, else a form, text or bytes; the other media types become
/// alternatives the caller sends as bytes.
fn lower_request_body<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    diagnostics: &mut Vec<Diagnostic>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<RequestBody>, Error> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body_at = format!("{at}/requestBody");
    let (body, body_at) =
        super::resolve_component(spec, body, "requestBodies", |c| &c.request_bodies, &body_at)?;
    let limit = options.api_version.as_deref().and_then(parse_date);
    let essence = |m: &str| {
        m.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
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
        diagnostics.push(Diagnostic {
            kind: crate::ir::NoteKind::Body,
            pointer: format!("{body_at}/content"),
            message: "the request body lists no media type; it is sent as bytes".to_owned(),
        });
        return Ok(Some(RequestBody {
            media_type: "application/octet-stream".to_owned(),
            encoding: BodyEncoding::Binary,
            ty: TypeRef::Runtime(BYTES.to_owned()),
            alternatives: Vec::new(),
            required: body.required,
            description: body.description.clone(),
        }));
    };
    // Other versions of a JSON body are chosen with `--api-version`, not per request.
    let alternatives: Vec<String> = body
        .content
        .keys()
        .filter(|m| *m != media_type && !(is_json(m) && is_json(media_type)))
        .cloned()
        .collect();
    let content_at = format!("{body_at}/content/{}", escape_token(media_type));
    let schema_at = format!("{content_at}/schema");
    let kind = essence(media_type);
    let context = format!("{}Body", builder_name.trim_end_matches("Request"));
    let typed =
        |types: &mut TypeLowering<'a>, diagnostics: &mut Vec<Diagnostic>| match &content.schema {
            Some(schema) => types.type_ref_or_ref(&context, schema, &schema_at),
            None => {
                diagnostics.push(Diagnostic {
                    kind: crate::ir::NoteKind::Body,
                    pointer: content_at.clone(),
                    message: "the request body has no schema; it is any JSON value".to_owned(),
                });
                Ok(TypeRef::Json)
            }
        };
    let (encoding, ty) = if is_json(media_type) {
        (BodyEncoding::Json, typed(types, diagnostics)?)
    } else if kind == "application/x-www-form-urlencoded" {
        let encodings = form_encodings(spec, content, &content_at);
        (BodyEncoding::Form(encodings), typed(types, diagnostics)?)
    } else if kind.starts_with("text/") && !is_binary_schema(content) {
        (BodyEncoding::Text, TypeRef::String)
    } else if kind == "multipart/form-data" {
        let parts = multipart_parts(spec, content);
        (
            BodyEncoding::Multipart(parts),
            TypeRef::Runtime(MULTIPART.to_owned()),
        )
    } else {
        (BodyEncoding::Binary, TypeRef::Runtime(BYTES.to_owned()))
    };
    Ok(Some(RequestBody {
        media_type: media_type.clone(),
        encoding,
        ty,
        alternatives,
        required: body.required,
        description: body.description.clone(),
    }))
}

/// The runtime's byte buffer, the type of binary bodies.
pub(crate) const BYTES: &str = "::atlas_sdk::runtime::Bytes";

/// The runtime's multipart form, the type of `multipart/form-data` bodies.
pub(crate) const MULTIPART: &str = "::atlas_sdk::Multipart";

/// The parts a multipart body's schema describes: (name, what it holds, required), for the
/// docs. Read from the raw document (following `$ref`s): only names and kinds are needed.
fn multipart_parts(spec: &Spec, content: &openapiv3::MediaType) -> Vec<(String, String, bool)> {
    let Some(schema) = &content.schema else {
        return Vec::new();
    };
    let schema = match schema {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/schemas/")
            .and_then(|n| spec.openapi.components.as_ref()?.schemas.get(n))
            .and_then(ReferenceOr::as_item),
    };
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

/// Whether the media type's schema is `type: string, format: binary`.
fn is_binary_schema(content: &openapiv3::MediaType) -> bool {
    matches!(
        &content.schema,
        Some(ReferenceOr::Item(openapiv3::Schema {
            schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(string)),
            ..
        })) if matches!(&string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
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
            let explode_at = format!(
                "{}/encoding/{}/explode",
                content_at.trim_start_matches('#'),
                escape_token(property)
            );
            let explode = spec
                .raw
                .pointer(&explode_at)
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(style == ParamStyle::Form);
            PropertyEncoding {
                property: property.clone(),
                style,
                explode,
                json: encoding.content_type.as_deref().is_some_and(is_json),
            }
        })
        .collect()
}

fn parse_path(spec: &Spec, path: &str, params: &[Param], at: &str) -> Result<Vec<PathPart>, Error> {
    let mut parts = Vec::new();
    let mut used = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            Error::at(
                ErrorKind::Structure,
                &spec.file,
                at,
                format!("path `{path}` has an unclosed `{{`"),
            )
        })?;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            .ok_or_else(|| {
                Error::at(
                    ErrorKind::Structure,
                    &spec.file,
                    at,
                    format!("path `{path}` names `{{{name}}}` but the operation has no such path parameter"),
                )
            })?;
        used.push(index);
        parts.push(PathPart::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    if let Some(unused) = params
        .iter()
        .enumerate()
        .find(|(i, p)| p.location == ParamLocation::Path && !used.contains(i))
    {
        return Err(Error::at(
            ErrorKind::Structure,
            &spec.file,
            at,
            format!(
                "path parameter `{}` does not appear in the path `{path}`",
                unused.1.wire_name
            ),
        ));
    }
    Ok(parts)
}

fn resolve_response<'a>(
    spec: &'a Spec,
    response: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<&'a Response, Error> {
    super::resolve_component(spec, response, "responses", |c| &c.responses, at).map(|(r, _)| r)
}

/// The JSON media type to use: the newest version not later than `limit` (newest overall
/// without one); unversioned `application/json` always qualifies.
fn pick_json(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
    limit: Option<(u16, u8, u8)>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content
        .iter()
        .filter(|(m, _)| is_json(m))
        .filter(|(m, _)| match (limit, media_version(m)) {
            (Some(limit), Some(version)) => version <= limit,
            _ => true,
        })
        .max_by_key(|(m, _)| (media_version(m), m.as_str()))
}

pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether the media type is a byte stream the SDK hands back undecoded (`+gzip` and other
/// binary types) rather than text (`+csv`, `text/*`).
fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.ends_with("+csv") || essence.starts_with("text/")
}

/// The body of one success status: the media type to ask for and what it decodes into.
type StatusBody = (String, Option<SuccessBody>);

/// What an operation's responses lower to.
pub(crate) struct Responses {
    pub(crate) success: Success,
    pub(crate) accept: String,
    pub(crate) errors: Vec<ErrorResponse>,
    pub(crate) redirect_success: bool,
}

/// The responses of an operation, classified: `None` when `options.api_version` excludes
/// every versioned success media type.
///
/// Successes are the 2xx entries (codes and `2XX`). An operation that documents none takes
/// its redirects (3xx) as its outcome (returned, never followed), or else its `default`, or
/// else any 2xx without a body, with a note. Errors are the 4xx/5xx entries, and `default`
/// when something else is the success.
fn lower_responses<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    diagnostics: &mut Vec<Diagnostic>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<Responses>, Error> {
    let limit = options.api_version.as_deref().and_then(parse_date);
    let mut entries: Vec<(StatusMatch, &'a Response, String)> = Vec::new();
    for (status, response) in &operation.responses.responses {
        let (status, token) = match status {
            StatusCode::Code(code) => (StatusMatch::Code(*code), code.to_string()),
            StatusCode::Range(class) => (StatusMatch::Class(*class), format!("{class}XX")),
        };
        let response_at = format!("{at}/responses/{token}");
        let response = resolve_response(spec, response, &response_at)?;
        entries.push((status, response, response_at));
    }
    if let Some(default) = &operation.responses.default {
        let response_at = format!("{at}/responses/default");
        let response = resolve_response(spec, default, &response_at)?;
        entries.push((StatusMatch::Default, response, response_at));
    }
    let class = |status: &StatusMatch| match status {
        StatusMatch::Code(code) => Some(code / 100),
        StatusMatch::Class(class) => Some(*class),
        StatusMatch::Default => None,
    };
    let has = |c: u16| entries.iter().any(|(s, _, _)| class(s) == Some(c));
    let (has_success, has_redirect) = (has(2), has(3));
    let redirect_success = !has_success && has_redirect;
    let default_success = !has_success && !has_redirect;

    // (status, description, accept, body: None = documented without content, alternatives)
    let mut successes: Vec<(StatusMatch, String, StatusBody, Vec<String>)> = Vec::new();
    let mut success_responses: Vec<(&'a Response, String)> = Vec::new();
    let mut errors = Vec::new();
    for (status, response, response_at) in entries {
        let is_success = match class(&status) {
            Some(2) => true,
            Some(3) if redirect_success => {
                success_responses.push((response, response_at.clone()));
                // Redirect bodies are not decoded: the caller wants the `Location`.
                successes.push((
                    status,
                    response.description.clone(),
                    ("*/*".to_owned(), None),
                    Vec::new(),
                ));
                continue;
            }
            None => default_success,
            _ => false,
        };
        if is_success {
            success_responses.push((response, response_at.clone()));
        } else {
            match class(&status) {
                Some(4 | 5) | None => errors.push(ErrorResponse {
                    status,
                    description: response.description.clone(),
                }),
                // 1xx never reach the caller (the HTTP stack handles them) and redirects are
                // not followed: such a status surfaces as `Error::UnexpectedStatus`.
                _ => diagnostics.push(Diagnostic {
 kind: crate::ir::NoteKind::Response,
                    pointer: response_at,
                    message: format!(
                        "status {status} is documented but is not a success or an error; it is reported as an unexpected status"
                    ),
                }),
            }
            continue;
        }
        let media = pick_json(&response.content, limit);
        if media.is_none() && response.content.keys().any(|m| is_json(m)) {
            return Ok(None);
        }
        let non_json: Vec<&String> = response.content.keys().filter(|m| !is_json(m)).collect();
        let (accept, body, alternatives) = match (media, non_json.first()) {
            (Some((media_type, content)), _) => {
                let content_at = format!("{response_at}/content/{}", escape_token(media_type));
                let body = match &content.schema {
                    None => SuccessBody::Empty,
                    Some(schema) => SuccessBody::Json(types.type_ref_or_ref(
                        &format!("{}Response", builder_name.trim_end_matches("Request")),
                        schema,
                        &format!("{content_at}/schema"),
                    )?),
                };
                let alternatives = non_json.iter().map(|m| (*m).clone()).collect();
                (media_type.clone(), Some(body), alternatives)
            }
            (None, Some(media_type)) => {
                let body = if is_text(media_type) {
                    SuccessBody::Text
                } else {
                    SuccessBody::Bytes
                };
                let alternatives = non_json[1..].iter().map(|m| (*m).clone()).collect();
                ((*media_type).clone(), Some(body), alternatives)
            }
            (None, None) => ("application/json".to_owned(), None, Vec::new()),
        };
        successes.push((
            status,
            response.description.clone(),
            (accept, body),
            alternatives,
        ));
    }
    if successes.is_empty() {
        // Nothing says what success looks like: any 2xx is one, its body not decoded.
        diagnostics.push(Diagnostic {
 kind: crate::ir::NoteKind::Response,
            pointer: format!("{at}/responses"),
            message: "the operation documents no success response; any 2xx is returned without decoding a body".to_owned(),
        });
        successes.push((
            StatusMatch::Class(2),
            "Success (not documented)".to_owned(),
            ("*/*".to_owned(), None),
            Vec::new(),
        ));
    }
    let first = &successes[0];
    // The body type: the one every status with a body shares.
    let mut body: Option<SuccessBody> = None;
    let mut accept = first.2.0.clone();
    for (status, _, (media_type, status_body), _) in &successes {
        let Some(status_body) = status_body.as_ref().filter(|b| **b != SuccessBody::Empty) else {
            continue;
        };
        match &body {
            None => {
                body = Some(status_body.clone());
                accept = media_type.clone();
            }
            Some(existing) if existing == status_body => {}
            Some(existing) => {
                // Bodies of different types: JSON of any shape when all are JSON, else bytes.
                let both_json = matches!(existing, SuccessBody::Json(_))
                    && matches!(status_body, SuccessBody::Json(_));
                let (merged, what) = if both_json {
                    (SuccessBody::Json(TypeRef::Json), "any JSON value")
                } else {
                    (SuccessBody::Bytes, "the raw response")
                };
                diagnostics.push(Diagnostic {
                    kind: crate::ir::NoteKind::Response,
                    pointer: format!("{at}/responses/{status}"),
                    message: format!(
                        "success statuses document bodies of different types; the body is {what}"
                    ),
                });
                if merged == SuccessBody::Bytes {
                    accept = "*/*".to_owned();
                }
                body = Some(merged);
            }
        }
    }
    let some_without_body = successes
        .iter()
        .any(|(_, _, (_, b), _)| b.as_ref().is_none_or(|b| *b == SuccessBody::Empty));
    let body = match body {
        None => SuccessBody::Empty,
        Some(SuccessBody::Json(ty)) if some_without_body => SuccessBody::OptionalJson(ty),
        Some(other) => other,
    };
    let mut alternatives: Vec<String> = successes.iter().flat_map(|s| s.3.clone()).collect();
    alternatives.sort();
    alternatives.dedup();
    let headers = response_headers(spec, &success_responses, diagnostics)?;
    let success = Success {
        status: first.0,
        description: first.1.clone(),
        body,
        other_statuses: successes[1..]
            .iter()
            .map(|(code, description, _, _)| (*code, description.clone()))
            .collect(),
        alternatives,
        headers,
    };
    Ok(Some(Responses {
        success,
        accept,
        errors,
        redirect_success,
    }))
}

/// The headers the success responses document (first description wins; `Content-Type`,
/// which OpenAPI says is ignored here, is left out), typed when their schema is a scalar.
fn response_headers(
    spec: &Spec,
    responses: &[(&Response, String)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<crate::ir::ResponseHeader>, Error> {
    let mut headers: Vec<crate::ir::ResponseHeader> = Vec::new();
    let mut namer = Namer::default();
    for (response, response_at) in responses {
        for (name, header) in &response.headers {
            let header_at = format!("{response_at}/headers/{}", escape_token(name));
            if name.eq_ignore_ascii_case("content-type")
                || headers
                    .iter()
                    .any(|h| h.wire_name.eq_ignore_ascii_case(name))
            {
                continue;
            }
            if !is_header_name(name) {
                diagnostics.push(Diagnostic {
                    kind: crate::ir::NoteKind::Response,
                    pointer: header_at,
                    message: format!(
                        "response header `{name}` is not a valid HTTP header name; it is left out"
                    ),
                });
                continue;
            }
            let (header, _) =
                super::resolve_component(spec, header, "headers", |c| &c.headers, &header_at)?;
            let schema = match &header.format {
                openapiv3::ParameterSchemaOrContent::Schema(schema) => Some(schema),
                openapiv3::ParameterSchemaOrContent::Content(_) => None,
            };
            let schema = schema.and_then(|s| match s {
                ReferenceOr::Item(item) => Some(item),
                ReferenceOr::Reference { reference } => reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|n| spec.openapi.components.as_ref()?.schemas.get(n))
                    .and_then(ReferenceOr::as_item),
            });
            let ty = match schema.map(|s| &s.schema_kind) {
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Boolean(_))) => TypeRef::Bool,
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer))) => {
                    match integer.format {
                        openapiv3::VariantOrUnknownOrEmpty::Item(
                            openapiv3::IntegerFormat::Int32,
                        ) => TypeRef::I32,
                        _ => TypeRef::I64,
                    }
                }
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Number(_))) => TypeRef::F64,
                _ => TypeRef::String,
            };
            headers.push(crate::ir::ResponseHeader {
                wire_name: name.clone(),
                rust_name: namer.claim(&snake_name(name)),
                ty,
                description: header.description.clone(),
            });
        }
    }
    Ok(headers)
}

/// List operations: a `pageNum` query parameter and a body with a `results` list.
fn pagination(types: &TypeLowering<'_>, params: &[Param], success: &Success) -> Option<Pagination> {
    let query_int = |wire: &str| {
        params.iter().position(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == wire
                && matches!(p.schema, ParamSchema::Integer { .. })
        })
    };
    let page_num = query_int("pageNum")?;
    let items_per_page = query_int("itemsPerPage").map(|i| {
        let default = match params[i].schema {
            ParamSchema::Integer {
                default: Some(d), ..
            } => d,
            // Atlas's documented page size when the parameter is absent.
            _ => 100,
        };
        (i, default)
    });
    let SuccessBody::Json(TypeRef::Named(body)) = &success.body else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &types.find(body)?.kind else {
        return None;
    };
    let results = fields.iter().find(|f| f.wire_name == "results")?;
    let TypeRef::Vec(item) = &results.ty else {
        return None;
    };
    let total_count = fields
        .iter()
        .find(|f| f.wire_name == "totalCount" && matches!(f.ty, TypeRef::I32 | TypeRef::I64));
    Some(Pagination {
        page_num,
        items_per_page,
        results_field: results.rust_name.clone(),
        results_optional: !results.required || results.nullable || results.read_only,
        total_count_field: total_count.map(|f| {
            (
                f.rust_name.clone(),
                !f.required || f.nullable || f.read_only || f.write_only,
            )
        }),
        item: (**item).clone(),
    })
}
