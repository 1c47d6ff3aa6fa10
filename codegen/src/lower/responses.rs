//! Responses → the IR: successes, errors, redirects, typed headers.

use openapiv3::{ReferenceOr, Response, StatusCode};

use super::media::{is_json, is_text, parse_date, pick_json};
use super::types::Lowering;
use crate::error::{Error, escape_token};
use std::collections::BTreeMap;

use crate::ir::{
    Alternative, Diagnostic, ErrorResponse, StatusMatch, Success, SuccessBody, TypeRef,
};
use crate::load::Spec;
use crate::naming::{Namer, snake_name};

pub(super) fn resolve_response<'a>(
    spec: &'a Spec,
    response: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<&'a Response, Error> {
    super::resolve_component(spec, response, "responses", |c| &c.responses, at).map(|(r, _)| r)
}

/// The body of one success status: the media type to ask for and what it decodes into.
type StatusBody = (String, Option<SuccessBody>);

/// The other media types a success is documented in, with their bodies.
type OtherBodies = Vec<(String, SuccessBody)>;

/// One documented success: its status, description, body (`None`: documented without
/// content) and the other media types it is documented in, with theirs.
type DocumentedSuccess = (StatusMatch, String, StatusBody, OtherBodies);

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
pub(super) fn lower_responses<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    operation: &'a openapiv3::Operation,
    at: &str,
) -> Result<Option<Responses>, Error> {
    let (spec, options) = (lowering.spec(), lowering.options());
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

    let mut successes: Vec<DocumentedSuccess> = Vec::new();
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
                    body: error_body(lowering, builder_name, status, response, &response_at),
                }),
                // 1xx never reach the caller (the HTTP stack handles them) and redirects are
                // not followed: such a status surfaces as `Error::UnexpectedStatus`.
                _ => lowering.notes().push(Diagnostic {
 kind: crate::ir::NoteKind::Response,
                    pointer: response_at,
                    message: format!(
                        "status {status} is documented but is not a success or an error; it is reported as an unexpected status"
                    ),
                }),
            }
            continue;
        }
        let Some((status_body, alternatives)) =
            success_bodies(lowering, builder_name, response, &response_at, limit)?
        else {
            return Ok(None);
        };
        successes.push((
            status,
            response.description.clone(),
            status_body,
            alternatives,
        ));
    }
    if successes.is_empty() {
        // Nothing says what success looks like: any 2xx is one, its body not decoded.
        lowering.notes().push(Diagnostic {
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
    let (body, accept) = shared_body(&successes, at, lowering.notes());
    let alternatives = alternatives(&successes, &accept);
    let headers = response_headers(spec, &success_responses, lowering.notes())?;
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

/// The body every success status with one shares, and the media type to ask for: JSON of
/// any shape when statuses document different JSON bodies, the raw response when they
/// document different kinds (each with a note at `at`); optional when some status has none.
fn shared_body(
    successes: &[DocumentedSuccess],
    at: &str,
    notes: &mut Vec<Diagnostic>,
) -> (SuccessBody, String) {
    let mut body: Option<SuccessBody> = None;
    let mut accept = successes
        .first()
        .map_or_else(|| "*/*".to_owned(), |first| first.2.0.clone());
    for (status, _, (media_type, status_body), _) in successes {
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
                let both_json = matches!(existing, SuccessBody::Json(_))
                    && matches!(status_body, SuccessBody::Json(_));
                let (merged, what) = if both_json {
                    (SuccessBody::Json(TypeRef::Json), "any JSON value")
                } else {
                    (SuccessBody::Bytes, "the raw response")
                };
                notes.push(Diagnostic {
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
    (body, accept)
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
            if !crate::http::is_token(name) {
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
            let schema = schema.and_then(|s| super::schema_or_component(spec, s));
            let ty = match schema.map(|s| &s.schema_kind) {
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Boolean(_))) => TypeRef::Bool,
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::Integer(integer))) => {
                    let int = super::integers::IntSchema::of(
                        integer,
                        schema.and_then(|s| s.schema_data.default.as_ref()),
                    );
                    TypeRef::Int(super::integers::int_type(
                        &int,
                        &format!("{header_at}/schema"),
                        diagnostics,
                    ))
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

/// What one success `response` (at `response_at`) carries: the media type `send()` asks for
/// (its JSON, else its first stream, else its first other type), that body (`None`:
/// documented without content) and the other media types with theirs. `None` when `limit`
/// (the API version) excludes every versioned JSON type it has.
fn success_bodies<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    response: &'a Response,
    response_at: &str,
    limit: Option<(u16, u8, u8)>,
) -> Result<Option<(StatusBody, OtherBodies)>, Error> {
    let media = pick_json(&response.content, limit);
    if media.is_none() && response.content.keys().any(|m| is_json(m)) {
        return Ok(None);
    }
    // Streams first (JSON lines, then events, then JSON sequences: the simpler the
    // framing, the better), then the other types in the document's order.
    let mut non_json: Vec<&String> = response.content.keys().filter(|m| !is_json(m)).collect();
    non_json.sort_by_key(|m| match crate::ir::Framing::of(m) {
        Some(crate::ir::Framing::JsonLines) => 0,
        Some(crate::ir::Framing::ServerSentEvents) => 1,
        Some(crate::ir::Framing::JsonSeq) => 2,
        None => 3,
    });
    let bodies = match (media, non_json.first()) {
        (Some((media_type, content)), _) => {
            let content_at = format!("{response_at}/content/{}", escape_token(media_type));
            let body = match &content.schema {
                None => SuccessBody::Empty,
                Some(schema) => SuccessBody::Json(lowering.type_ref_or_ref(
                    &crate::naming::operation_type_name(builder_name, "Response"),
                    schema,
                    &format!("{content_at}/schema"),
                )?),
            };
            let alternatives = non_json
                .iter()
                .map(|m| alternative(lowering, builder_name, response, response_at, m))
                .collect::<Result<_, _>>()?;
            ((media_type.clone(), Some(body)), alternatives)
        }
        (None, Some(media_type)) => {
            let (media_type, body) =
                alternative(lowering, builder_name, response, response_at, media_type)?;
            let alternatives = non_json[1..]
                .iter()
                .map(|m| alternative(lowering, builder_name, response, response_at, m))
                .collect::<Result<_, _>>()?;
            ((media_type, Some(body)), alternatives)
        }
        (None, None) => (("application/json".to_owned(), None), Vec::new()),
    };
    Ok(Some(bodies))
}

/// The type of an error response's JSON body, named after the operation and the status for
/// an inline schema (`CreatePetError422`). A schema that does not lower leaves the body
/// untyped (read as JSON), with a note: an error body never costs the operation.
fn error_body<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    status: StatusMatch,
    response: &'a Response,
    response_at: &str,
) -> Option<TypeRef> {
    let (media_type, content) = pick_json(&response.content, None)?;
    let schema = content.schema.as_ref()?;
    let suffix = match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Class(class) => format!("{class}XX"),
        StatusMatch::Default => "Default".to_owned(),
    };
    let name = crate::naming::operation_type_name(builder_name, &format!("Error{suffix}"));
    let schema_at = format!("{response_at}/content/{}/schema", escape_token(media_type));
    match lowering.type_ref_or_ref(&name, schema, &schema_at) {
        Ok(ty) => Some(ty),
        Err(error) => {
            lowering.notes().push(Diagnostic {
                kind: crate::ir::NoteKind::Response,
                pointer: schema_at,
                message: format!(
                    "the error body's schema is not typed ({}); it is read as JSON",
                    error.message
                ),
            });
            None
        }
    }
}

/// The media type `media_type` of `response` (at `response_at`), with its body.
fn alternative<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    response: &'a Response,
    response_at: &str,
    media_type: &String,
) -> Result<(String, SuccessBody), Error> {
    let content_at = format!("{response_at}/content/{}", escape_token(media_type));
    let content = &response.content[media_type];
    let body = non_json_body(lowering, builder_name, media_type, content, &content_at)?;
    Ok((media_type.clone(), body))
}

/// The body of a media type that is not JSON: a stream of items for a streaming type (the
/// schema it documents is each item's: 3.2's `itemSchema` is read into it; for events, each
/// event's `data`), text for `text/*`, bytes for the rest.
fn non_json_body<'a>(
    lowering: &mut Lowering<'a>,
    builder_name: &str,
    media_type: &str,
    content: &'a openapiv3::MediaType,
    content_at: &str,
) -> Result<SuccessBody, Error> {
    if let Some(framing) = crate::ir::Framing::of(media_type) {
        let item = match &content.schema {
            None if framing == crate::ir::Framing::ServerSentEvents => TypeRef::String,
            None => TypeRef::Json,
            Some(schema) => lowering.type_ref_or_ref(
                &crate::naming::operation_type_name(builder_name, "Item"),
                schema,
                &format!("{content_at}/schema"),
            )?,
        };
        Ok(SuccessBody::Stream(crate::ir::StreamBody { framing, item }))
    } else if is_text(media_type) {
        Ok(SuccessBody::Text)
    } else {
        Ok(SuccessBody::Bytes)
    }
}

/// The media types the successes document besides `accept` (the one `send()` decodes), once
/// each in media-type order, with the method that sends each ([`alternative_method`]; the
/// operation makes the names distinct from its setters').
fn alternatives(successes: &[DocumentedSuccess], accept: &str) -> Vec<Alternative> {
    let mut by_type: BTreeMap<&str, &SuccessBody> = BTreeMap::new();
    for (media_type, body) in successes.iter().flat_map(|s| &s.3) {
        if media_type != accept {
            by_type.entry(media_type).or_insert(body);
        }
    }
    by_type
        .into_iter()
        .map(|(media_type, body)| Alternative {
            media_type: media_type.to_owned(),
            body: body.clone(),
            method: alternative_method(media_type, body),
        })
        .collect()
}

/// `send_events` for server-sent events, `send_lines` for JSON lines and sequences, else
/// `send_` and the media subtype (`send_wav` for `audio/wav`, `send_yaml` for
/// `application/x-yaml`).
fn alternative_method(media_type: &str, body: &SuccessBody) -> String {
    match body {
        SuccessBody::Stream(stream) if stream.framing == crate::ir::Framing::ServerSentEvents => {
            "send_events".to_owned()
        }
        SuccessBody::Stream(_) => "send_lines".to_owned(),
        _ => format!("send_{}", super::media::subtype_name(media_type)),
    }
}
