//! Paths and operations → IR operations, grouped by tag.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::params::{lower_param, resolve_parameter};
use super::types::TypeLowering;
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    Diagnostic, ErrorResponse, Operation, Param, ParamLocation, PathPart, RequestBody, Success,
    SuccessBody,
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

pub(crate) fn lower_operations(
    spec: &Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'_>,
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
fn lower_operation(
    spec: &Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'_>,
    diagnostics: &mut Vec<Diagnostic>,
    shared_params: &mut SharedParams,
    fn_namer: &mut Namer,
    (path, method, at): (&str, &str, &str),
    shared: &[ReferenceOr<openapiv3::Parameter>],
    operation: &openapiv3::Operation,
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
            let mut param = lower_param(spec, parameter, &param_at, diagnostics)?;
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
    let Some((success, accept, errors)) =
        lower_responses(spec, options, types, &builder_name, operation, at)?
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
        errors,
        body,
    }))
}

/// The JSON request body, in the newest version not later than `options.api_version`.
fn lower_request_body(
    spec: &Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'_>,
    builder_name: &str,
    operation: &openapiv3::Operation,
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

/// `None` when `options.api_version` excludes every versioned success media type.
fn lower_responses(
    spec: &Spec,
    options: &crate::Options,
    types: &mut TypeLowering<'_>,
    builder_name: &str,
    operation: &openapiv3::Operation,
    at: &str,
) -> Result<Option<(Success, String, Vec<ErrorResponse>)>, Error> {
    let limit = options.api_version.as_deref().and_then(parse_date);
    let mut success: Option<(Success, String)> = None;
    let mut errors = Vec::new();
    for (status, response) in &operation.responses.responses {
        let code = match status {
            StatusCode::Code(code) => *code,
            StatusCode::Range(_) => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &spec.file,
                    format!("{at}/responses/{status}"),
                    "status ranges (`2XX`) are not supported yet",
                ));
            }
        };
        let response_at = format!("{at}/responses/{code}");
        let response = resolve_response(spec, response, &response_at)?;
        if !(200..300).contains(&code) {
            errors.push(ErrorResponse {
                status: code,
                description: response.description.clone(),
            });
            continue;
        }
        if success.is_some() {
            return Err(Error::at(
                ErrorKind::Unsupported,
                &spec.file,
                &response_at,
                "more than one success status is not supported yet",
            ));
        }
        // Atlas lists one versioned media type per operation; if there are several, the
        // newest (greatest) version wins.
        let media = pick_json(&response.content, limit);
        if media.is_none() && response.content.keys().any(|m| is_json(m)) {
            return Ok(None);
        }
        let non_json = response.content.keys().find(|m| !is_json(m));
        let (body, accept) = match (media, non_json) {
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
                (body, media_type.clone())
            }
            (None, Some(media_type)) => {
                return Err(Error::at(
                    ErrorKind::Unsupported,
                    &spec.file,
                    format!("{response_at}/content/{}", escape_token(media_type)),
                    format!("success bodies of type `{media_type}` are not supported yet"),
                ));
            }
            (None, None) => (SuccessBody::Empty, "application/json".to_owned()),
        };
        success = Some((
            Success {
                status: code,
                description: response.description.clone(),
                body,
            },
            accept,
        ));
    }
    if operation.responses.default.is_some() {
        return Err(Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            format!("{at}/responses/default"),
            "`default` responses are not supported yet",
        ));
    }
    let (success, accept) = success.ok_or_else(|| {
        Error::at(
            ErrorKind::Unsupported,
            &spec.file,
            format!("{at}/responses"),
            "the operation documents no success (2xx) response",
        )
    })?;
    Ok(Some((success, accept, errors)))
}
