//! Paths and operations → IR operations, grouped by tag.

use std::collections::BTreeMap;

use openapiv3::ReferenceOr;

use super::bodies::lower_request_body;
use super::params::{lower_param, resolve_parameter};
use super::responses::{Responses, lower_responses};
use super::types::Lowering;
use crate::error::{Error, ErrorKind, escape_token};
use crate::ir::{
    Diagnostic, Int, Operation, Pagination, Param, ParamLocation, ParamSchema, PathPart, Success,
    SuccessBody, TypeKind, TypeRef,
};
use crate::load::Spec;
use crate::naming::{Namer, snake_name, type_name, type_name_with};

/// Tag used for operations that have none.
pub(crate) const UNTAGGED: &str = "Untagged";

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
        let name = crate::refs::name_in("parameters", pointer)?;
        self.used.get(self.names.get(&name)?).cloned()
    }

    /// Marks `param` as the shared definition at `pointer`, if it is one.
    fn share(&mut self, param: &mut Param, pointer: &str) {
        let Some(name) = crate::refs::name_in("parameters", pointer) else {
            return;
        };
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

pub(crate) fn lower_operations(lowering: &mut Lowering<'_>) -> Result<Lowered, Error> {
    let (spec, options) = (lowering.spec(), lowering.options());
    let mut state = OperationState {
        shared: SharedParams::new(spec),
        namers: OperationNamers {
            fns: Namer::with_reserved(["new", "client"]),
            builders: Namer::default(),
        },
    };
    let mut out = Vec::new();
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
        // The fixed methods, then those the typed model keeps apart (`query`,
        // `additionalOperations`).
        let extension = spec
            .extension_operations
            .iter()
            .filter(|e| &e.path == path)
            .map(|e| (e.method.as_str(), e.pointer.clone(), &e.operation));
        let operations = item
            .iter()
            .map(|(method, operation)| (method, format!("{item_at}/{method}"), operation))
            .chain(extension);
        for (method, at, operation) in operations {
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
                lowering,
                &mut state,
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
        shared_params: state.shared.used.into_values().collect(),
    })
}

/// What lowering one operation leaves for the next: the shared parameters lowered so far
/// and the names taken.
struct OperationState {
    shared: SharedParams,
    namers: OperationNamers,
}

