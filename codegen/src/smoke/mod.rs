//! The conformance program: one call per operation with its required parameters and a
//! minimal valid body, for running against a server that validates requests against the same
//! specification (Prism). Values come from the specification's examples, enums, defaults and
//! bounds; bodies are built from the raw schemas and decoded into the SDK's typed body, so the
//! typed request path is what gets checked.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Value, json};

use crate::error::Error;
use crate::ir::{Operation, Param, SuccessBody};
use crate::load::Spec;
use crate::naming::ident;

mod auth;
mod pattern;
mod program;
mod round_trips;
mod schema_check;
mod values;

use crate::runtime_contract::RT;
use values::{ParamValues, minimal};

pub use round_trips::{RoundTripProgram, round_trip_program};

/// The conformance program of a generated crate named `crate_name`
/// (`examples/conformance.rs`).
pub fn conformance_program(
    spec: &Spec,
    options: &crate::Options,
    crate_name: &str,
) -> Result<String, Error> {
    let api = crate::lower::lower(spec, options)?;
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let values = ParamValues {
        spec,
        models: crate::emit::types::Models::at(&api.types, quote!(#krate)),
    };
    let round_trips = round_trips::round_trips(spec, &values.models);
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    for tag in &api.tags {
        for op in &tag.operations {
            let name = format_ident!("call_{}", op.fn_name.trim_start_matches("r#"));
            let id = &op.id;
            let module = ident(&tag.module);
            let tag_type = ident(&tag.type_name);
            functions.push(call_function(
                &values,
                op,
                &name,
                quote!(#krate::#module::#tag_type),
            ));
            calls.push(quote!((#id, ::std::boxed::Box::pin(#name(&base_url)) as Pending<'_>),));
        }
    }
    // A document of webhooks only calls nothing, yet takes the same argument.
    let no_calls = calls_are_none(&calls);
    let shared = program::shared_items();
    let program = quote! {
        //! Calls every operation once against `BASE_URL` (the first argument), then decodes
        //! and encodes again every example of the document's unions, and prints one line per
        //! check: `operationId<TAB>outcome<TAB>detail`, then a summary.
        #![allow(deprecated, reason = "every operation is called, deprecated ones included")]
        #![allow(dead_code, reason = "a small spec needs only some of the helpers")]

        #shared

        /// Prism's findings about the request (`location` starting with `request`); those
        /// about its own made-up response are not the SDK's doing and are ignored.
        fn violations(headers: &#RT::runtime::HeaderMap) -> ::std::option::Option<String> {
            let text = headers.get("sl-violations")?;
            let list: Vec<serde_json::Value> = serde_json::from_slice(text.as_bytes()).unwrap_or_default();
            let request: Vec<&serde_json::Value> = list
                .iter()
                .filter(|v| v.pointer("/location/0").and_then(serde_json::Value::as_str) == Some("request"))
                .collect();
            (!request.is_empty()).then(|| serde_json::to_string(&request).unwrap_or_default())
        }

        fn check<T, H>(result: Result<#RT::Response<T, H>, #RT::Error>) -> Outcome {
            match result {
                Ok(response) => match violations(&response.headers) {
                    Some(v) => Outcome::Violation(v),
                    None => Outcome::Ok(response.status.as_u16()),
                },
                Err(error) => failed(error),
            }
        }

        fn check_raw(result: Result<#RT::RawResponse, #RT::Error>) -> Outcome {
            match result {
                Ok(response) => match violations(response.headers()) {
                    Some(v) => Outcome::Violation(v),
                    None => Outcome::Ok(response.status().as_u16()),
                },
                Err(error) => failed(error),
            }
        }

        fn failed(error: #RT::Error) -> Outcome {
            if let Some(v) = error.headers().and_then(violations) {
                return Outcome::Violation(v);
            }
            // Prism answers 422 with its findings in the body when the operation documents
            // no response for invalid requests.
            if let #RT::Error::UnexpectedStatus(unexpected) = &error
                && unexpected.status.as_u16() == 422
                && let Ok(problem) = serde_json::from_slice::<serde_json::Value>(&unexpected.body)
                && let Some(found) = problem.get("validation")
            {
                return Outcome::Violation(found.to_string());
            }
            match error {
                #RT::Error::Decode(decode) => Outcome::Decode(decode.to_string()),
                other => Outcome::Failed(other.to_string()),
            }
        }

        /// `json` decoded as `T`, or the outcome that says it does not decode. (Not `body`:
        /// a call's request body is a local of that name.)
        fn decoded<T: #RT::runtime::serde::de::DeserializeOwned>(json: &str) -> Result<T, Outcome> {
            serde_json::from_str(json).map_err(|e| Outcome::Body(e.to_string()))
        }

        /// One call, not yet run.
        type Pending<'a> = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = Outcome> + 'a>>;

        /// The credentials a call sends: what its operation's `security` accepts.
        enum Auth {
            None,
            Bearer,
            Basic,
            ApiKey(#RT::ApiKeyLocation, &'static str),
        }

        /// A client for one call, carrying the credentials its operation accepts.
        fn client(base_url: &str, auth: Auth) -> #RT::Client {
            let builder = #RT::Client::builder()
                .base_url(base_url)
                .allow_insecure_http(true)
                .retry(#RT::RetryPolicy::none());
            let builder = match auth {
                Auth::None => builder,
                Auth::Bearer => builder.bearer_token("conformance"),
                Auth::Basic => builder.basic_auth("conformance", "conformance"),
                Auth::ApiKey(location, name) => builder.api_key(location, name, "conformance"),
            };
            builder.build().expect("client")
        }

        #(#functions)*

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let base_url = std::env::args().nth(1).expect("usage: conformance BASE_URL");
            // Each call's future boxed and awaited in turn: one state machine holding every
            // call would take rustc minutes and gigabytes on a document of hundreds.
            #no_calls
            let calls: Vec<(&str, Pending<'_>)> = vec![#(#calls)*];
            let mut results: Vec<(&str, Outcome)> = Vec::with_capacity(calls.len());
            for (id, call) in calls {
                results.push((id, call.await));
            }
            results.extend(vec![#(#round_trips)*]);
            report(&results);
        }
    };
    program::finish(spec, program, "conformance program")
}

fn call_function(
    values: &ParamValues,
    op: &Operation,
    name: &proc_macro2::Ident,
    tag: TokenStream,
) -> TokenStream {
    let spec = values.spec;
    let raw_item = spec.raw.get("paths").and_then(|p| p.get(&op.path));
    let raw_op = raw_item.and_then(|item| crate::upgrade::operation_of(item, &op.method));
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| values.param_value(p, raw_param(spec, raw_item, raw_op, p)))
        .collect();
    let mut setup = TokenStream::new();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let schema = raw_op
            .and_then(|o| o.get("requestBody"))
            .map(|b| resolve(spec, b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get(&body.media_type))
            .and_then(|m| m.get("schema"));
        let json = schema.map_or(json!({}), |s| minimal(spec, s, 0));
        let text = Literal::string(&json.to_string());
        setup = match body.encoding {
            crate::ir::BodyEncoding::Json | crate::ir::BodyEncoding::Form(_) => quote! {
                let body = match decoded(#text) {
                    Ok(body) => body,
                    Err(outcome) => return outcome,
                };
            },
            crate::ir::BodyEncoding::Text | crate::ir::BodyEncoding::Binary => quote! {
                let body = #text;
            },
            crate::ir::BodyEncoding::Multipart(_) => {
                let parts = schema.map(|s| multipart_parts(spec, s)).unwrap_or_default();
                quote! {
                    let body = #RT::Multipart::new() #(#parts)*;
                }
            }
        };
        args.push(quote!(body));
    }
    let method = ident(&op.fn_name);
    let send = if op.success.body == SuccessBody::Bytes {
        quote!(check_raw(request.send().await))
    } else {
        quote!(check(request.send_with_response().await))
    };
    let auth = auth::operation_auth(spec, raw_op).tokens();
    quote! {
        async fn #name(base_url: &str) -> Outcome {
            #setup
            let client = client(base_url, #auth);
            let request = #tag::new(client).#method(#(#args),*);
            #send
        }
    }
}

/// The parts a multipart form requires: a file for each binary property, text (its minimal
/// value) for the others.
fn multipart_parts(spec: &Spec, schema: &Value) -> Vec<TokenStream> {
    let schema = resolve(spec, schema);
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array);
    let (Some(properties), Some(required)) = (properties, required) else {
        return Vec::new();
    };
    required
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|name| {
            let property = resolve(spec, properties.get(name)?);
            let binary = matches!(
                property.get("format").and_then(Value::as_str),
                Some("binary" | "byte")
            ) || property.get("type").and_then(Value::as_str) == Some("file");
            Some(if binary {
                quote!(.file(#name, "conformance.bin", "application/octet-stream", &b"conformance"[..]))
            } else {
                let value = match minimal(spec, property, 1) {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                quote!(.text(#name, #value))
            })
        })
        .collect()
}

/// The parameter's definition in the raw document (following a `$ref`): the operation's own,
/// else the one its path item declares for all its operations.
fn raw_param<'a>(
    spec: &'a Spec,
    raw_item: Option<&'a Value>,
    raw_op: Option<&'a Value>,
    param: &Param,
) -> Option<&'a Value> {
    let find = |list: Option<&'a Value>| {
        list.and_then(Value::as_array)?
            .iter()
            .map(|p| resolve(spec, p))
            .find(|p| {
                p.get("name").and_then(Value::as_str) == Some(param.wire_name.as_str())
                    && p.get("in").and_then(Value::as_str) == Some(param.location.as_str())
            })
    };
    find(raw_op.and_then(|o| o.get("parameters")))
        .or_else(|| find(raw_item.and_then(|item| item.get("parameters"))))
}

/// `let _ = &base_url;` when there is no call to send it to (a document of webhooks only).
fn calls_are_none(calls: &[TokenStream]) -> TokenStream {
    if calls.is_empty() {
        quote!(let _ = &base_url;)
    } else {
        TokenStream::new()
    }
}

/// Follows `$ref`s within the document.
pub(crate) fn resolve<'a>(spec: &'a Spec, value: &'a Value) -> &'a Value {
    crate::refs::follow(&spec.raw, value).0
}
