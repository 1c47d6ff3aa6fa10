//! The conformance program: one call per operation with its required parameters and a
//! minimal valid body, for running against a server that validates requests against the same
//! specification (Prism). Values come from the specification's examples, enums, defaults and
//! bounds; bodies are built from the raw schemas and decoded into the SDK's typed body, so the
//! typed request path is what gets checked.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::ir::{Operation, Param, ParamLocation, ParamSchema, SuccessBody};
use crate::load::Spec;
use crate::naming::ident;

/// Values tried, in order, for a string parameter without a usable example: the first that
/// matches the parameter's pattern is used (Atlas ids are 24 hex digits; names are simple).
const CANDIDATES: &[&str] = &[
    "32b6e34b3d91647abb20e7b8",
    "Cluster0",
    "example",
    "user@example.com",
    "00000000-0000-4000-8000-000000000000",
    "us-east-1",
    "1",
    "a",
];

/// How deep minimal bodies nest before giving up on optional detail.
const MAX_DEPTH: usize = 12;

/// The source of `examples/conformance.rs` for a generated crate named `crate_name`.
pub fn conformance_program(
    spec: &Spec,
    options: &crate::Options,
    crate_name: &str,
) -> Result<String, Error> {
    let api = crate::lower::lower(spec, options)?;
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let mut functions = Vec::new();
    let mut calls = Vec::new();
    for tag in &api.tags {
        for op in &tag.operations {
            let name = format_ident!("call_{}", op.fn_name.trim_start_matches("r#"));
            let id = &op.id;
            let module = ident(&tag.module);
            let tag_type = ident(&tag.type_name);
            functions.push(call_function(
                spec,
                op,
                &name,
                quote!(#krate::#module::#tag_type),
            ));
            calls.push(quote!((#id, #name(&client).await),));
        }
    }
    let program = quote! {
        //! Calls every operation once against `BASE_URL` (the first argument) and prints one
        //! line per operation: `operationId<TAB>outcome<TAB>detail`, then a summary.
        #![allow(deprecated, reason = "every operation is called, deprecated ones included")]

        use ::atlas_sdk::runtime::serde_json;

        /// What one call came to.
        enum Outcome {
            /// A success status whose body decoded.
            Ok(u16),
            /// The server reported that the request breaks the specification.
            Violation(String),
            /// The success body did not decode into the SDK's type.
            Decode(String),
            /// The minimal body did not decode into the SDK's request type.
            Body(String),
            /// Anything else.
            Failed(String),
        }

        /// Prism's findings about the request (`location` starting with `request`); those
        /// about its own made-up response are not the SDK's doing and are ignored.
        fn violations(headers: &::atlas_sdk::runtime::HeaderMap) -> ::std::option::Option<String> {
            let text = headers.get("sl-violations")?;
            let list: Vec<serde_json::Value> = serde_json::from_slice(text.as_bytes()).unwrap_or_default();
            let request: Vec<&serde_json::Value> = list
                .iter()
                .filter(|v| v.pointer("/location/0").and_then(serde_json::Value::as_str) == Some("request"))
                .collect();
            (!request.is_empty()).then(|| serde_json::to_string(&request).unwrap_or_default())
        }

        fn check<T>(result: Result<::atlas_sdk::Response<T>, ::atlas_sdk::Error>) -> Outcome {
            match result {
                Ok(response) => match violations(&response.headers) {
                    Some(v) => Outcome::Violation(v),
                    None => Outcome::Ok(response.status.as_u16()),
                },
                Err(error) => failed(error),
            }
        }

        fn check_raw(result: Result<::atlas_sdk::RawResponse, ::atlas_sdk::Error>) -> Outcome {
            match result {
                Ok(response) => match violations(response.headers()) {
                    Some(v) => Outcome::Violation(v),
                    None => Outcome::Ok(response.status().as_u16()),
                },
                Err(error) => failed(error),
            }
        }

        fn failed(error: ::atlas_sdk::Error) -> Outcome {
            if let Some(v) = error.headers().and_then(violations) {
                return Outcome::Violation(v);
            }
            match error {
                ::atlas_sdk::Error::Decode(decode) => Outcome::Decode(decode.to_string()),
                other => Outcome::Failed(other.to_string()),
            }
        }

        fn body<T: ::atlas_sdk::runtime::serde::de::DeserializeOwned>(json: &str) -> Result<T, Outcome> {
            serde_json::from_str(json).map_err(|e| Outcome::Body(e.to_string()))
        }

        #(#functions)*

        #[tokio::main(flavor = "current_thread")]
        async fn main() {
            let base_url = std::env::args().nth(1).expect("usage: conformance BASE_URL");
            let client = ::atlas_sdk::Client::builder()
                .base_url(&base_url)
                .allow_insecure_http(true)
                .bearer_token("conformance")
                .retry(::atlas_sdk::RetryPolicy::none())
                .build()
                .expect("client");
            let results: Vec<(&str, Outcome)> = vec![#(#calls)*];
            let (mut ok, mut violation, mut decode, mut body, mut failed) = (0, 0, 0, 0, 0);
            for (id, outcome) in &results {
                let (kind, detail) = match outcome {
                    Outcome::Ok(status) => { ok += 1; ("ok", status.to_string()) }
                    Outcome::Violation(v) => { violation += 1; ("violation", v.clone()) }
                    Outcome::Decode(e) => { decode += 1; ("decode", e.clone()) }
                    Outcome::Body(e) => { body += 1; ("body", e.clone()) }
                    Outcome::Failed(e) => { failed += 1; ("failed", e.clone()) }
                };
                println!("{id}\t{kind}\t{}", detail.replace(['\n', '\t'], " "));
            }
            println!("summary\toperations={}\tok={ok}\tviolation={violation}\tdecode={decode}\tbody={body}\tfailed={failed}", results.len());
        }
    };
    let file: syn::File = syn::parse2(program).map_err(|e| Error {
        kind: crate::ErrorKind::Internal,
        file: spec.file.clone(),
        location: None,
        operation: None,
        message: format!("the conformance program does not parse ({e}); this is a generator bug"),
    })?;
    Ok(format!(
        "// @generated by atlas-codegen {} from {} (sha256 {}). Do not edit.\n\n{}",
        crate::VERSION,
        spec.file,
        spec.sha256,
        prettyplease::unparse(&file)
    ))
}

fn call_function(
    spec: &Spec,
    op: &Operation,
    name: &proc_macro2::Ident,
    tag: TokenStream,
) -> TokenStream {
    let raw_op = spec
        .raw
        .get("paths")
        .and_then(|p| p.get(&op.path))
        .and_then(|item| item.get(op.method.to_lowercase()));
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| param_value(p, raw_param(spec, raw_op, p)))
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
        setup = quote! {
            let body = match body(#text) {
                Ok(body) => body,
                Err(outcome) => return outcome,
            };
        };
        args.push(quote!(body));
    }
    let method = ident(&op.fn_name);
    let send = if op.success.body == SuccessBody::Bytes {
        quote!(check_raw(request.send().await))
    } else {
        quote!(check(request.send_with_response().await))
    };
    quote! {
        async fn #name(client: &::atlas_sdk::Client) -> Outcome {
            #setup
            let request = #tag::new(client.clone()).#method(#(#args),*);
            #send
        }
    }
}

/// The parameter's definition in the raw document (following a `$ref`).
fn raw_param<'a>(spec: &'a Spec, raw_op: Option<&'a Value>, param: &Param) -> Option<&'a Value> {
    let find = |list: Option<&'a Value>| {
        list.and_then(Value::as_array)?
            .iter()
            .map(|p| resolve(spec, p))
            .find(|p| {
                p.get("name").and_then(Value::as_str) == Some(param.wire_name.as_str())
                    && p.get("in").and_then(Value::as_str)
                        == Some(match param.location {
                            ParamLocation::Path => "path",
                            ParamLocation::Query => "query",
                        })
            })
    };
    find(raw_op.and_then(|o| o.get("parameters")))
}

/// Follows `$ref`s within the document.
fn resolve<'a>(spec: &'a Spec, value: &'a Value) -> &'a Value {
    let mut value = value;
    for _ in 0..16 {
        match value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| spec.raw.pointer(p))
        {
            Some(target) => value = target,
            None => break,
        }
    }
    value
}