/// The parameters of an operation, from its path item's list then its own (`lists`, each
/// with its pointer): an operation's parameter overrides the path item's of the same name
/// and location, and a header the client sets itself, or that is no header name, is left
/// out with a note. Those of `#/components/parameters` are lowered once, in `shared`.
fn operation_params<'a>(
    lowering: &mut Lowering<'a>,
    shared: &mut SharedParams,
    lists: [(&'a [ReferenceOr<openapiv3::Parameter>], String); 2],
    builder_name: &str,
) -> Result<Vec<Param>, Error> {
    let spec = lowering.spec();
    let mut params: Vec<Param> = Vec::new();
    for (list, list_at) in lists {
        for (i, parameter) in list.iter().enumerate() {
            let (parameter, param_at) =
                resolve_parameter(spec, parameter, &format!("{list_at}/{i}"))?;
            if let Some((name, why)) = skipped_header(parameter) {
                lowering.notes().push(Diagnostic {
                    kind: crate::ir::NoteKind::Parameter,
                    pointer: param_at.clone(),
                    message: format!("header parameter `{name}` is left out: {why}"),
                });
                continue;
            }
            let mut param = match shared.lowered(&param_at) {
                Some(param) => param,
                None => {
                    let context = match crate::refs::name_in("parameters", &param_at) {
                        Some(name) => type_name(&name),
                        None => crate::naming::operation_type_name(
                            builder_name,
                            &type_name(&parameter_name(parameter)),
                        ),
                    };
                    lower_param(lowering, parameter, &param_at, &context)?
                }
            };
            shared.share(&mut param, &param_at);
            params.retain(|p| !(p.wire_name == param.wire_name && p.location == param.location));
            params.push(param);
        }
    }
    Ok(params)
}

/// A header parameter that is not sent, with why: one the OpenAPI specification says is
/// ignored (the client sets `Accept`, `Content-Type` and `Authorization`), or one whose name
/// HTTP does not allow.
fn skipped_header(parameter: &openapiv3::Parameter) -> Option<(&str, &'static str)> {
    let openapiv3::Parameter::Header { parameter_data, .. } = parameter else {
        return None;
    };
    let name = parameter_data.name.as_str();
    let why = if ["accept", "content-type", "authorization"]
        .contains(&name.to_ascii_lowercase().as_str())
    {
        "the OpenAPI specification says it is ignored (the client sets it)"
    } else if !crate::http::is_token(name) {
        "it is not a valid HTTP header name"
    } else {
        return None;
    };
    Some((name, why))
}

/// `None` when the operation has no version at or before `options.api_version`. `shared`
/// are its path item's parameters.
fn lower_operation<'a>(
    lowering: &mut Lowering<'a>,
    state: &mut OperationState,
    (path, method, at): (&str, &str, &str),
    shared: &'a [ReferenceOr<openapiv3::Parameter>],
    operation: &'a openapiv3::Operation,
) -> Result<Option<Operation>, Error> {
    let (spec, options) = (lowering.spec(), lowering.options());
    let OperationState {
        shared: shared_params,
        namers,
    } = state;
    let id = operation_id(method, path, operation);
    if operation
        .operation_id
        .as_deref()
        .is_none_or(|id| id.trim().is_empty())
    {
        lowering.notes().push(Diagnostic {
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
    let builder_name = namers.builders.claim(&crate::naming::builder_name(&id));

    // Operation-level parameters override path-level ones with the same name and location.
    let lists = [
        (
            shared,
            format!("{}/parameters", at.rsplit_once('/').map_or(at, |(p, _)| p)),
        ),
        (&operation.parameters[..], format!("{at}/parameters")),
    ];
    let mut params = operation_params(lowering, shared_params, lists, &builder_name)?;
    let mut setter_namer =
        Namer::with_reserved(crate::runtime_contract::BUILDER_METHODS.iter().copied());
    let mut type_namer = Namer::with_reserved([builder_name.as_str()]);
    for param in &mut params {
        param.rust_name = setter_namer.claim(&snake_name(&param.wire_name));
        param.type_name = type_namer.claim(&type_name_with(&param.wire_name, "Schema"));
    }

    let path_parts = parse_path(spec, path, &params, at)?;
    let body = lower_request_body(lowering, &builder_name, operation, at)?;
    let Some(Responses {
        mut success,
        accept,
        errors,
        redirect_success,
    }) = lower_responses(lowering, &builder_name, operation, at)?
    else {
        lowering.notes().push(Diagnostic {
            kind: crate::ir::NoteKind::Version,
            pointer: at.to_owned(),
            message: format!(
                "operation `{id}` has no API version at or before {}; it is left out",
                options.api_version.as_deref().unwrap_or_default()
            ),
        });
        return Ok(None);
    };
    // An alternative's send method is a builder method: it gives way to the setters, and a
    // body's setter for another media type to both.
    for alternative in &mut success.alternatives {
        alternative.method = setter_namer.claim(&alternative.method);
    }
    let mut body = body;
    for alternative in body.iter_mut().flat_map(|b| &mut b.alternatives) {
        alternative.method = setter_namer.claim(&alternative.method);
    }
    let mut not_generated = Vec::new();
    if !operation.callbacks.is_empty() {
        let names: Vec<&str> = operation.callbacks.keys().map(String::as_str).collect();
        not_generated.push(format!(
            "Callbacks (requests the server makes to you; not generated): {}.",
            names.join(", ")
        ));
        lowering.notes().push(Diagnostic {
            kind: crate::ir::NoteKind::Unused,
            pointer: format!("{at}/callbacks"),
            message: format!(
                "callbacks ({}) are requests the server makes to the caller; they are not generated",
                names.join(", ")
            ),
        });
    }
    for (status, response) in &operation.responses.responses {
        // A response defined once in `#/components/responses` carries its links there, and
        // the note points there (one that does not resolve is reported where the response
        // is lowered).
        let response_at = format!("{at}/responses/{}", escape_token(&status.to_string()));
        let Ok((response, response_at)) =
            super::resolve_component(spec, response, "responses", |c| &c.responses, &response_at)
        else {
            continue;
        };
        let links: Vec<&str> = response.links.keys().map(String::as_str).collect();
        if !links.is_empty() {
            not_generated.push(format!(
                "Links from status {status} (operations its response leads to): {}.",
                links.join(", ")
            ));
            lowering.notes().push(Diagnostic {
                kind: crate::ir::NoteKind::Unused,
                pointer: format!("{response_at}/links"),
                message: "links (operations a response leads to) are not generated; follow them by calling those operations".to_owned(),
            });
        }
    }
    let pagination = pagination(lowering, &params, &success);
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
        sunset: super::sunset::date(operation, at, lowering.notes()).map(|date| {
            crate::ir::Sunset {
                date,
                replacement: None,
            }
        }),
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

/// List operations: a `pageNum` query parameter and a body with a `results` list.
fn pagination(types: &Lowering<'_>, params: &[Param], success: &Success) -> Option<Pagination> {
    let query_int = |wire: &str| {
        params.iter().position(|p| {
            p.location == ParamLocation::Query
                && p.wire_name == wire
                // The pages' arithmetic is `i32`/`i64`; another width gets no stream.
                && matches!(
                    p.schema,
                    ParamSchema::Integer {
                        int: Int::I32 | Int::I64,
                        ..
                    }
                )
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
    let SuccessBody::Json(body @ TypeRef::Named(_)) = &success.body else {
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
        .find(|f| f.wire_name == "totalCount" && matches!(f.ty, TypeRef::Int(Int::I32 | Int::I64)));
    Some(Pagination {
        page_num,
        items_per_page,
        results_field: results.rust_name.clone(),
        results_optional: !results.required || results.nullable || results.read_only,
        total_count_i32: total_count.is_some_and(|f| f.ty == TypeRef::Int(Int::I32)),
        total_count_field: total_count.map(|f| {
            (
                f.rust_name.clone(),
                !f.required || f.nullable || f.read_only || f.write_only,
            )
        }),
        item: (**item).clone(),
    })
}
