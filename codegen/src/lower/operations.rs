//! Paths and operations → IR operations, grouped by tag.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::params::{lower_param, resolve_parameter};
use super::types::TypeLowering;
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    Diagnostic, ErrorResponse, Operation, Pagination, Param, ParamLocation, ParamSchema, PathPart,
    RequestBody, Success, SuccessBody, TypeKind, TypeRef,
};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name};

/// Names every builder has besides the parameter setters.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "timeout",
    "accept",
    "send",
    "send_with_response",
    "send_raw",
    "into_request",
    "into_stream",
];

/// Tag used for operations that have none.
pub(crate) const UNTAGGED: &str = "Default";

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
            .map(|name| {
                (
                    name.clone(),
                    namer.claim(&format!("{}Schema", type_name(name))),
                )
            })
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
    let mut fn_namer = Namer::with_reserved(["new", "client"]);
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
            let id = operation.operation_id.clone().unwrap_or_default();
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
                &mut fn_namer,
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
    fn_namer: &mut Namer,
    (path, method, at): (&str, &str, &str),
    shared: &'a [ReferenceOr<openapiv3::Parameter>],
    operation: &'a openapiv3::Operation,
) -> Result<Option<Operation>, Error> {
    let id = operation.operation_id.clone().unwrap_or_default();
    // Method names are unique across the crate, not only within a tag, so an operation keeps
    // its name if it moves between tags.
    let fn_name = fn_namer.claim(&snake_name(&id));
    let builder_name = format!("{}Request", type_name(&id));

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
        param.type_name = type_namer.claim(&format!("{}Schema", type_name(&param.wire_name)));
    }

    let path_parts = parse_path(spec, path, &params, at)?;
    let body = lower_request_body(spec, options, types, &builder_name, operation, at)?;
    let Some((success, accept, errors)) = lower_responses(
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
            pointer: at.to_owned(),
            message: format!(
                "operation `{id}` has no API version at or before {}; it is left out",
                options.api_version.as_deref().unwrap_or_default()
            ),
        });
        return Ok(None);
    };
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
        body,
    }))
}

/// The JSON request body, in the newest version not later than `options.api_version`.
fn lower_request_body<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<RequestBody>, Error> {
    let Some(body) = &operation.request_body else {
        return Ok(None);
    };
    let body_at = format!("{at}/requestBody");
    let (body, _) =
        super::resolve_component(spec, body, "requestBodies", |c| &c.request_bodies, &body_at)?;
    let limit = options.api_version.as_deref().and_then(parse_date);
    let Some((media_type, content)) = pick_json(&body.content, limit) else {
        let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
        return Err(Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            &body_at,
            format!("request bodies of type {kinds:?} are not supported yet (JSON bodies are)"),
        ));
    };
    let content_at = format!("{body_at}/content/{}/schema", escape_token(media_type));
    let Some(schema) = &content.schema else {
        return Err(Error::at(
            ErrorKind::Structure,
            &spec.file,
            &content_at,
            "the request body has no schema",
        ));
    };
    let ty = types.type_ref_or_ref(
        &format!("{}Body", builder_name.trim_end_matches("Request")),
        schema,
        &content_at,
    )?;
    Ok(Some(RequestBody {
        media_type: media_type.clone(),
        ty,
        required: body.required,
        description: body.description.clone(),
    }))
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

fn is_json(media_type: &str) -> bool {
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

/// `None` when `options.api_version` excludes every versioned success media type.
fn lower_responses<'a>(
    spec: &'a Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'a>,
    diagnostics: &mut Vec<Diagnostic>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<(Success, String, Vec<ErrorResponse>)>, Error> {
    let limit = options.api_version.as_deref().and_then(parse_date);
    // (status, description, accept, body: None = documented without content)
    let mut successes: Vec<(u16, String, StatusBody, Vec<String>)> = Vec::new();
    let mut errors = Vec::new();
    for (status, response) in &operation.responses.responses {
        let code = match status {
            StatusCode::Code(code) => *code,
            StatusCode::Range(_) => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &spec.file,
                    format!("{at}/responses/{status}"),
                    "status ranges (`2XX`) are not supported",
                ));
            }
        };
        let response_at = format!("{at}/responses/{code}");
        let response = resolve_response(spec, response, &response_at)?;
        if code >= 400 {
            errors.push(ErrorResponse {
                status: code,
                description: response.description.clone(),
            });
            continue;
        }
        if !(200..300).contains(&code) {
            // 1xx never reach the caller (the HTTP stack handles them) and redirects are not
            // followed: such a status surfaces as `Error::UnexpectedStatus`.
            diagnostics.push(Diagnostic {
                pointer: response_at,
                message: format!(
                    "status {code} is documented but is not a success or an error; it is reported as an unexpected status"
                ),
            });
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
            code,
            response.description.clone(),
            (accept, body),
            alternatives,
        ));
    }
    if operation.responses.default.is_some() {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            format!("{at}/responses/default"),
            "`default` responses are not supported",
        ));
    }
    let Some(first) = successes.first() else {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            format!("{at}/responses"),
            "the operation documents no success (2xx) response",
        ));
    };
    // The body type: the one every status with a body shares.
    let mut body: Option<&SuccessBody> = None;
    let mut accept = first.2.0.clone();
    for (code, _, (media_type, status_body), _) in &successes {
        let Some(status_body) = status_body.as_ref().filter(|b| **b != SuccessBody::Empty) else {
            continue;
        };
        match body {
            None => {
                body = Some(status_body);
                accept = media_type.clone();
            }
            Some(existing) if existing == status_body => {}
            Some(_) => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &spec.file,
                    format!("{at}/responses/{code}"),
                    "success statuses with different body types are not supported",
                ));
            }
        }
    }
    let some_without_body = successes
        .iter()
        .any(|(_, _, (_, b), _)| b.as_ref().is_none_or(|b| *b == SuccessBody::Empty));
    let body = match body {
        None => SuccessBody::Empty,
        Some(SuccessBody::Json(ty)) if some_without_body => SuccessBody::OptionalJson(ty.clone()),
        Some(other) => other.clone(),
    };
    let mut alternatives: Vec<String> = successes.iter().flat_map(|s| s.3.clone()).collect();
    alternatives.sort();
    alternatives.dedup();
    let success = Success {
        status: first.0,
        description: first.1.clone(),
        body,
        other_statuses: successes[1..]
            .iter()
            .map(|(code, description, _, _)| (*code, description.clone()))
            .collect(),
        alternatives,
    };
    Ok(Some((success, accept, errors)))
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