/// A Rust expression for a valid value of `param`.
fn param_value(param: &Param, raw: Option<&Value>) -> TokenStream {
    let example = raw.and_then(|p| {
        p.get("example")
            .or_else(|| p.get("schema").and_then(|s| s.get("example")))
    });
    let enum_first = raw
        .and_then(|p| p.get("schema"))
        .and_then(|s| {
            s.get("enum")
                .or_else(|| s.get("items").and_then(|i| i.get("enum")))
        })
        .and_then(|e| e.get(0));
    scalar(&param.schema, example, enum_first)
}

fn scalar(
    schema: &ParamSchema,
    example: Option<&Value>,
    enum_first: Option<&Value>,
) -> TokenStream {
    match schema {
        ParamSchema::Bool { default } => {
            let value = example
                .and_then(Value::as_bool)
                .or(*default)
                .unwrap_or(true);
            quote!(#value)
        }
        ParamSchema::Integer {
            int32,
            bounds,
            default,
        } => {
            let value = example
                .and_then(Value::as_i64)
                .or(*default)
                .or(bounds.min.map(|(m, e)| if e { m + 1 } else { m }))
                .unwrap_or(1);
            if *int32 {
                let value = i32::try_from(value).unwrap_or(1);
                quote!(#value)
            } else {
                quote!(#value)
            }
        }
        ParamSchema::Number { bounds, default } => {
            let value = example
                .and_then(Value::as_f64)
                .or(*default)
                .or(bounds.min.map(|(m, _)| m + 1.0))
                .unwrap_or(1.0);
            quote!(#value)
        }
        ParamSchema::DateTime => quote!(::atlas_sdk::time::OffsetDateTime::UNIX_EPOCH),
        ParamSchema::String {
            default, pattern, ..
        } => {
            let regex = pattern.as_deref().and_then(|p| regress::Regex::new(p).ok());
            let fits = |v: &str| regex.as_ref().is_none_or(|r| r.find(v).is_some());
            let value = example
                .and_then(Value::as_str)
                .map(str::to_owned)
                .into_iter()
                .chain(default.clone())
                .chain(CANDIDATES.iter().map(|c| (*c).to_owned()))
                .find(|v| fits(v))
                .unwrap_or_else(|| "example".to_owned());
            quote!(#value)
        }
        ParamSchema::Enum { default, .. } => {
            let value = example
                .and_then(Value::as_str)
                .or(enum_first.and_then(Value::as_str))
                .map(str::to_owned)
                .or_else(|| default.clone())
                .unwrap_or_default();
            quote!(#value)
        }
        ParamSchema::Array { item } => {
            let example = example.and_then(|e| e.as_array().and_then(|a| a.first()).or(Some(e)));
            let value = scalar(item, example, enum_first);
            quote!([#value])
        }
    }
}

/// The smallest JSON value the schema accepts: required properties only, each filled from
/// its example, enum, default or bounds; the first variant of a union.
fn minimal(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if depth > MAX_DEPTH {
        return json!({});
    }
    if schema.get("allOf").is_some() {
        let mut properties = Map::new();
        let mut required = Vec::new();
        collect(spec, schema, &mut properties, &mut required, 0);
        let merged = json!({"properties": properties, "required": required});
        return object(spec, &merged, depth);
    }
    let discriminator = schema.get("discriminator");
    let mapping = discriminator
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object);
    let property = discriminator
        .and_then(|d| d.get("propertyName"))
        .and_then(Value::as_str);
    let members = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array);
    if let (Some(mapping), Some(property)) = (mapping, property)
        && let Some((value, target)) = mapping.iter().next()
        && let Some(target) = target.as_str()
    {
        let target_schema = target.strip_prefix('#').and_then(|p| spec.raw.pointer(p));
        let mut chosen = match target_schema {
            Some(t) if !std::ptr::eq(t, schema) => minimal(spec, t, depth + 1),
            _ => object(spec, schema, depth),
        };
        if let Value::Object(map) = &mut chosen {
            map.insert(property.to_owned(), json!(value));
        }
        return chosen;
    }
    if let Some(first) = members.and_then(|m| m.first()) {
        return minimal(spec, first, depth + 1);
    }
    if let Some(example) = schema.get("example")
        && !example.is_null()
        && !example.is_object()
    {
        return example.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "2024-01-01T00:00:00Z".to_owned(),
            Some("date") => "2024-01-01".to_owned(),
            Some("email") => "user@example.com".to_owned(),
            Some("uuid") => "00000000-0000-4000-8000-000000000000".to_owned(),
            _ => {
                let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
                "x".repeat(usize::try_from(min.max(1)).unwrap_or(1))
            }
        }),
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_f64)
                .map_or(1, |m| m.ceil() as i64)
        ),
        Some("number") => json!(schema.get("minimum").and_then(Value::as_f64).unwrap_or(1.0)),
        Some("boolean") => json!(true),
        Some("array") => {
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            match schema.get("items") {
                Some(items) if min > 0 => json!([minimal(spec, items, depth + 1)]),
                _ => json!([]),
            }
        }
        _ => object(spec, schema, depth),
    }
}

/// An object with the schema's required, writable properties.
fn object(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let mut map = Map::new();
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array);
    if let (Some(properties), Some(required)) = (properties, required) {
        for name in required.iter().filter_map(Value::as_str) {
            let Some(property) = properties.get(name) else {
                continue;
            };
            let resolved = resolve(spec, property);
            if resolved.get("readOnly").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            map.insert(name.to_owned(), minimal(spec, property, depth + 1));
        }
    }
    Value::Object(map)
}

/// Properties and required names of a schema and its `allOf` members (a polymorphic parent
/// contributes its own properties, not a variant).
fn collect(
    spec: &Spec,
    schema: &Value,
    properties: &mut Map<String, Value>,
    required: &mut Vec<Value>,
    depth: usize,
) {
    let schema = resolve(spec, schema);
    if depth > MAX_DEPTH {
        return;
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect(spec, member, properties, required, depth + 1);
    }
    if let Some(own) = schema.get("properties").and_then(Value::as_object) {
        properties.extend(own.clone());
    }
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if !required.contains(name) {
            required.push(name.clone());
        }
    }
}
