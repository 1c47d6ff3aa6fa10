//! Tags and operations → a module per tag, a module per operation with its parameter types
//! and request builder, and the client's accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::Module;
use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::params::{schema_type_or_reexport, shape};
use super::types::rust_type;
use crate::ir::{
    Api, BodyEncoding, Operation, Pagination, Param, ParamLocation, ParamSchema, ParamStyle,
    PathPart, RequestBody, StatusMatch, SuccessBody, Tag,
};
use crate::naming::ident;

fn tag_cfg(tag: &Tag, features: bool) -> TokenStream {
    if features {
        let feature = super::features::feature_name(&tag.module);
        quote!(#[cfg(feature = #feature)])
    } else {
        TokenStream::new()
    }
}

/// `client.access_tracking()` and its siblings.
pub(crate) fn client_accessors(api: &Api, features: bool) -> TokenStream {
    let accessors = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        let docs = doc(&format!("Operations of the **{}** tag.", tag.name));
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> self::#module::#ty {
                self::#module::#ty::new(::std::clone::Clone::clone(self))
            }
        }
    });
    quote! {
        impl ::atlas_sdk::Client {
            #(#accessors)*
        }
    }
}

/// The same accessors as a trait, for a crate other than `atlas-sdk` (which cannot add
/// inherent methods to `atlas_sdk::Client`): `use <crate>::ClientExt;`.
pub(crate) fn client_trait(api: &Api, features: bool) -> TokenStream {
    let declarations = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        let docs = doc(&format!("Operations of the **{}** tag.", tag.name));
        quote! {
            #docs
            #cfg
            fn #module(&self) -> self::#module::#ty;
        }
    });
    let implementations = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        quote! {
            #cfg
            fn #module(&self) -> self::#module::#ty {
                self::#module::#ty::new(::std::clone::Clone::clone(self))
            }
        }
    });
    quote! {
        /// One accessor per tag on [`atlas_sdk::Client`](::atlas_sdk::Client), e.g.
        /// `client.clusters()`.
        pub trait ClientExt {
            #(#declarations)*
        }

        impl ClientExt for ::atlas_sdk::Client {
            #(#implementations)*
        }
    }
}

/// A tag's module as the index tree sees it: only what its parent declares.
pub(crate) fn tag_stub(tag: &Tag, features: bool) -> Module {
    Module::stub(tag.module.clone(), true, tag_cfg(tag, features))
}

pub(crate) fn tag_module(tag: &Tag, features: bool) -> Module {
    let ty = ident(&tag.type_name);
    let methods = tag.operations.iter().map(tag_method);
    let reexports = tag.operations.iter().map(|op| {
        let module = ident(&operation_module_name(op));
        let builder = ident(&op.builder_name);
        quote!(pub use self::#module::#builder;)
    });
    let type_doc = doc(&format!(
        "Operations of the **{}** tag. Get one with `client.{}()`.",
        tag.name, tag.module
    ));
    let items = quote! {
        #(#reexports)*

        #type_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #ty {
            client: ::atlas_sdk::Client,
        }

        impl #ty {
            /// Groups this tag's operations over `client`.
            pub fn new(client: ::atlas_sdk::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }
    };
    Module {
        name: tag.module.clone(),
        public: true,
        own_file: true,
        doc: inner_doc(&paragraphs([
            Some(tag.name.as_str()),
            spec_text(tag.description.as_deref()).as_deref(),
        ])),
        items,
        children: tag.operations.iter().map(operation_module).collect(),
        cfg: tag_cfg(tag, features),
    }
}

fn required_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

/// The builder's constructor arguments: required parameters, then a required body. `models`
/// is the path to the models module from where the arguments are written.
fn constructor_args(op: &Operation, models: &TokenStream) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut names = Vec::new();
    for p in required_params(op) {
        let arg = ident(&p.rust_name);
        let input = shape(p, models).input;
        args.push(quote!(#arg: #input));
        names.push(quote!(#arg));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = body_input(body, models);
        args.push(quote!(body: #ty));
        names.push(quote!(body));
    }
    (args, names)
}

/// What a caller passes as the body: the model itself, or anything that converts into the
/// text or bytes of a text or binary body.
fn body_input(body: &RequestBody, models: &TokenStream) -> TokenStream {
    let ty = rust_type(&body.ty, models);
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => ty,
        BodyEncoding::Text | BodyEncoding::Binary => quote!(impl ::std::convert::Into<#ty>),
    }
}

/// The expression turning the input `body` into the stored body.
fn body_convert(body: &RequestBody) -> TokenStream {
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => quote!(body),
        BodyEncoding::Text | BodyEncoding::Binary => quote!(::std::convert::Into::into(body)),
    }
}

/// The statement putting `value` (an expression of the body's type) into `request`.
fn body_statement(body: &RequestBody, value: TokenStream, by_ref: bool) -> TokenStream {
    let media_type = &body.media_type;
    let reference = if by_ref { quote!() } else { quote!(&) };
    match &body.encoding {
        BodyEncoding::Json => quote!(request.set_json_body(#media_type, #reference #value)?;),
        BodyEncoding::Form(encodings) => {
            let encodings = encodings.iter().map(|e| {
                let name = &e.property;
                let style = style_tokens(e.style, e.explode, false);
                let json = e.json;
                quote!(::atlas_sdk::runtime::FieldEncoding::new(#name, #style, #json))
            });
            quote!(request.set_form_body(#media_type, #reference #value, &[#(#encodings),*])?;)
        }
        BodyEncoding::Multipart(_) => quote!(request.set_multipart_body(#reference #value);),
        BodyEncoding::Text => {
            let owned = if by_ref {
                quote!(::std::clone::Clone::clone(#value))
            } else {
                value
            };
            quote!(request.set_body(#media_type, ::atlas_sdk::runtime::Bytes::from(#owned));)
        }
        BodyEncoding::Binary => {
            let owned = if by_ref {
                quote!(::std::clone::Clone::clone(#value))
            } else {
                value
            };
            quote!(request.set_body(#media_type, #owned);)
        }
    }
}

/// Whether the parameter is written the way `push_query` / `push_segment` write it: the
/// default style of its location, and (for a path) a single value.
fn default_style(p: &Param) -> bool {
    match p.location {
        ParamLocation::Query => p.style == ParamStyle::Form && p.explode && !p.allow_reserved,
        ParamLocation::Path => {
            p.style == ParamStyle::Simple
                && !matches!(
                    p.schema,
                    ParamSchema::Array { .. } | ParamSchema::Value { .. }
                )
        }
        ParamLocation::Header | ParamLocation::Cookie => false,
    }
}

/// The `PreparedRequest` method that adds a query, header or cookie parameter.
fn push_call(p: &Param) -> TokenStream {
    match p.location {
        ParamLocation::Query if default_style(p) => quote!(request.push_query),
        ParamLocation::Query | ParamLocation::Path => quote!(request.push_query_styled),

        ParamLocation::Header => quote!(request.push_header),
        ParamLocation::Cookie => quote!(request.push_cookie),
    }
}

/// `, <style>` after the value, unless the call assumes the default; a `?` for the calls
/// that check the value.
fn style_argument(p: &Param) -> TokenStream {
    if p.location == ParamLocation::Query && default_style(p) {
        return quote!();
    }
    let style = style_tokens(p.style, p.explode, p.allow_reserved);
    quote!(, #style)
}

/// `raw_body`, for bodies the specification offers in other media types too (or whose media
/// type carries a parameter the caller chooses, like a multipart boundary).
fn raw_body_setter(body: &RequestBody) -> TokenStream {
    if body.alternatives.is_empty() {
        return TokenStream::new();
    }
    let list: Vec<String> = body.alternatives.iter().map(|m| format!("`{m}`")).collect();
    let docs = doc(&paragraphs([
        Some(
            "Sends `body` as it is, with `media_type` as its `Content-Type`, instead of the typed body.",
        ),
        (!list.is_empty())
            .then(|| format!("The specification also accepts {}.", list.join(", ")))
            .as_deref(),
    ]));
    quote! {
        #docs
        pub fn raw_body(
            mut self,
            media_type: impl ::std::convert::Into<::std::string::String>,
            body: impl ::std::convert::Into<::atlas_sdk::runtime::Bytes>,
        ) -> Self {
            self.options.set_raw_body(::std::convert::Into::into(media_type), ::std::convert::Into::into(body));
            self
        }
    }
}

/// `::atlas_sdk::runtime::Style::form(true)` and its siblings.
pub(crate) fn style_tokens(style: ParamStyle, explode: bool, allow_reserved: bool) -> TokenStream {
    let constructor = ident(match style {
        ParamStyle::Form => "form",
        ParamStyle::Simple => "simple",
        ParamStyle::Label => "label",
        ParamStyle::Matrix => "matrix",
        ParamStyle::SpaceDelimited => "space_delimited",
        ParamStyle::PipeDelimited => "pipe_delimited",
        ParamStyle::DeepObject => "deep_object",
    });
    let reserved = allow_reserved.then(|| quote!(.allow_reserved()));
    quote!(::atlas_sdk::runtime::Style::#constructor(#explode) #reserved)
}

fn tag_method(op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let module = ident(&operation_module_name(op));
    let builder = ident(&op.builder_name);
    let (args, arg_names) = constructor_args(op, &quote!(super::models));
    let docs = doc(&paragraphs([
        spec_text(op.summary.as_deref()).as_deref(),
        Some(format!("`{} {}` — see [`{}`].", op.method, op.path, op.builder_name).as_str()),
    ]));
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated = "deprecated in the API specification"]));
    quote! {
        #docs
        #deprecated
        pub fn #name(&self, #(#args),*) -> self::#module::#builder {
            self::#module::#builder::new(::std::clone::Clone::clone(&self.client), #(#arg_names),*)
        }
    }
}

/// The operation's module (and file) name: its method name, with a keyword spelled `type_`
/// rather than `r#type`, since a module named `mod` would be the file `mod.rs` of its tag.
fn operation_module_name(op: &Operation) -> String {
    match op.fn_name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => op.fn_name.clone(),
    }
}

fn operation_module(op: &Operation) -> Module {
    let schemas = op.params.iter().map(schema_type_or_reexport);
    let builder = builder(op);
    let headers = response_headers(op);
    let items = quote! {
        #builder
        #headers
        #(#schemas)*
    };
    Module {
        name: operation_module_name(op),
        public: true,
        own_file: true,
        doc: inner_doc(&paragraphs([
            Some(format!("`{} {}` (`{}`)", op.method, op.path, op.id).as_str()),
            spec_text(op.summary.as_deref()).as_deref(),
            Some(
                "The request builder and one type per parameter, carrying the specification's rules.",
            ),
        ])),
        items,
        children: Vec::new(),
        cfg: TokenStream::new(),
    }
}

/// `ResponseHeaders`: the headers the success responses document, typed.
fn response_headers(op: &Operation) -> TokenStream {
    let headers = &op.success.headers;
    if headers.is_empty() {
        return TokenStream::new();
    }
    let models = quote!(super::super::models);
    let fields = headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        let ty = rust_type(&h.ty, &models);
        let docs = doc(&paragraphs([
            Some(format!("`{}`.", h.wire_name).as_str()),
            spec_text(h.description.as_deref()).as_deref(),
        ]));
        quote! {
            #docs
            pub #field: ::std::option::Option<#ty>,
        }
    });
    let reads = headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        let wire = h.wire_name.to_ascii_lowercase();
        quote!(#field: ::atlas_sdk::runtime::header_value(headers, #wire),)
    });
    quote! {
        /// The headers this operation's successful responses document, typed; one that is
        /// absent or not in its documented form is `None` (every header stays in
        /// [`Response::headers`](::atlas_sdk::Response::headers) as sent).
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct ResponseHeaders {
            #(#fields)*
        }

        impl ::atlas_sdk::runtime::FromHeaders for ResponseHeaders {
            fn from_headers(headers: &::atlas_sdk::runtime::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}

fn builder(op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let models = quote!(super::super::models);
    let (body_type, send_fn) = match &op.success.body {
        SuccessBody::Empty => (quote!(()), quote!(::atlas_sdk::runtime::send_empty)),
        SuccessBody::Json(ty) => (
            rust_type(ty, &models),
            quote!(::atlas_sdk::runtime::send_json),
        ),
        SuccessBody::OptionalJson(ty) => {
            let ty = rust_type(ty, &models);
            (
                quote!(::std::option::Option<#ty>),
                quote!(::atlas_sdk::runtime::send_optional_json),
            )
        }
        SuccessBody::Text => (
            quote!(::std::string::String),
            quote!(::atlas_sdk::runtime::send_text),
        ),
        SuccessBody::Bytes => (quote!(::atlas_sdk::RawResponse), quote!()),
    };

    // Storage: required parameters are checked once, when given; optional ones when set.
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = ident(&p.type_name);
        let checked = if shape(p, &models).fallible {
            quote!(::std::result::Result<#ty, ::atlas_sdk::InvalidParameter>)
        } else {
            quote!(#ty)
        };
        if p.required {
            quote!(#field: #checked,)
        } else {
            quote!(#field: ::std::option::Option<#checked>,)
        }
    });
    let (args, _) = constructor_args(op, &models);
    // The request body: an argument when required, a setter otherwise.
    let (body_field, body_init, body_setter, body_step) = match &op.body {
        None => (quote!(), quote!(), quote!(), quote!()),
        Some(body) => {
            let ty = rust_type(&body.ty, &models);
            let input = body_input(body, &models);
            let convert = body_convert(body);
            let media_type = &body.media_type;
            let parts = match &body.encoding {
                BodyEncoding::Multipart(parts) if !parts.is_empty() => {
                    let lines: Vec<String> = parts
                        .iter()
                        .map(|(name, what, required)| {
                            format!(
                                "- `{name}`: {what}{}",
                                if *required { " (required)" } else { "" }
                            )
                        })
                        .collect();
                    Some(format!(
                        "The parts the specification describes:\n{}",
                        lines.join("\n")
                    ))
                }
                _ => None,
            };
            let docs = doc(&paragraphs([
                spec_text(body.description.as_deref()).as_deref(),
                Some(format!("Sent as `{media_type}`.").as_str()),
                parts.as_deref(),
            ]));
            let raw = raw_body_setter(body);
            if body.required {
                let step = body_statement(body, quote!(self.body), false);
                let init = match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => {
                        quote!(body,)
                    }
                    BodyEncoding::Text | BodyEncoding::Binary => quote!(body: #convert,),
                };
                (quote!(body: #ty,), init, raw, step)
            } else {
                let step = body_statement(body, quote!(body), true);
                (
                    quote!(body: ::std::option::Option<#ty>,),
                    quote!(body: ::std::option::Option::None,),
                    quote! {
                        /// Sets the request body.
                        ///
                        #docs
                        pub fn body(mut self, body: #input) -> Self {
                            self.body = ::std::option::Option::Some(#convert);
                            self
                        }

                        #raw
                    },
                    quote! {
                        if let ::std::option::Option::Some(body) = &self.body {
                            #step
                        }
                    },
                )
            }
        }
    };
    let inits = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = ident(&p.type_name);
        if p.required {
            quote!(#field: #ty::new(#field),)
        } else {
            quote!(#field: ::std::option::Option::None,)
        }
    });
    let setters = op.params.iter().filter(|p| !p.required).map(|p| {
        let field = ident(&p.rust_name);
        let ty = ident(&p.type_name);
        let input = shape(p, &models).input;
        let docs = doc(&paragraphs([
            spec_text(p.description.as_deref()).as_deref(),
            Some(
                format!(
                    "Sets `{}`; see [`{}`] for its rules.",
                    p.wire_name, p.type_name
                )
                .as_str(),
            ),
        ]));
        quote! {
            #docs
            pub fn #field(mut self, value: #input) -> Self {
                self.#field = ::std::option::Option::Some(#ty::new(value));
                self
            }
        }
    });

    let path_steps = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.push_literal(#text);),
        PathPart::Param(index) => {
            let p = &op.params[*index];
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let value = if shape(p, &models).fallible {
                quote!(self.#field?)
            } else {
                quote!(self.#field)
            };
            if default_style(p) {
                quote!(request.push_segment(#wire, &#value)?;)
            } else {
                let style = style_tokens(p.style, p.explode, false);
                quote!(request.push_path_styled(#wire, &#value, #style)?;)
            }
        }
    });
    // Query, header and cookie parameters, in the spec's order.
    let param_steps = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let fallible = shape(p, &models).fallible;
            let push = push_call(p);
            let style = style_argument(p);
            // A header value is checked for characters a header cannot carry.
            let checked = (p.location == ParamLocation::Header).then(|| quote!(?));
            match (p.required, fallible) {
                (true, true) => quote!(#push(#wire, &self.#field? #style)#checked;),
                (true, false) => quote!(#push(#wire, &self.#field #style)#checked;),
                (false, true) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        #push(#wire, &value? #style)#checked;
                    }
                },
                (false, false) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        #push(#wire, &value #style)#checked;
                    }
                },
            }
        });

    let typed_headers = (!op.success.headers.is_empty()).then(|| quote!(, ResponseHeaders));
    let send_methods = if op.success.body == SuccessBody::Bytes {
        quote! {
            /// Sends the request and returns the successful response unread, to stream (see
            /// [`RawResponse::bytes_stream`](::atlas_sdk::RawResponse::bytes_stream)).
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](::atlas_sdk::Error::InvalidRequest) before sending when a
            /// parameter breaks a rule; otherwise see [`Error`](::atlas_sdk::Error).
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<::atlas_sdk::RawResponse, ::atlas_sdk::Error>> {
                self.send_raw()
            }
        }
    } else {
        quote! {
            /// Sends the request and returns the decoded body.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](::atlas_sdk::Error::InvalidRequest) before sending when a
            /// parameter breaks a rule; otherwise see [`Error`](::atlas_sdk::Error).
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<#body_type, ::atlas_sdk::Error>> {
                ::atlas_sdk::runtime::body_of(self.send_with_response())
            }

            /// Sends the request and returns the decoded body with the status and headers.
            ///
            /// # Errors
            /// As [`send`](Self::send).
            pub fn send_with_response(self) -> impl ::std::future::Future<Output = ::std::result::Result<::atlas_sdk::Response<#body_type #typed_headers>, ::atlas_sdk::Error>> {
                #send_fn(self.into_request())
            }
        }
    };
    let stream_method = op
        .pagination
        .as_ref()
        .map(|p| stream_method(op, p, &models));

    let accept_doc = doc(&format!(
        "Overrides the `Accept` header, which defaults to `{}`.",
        op.accept
    ));
    let operation_id = &op.id;
    let method = ident(&op.method);
    let accept = &op.accept;
    let error_statuses = op.errors.iter().filter_map(|e| match e.status {
        StatusMatch::Code(code) => Some(code),
        _ => None,
    });
    let error_classes: Vec<u16> = op
        .errors
        .iter()
        .filter_map(|e| match e.status {
            StatusMatch::Class(class) => Some(class),
            _ => None,
        })
        .collect();
    let error_classes =
        (!error_classes.is_empty()).then(|| quote!(error_classes: &[#(#error_classes),*],));
    let default_error = op
        .errors
        .iter()
        .any(|e| e.status == StatusMatch::Default)
        .then(|| quote!(default_error: true,));
    let redirect_success = op.redirect_success.then(|| quote!(redirect_success: true,));
    let success_line = |status: StatusMatch, description: &str| {
        let what = match &op.success.body {
            SuccessBody::Empty if op.redirect_success => {
                "no body; the `Location` header says where (not followed)"
            }
            SuccessBody::Empty => "no body",
            SuccessBody::Json(_) => "the body, decoded",
            SuccessBody::OptionalJson(_) => "the body, decoded (`None` when there is none)",
            SuccessBody::Text => "the body, as text",
            SuccessBody::Bytes => "the body, unread, to stream",
        };
        format!("- {status} {}: {what}.", description.trim_end_matches('.'))
    };
    let statuses: Vec<String> =
        std::iter::once(success_line(op.success.status, &op.success.description))
            .chain(
                op.success
                    .other_statuses
                    .iter()
                    .map(|(status, description)| success_line(*status, description)),
            )
            .chain(op.errors.iter().map(|e| {
                format!(
                    "- {} {}: [`Error::Api`](::atlas_sdk::Error::Api) with the decoded `ApiError`.",
                    e.status,
                    e.description.trim_end_matches('.')
                )
            }))
            .collect();
    let summary =
        spec_text(op.summary.as_deref()).map(|s| format!("**{}.**", s.trim_end_matches('.')));
    let docs = doc(&paragraphs([
        Some(format!("`{} {}` (`{}`)", op.method, op.path, op.id).as_str()),
        summary.as_deref(),
        spec_text(op.description.as_deref()).as_deref(),
        op.external_docs
            .as_deref()
            .map(|url| format!("More: <{url}>"))
            .as_deref(),
        Some(format!("Responses:\n{}", statuses.join("\n")).as_str()),
        (!op.success.alternatives.is_empty())
            .then(|| {
                let list: Vec<String> = op.success.alternatives.iter().map(|m| format!("`{m}`")).collect();
                format!(
                    "Also available as {}: set it with [`accept`](Self::accept) and use [`send_raw`](Self::send_raw).",
                    list.join(", ")
                )
            })
            .as_deref(),
        op.deprecated
            .then_some("**Deprecated** in the API specification."),
        (!op.not_generated.is_empty())
            .then(|| op.not_generated.join("\n\n"))
            .as_deref(),
    ]));

    quote! {
        static OPERATION: ::atlas_sdk::runtime::Operation = ::atlas_sdk::runtime::Operation {
            operation_id: #operation_id,
            method: ::atlas_sdk::runtime::Method::#method,
            accept: #accept,
            error_statuses: &[#(#error_statuses),*],
            #error_classes
            #default_error
            #redirect_success
            ..::atlas_sdk::runtime::Operation::DEFAULT
        };

        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            client: ::atlas_sdk::Client,
            options: ::atlas_sdk::runtime::RequestOptions,
            #(#fields)*
            #body_field
        }

        impl #name {
            /// Starts the request. Values that break the specification's rules are reported by
            /// the `send` methods, before anything is sent.
            pub fn new(client: ::atlas_sdk::Client, #(#args),*) -> Self {
                Self {
                    client,
                    options: ::std::default::Default::default(),
                    #(#inits)*
                    #body_init
                }
            }

            #(#setters)*
            #body_setter

            /// Overrides the client's timeout for this request (connecting, sending and reading
            /// the whole body).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.set_timeout(timeout);
                self
            }

            #accept_doc
            pub fn accept(mut self, media_type: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.options.set_accept(::std::convert::Into::into(media_type));
                self
            }

            fn into_request(self) -> ::atlas_sdk::runtime::Prepared {
                let mut request = ::atlas_sdk::runtime::PreparedRequest::new(&OPERATION, self.options);
                #(#path_steps)*
                #(#param_steps)*
                #body_step
                ::std::result::Result::Ok((self.client, request))
            }

            #send_methods
            #stream_method

            /// Sends the request and returns the successful response unread and undecoded, to
            /// read whole or stream. Error statuses are still decoded into errors.
            ///
            /// # Errors
            /// As [`send`](Self::send), except that the body of a success is not decoded.
            pub fn send_raw(self) -> impl ::std::future::Future<Output = ::std::result::Result<::atlas_sdk::RawResponse, ::atlas_sdk::Error>> {
                ::atlas_sdk::runtime::send_raw(self.into_request())
            }
        }
    }
}

/// `into_stream`: every item of every page, fetched one page at a time.
fn stream_method(op: &Operation, pagination: &Pagination, models: &TokenStream) -> TokenStream {
    let item = rust_type(&pagination.item, models);
    let page_param = &op.params[pagination.page_num];
    let page_field = ident(&page_param.rust_name);
    let page_int32 = matches!(page_param.schema, ParamSchema::Integer { int32: true, .. });
    let page_value = if page_int32 {
        quote!(page)
    } else {
        quote!(i64::from(page))
    };
    let fallible_page = shape(page_param, models).fallible;
    let first_page = {
        let get = if page_int32 {
            quote!(value.get())
        } else {
            quote!(i32::try_from(value.get()).unwrap_or(1))
        };
        if fallible_page {
            quote!(match &self.#page_field { ::std::option::Option::Some(::std::result::Result::Ok(value)) => #get, _ => 1 })
        } else {
            quote!(match &self.#page_field { ::std::option::Option::Some(value) => #get, _ => 1 })
        }
    };
    let page_size = match pagination.items_per_page {
        Some((index, default)) => {
            let param = &op.params[index];
            let field = ident(&param.rust_name);
            let get = if matches!(param.schema, ParamSchema::Integer { int32: true, .. }) {
                quote!(i64::from(value.get()))
            } else {
                quote!(value.get())
            };
            if shape(param, models).fallible {
                quote!(match &self.#field { ::std::option::Option::Some(::std::result::Result::Ok(value)) => #get, _ => #default })
            } else {
                quote!(match &self.#field { ::std::option::Option::Some(value) => #get, _ => #default })
            }
        }
        None => quote!(100i64),
    };
    let results = ident(&pagination.results_field);
    let items = if pagination.results_optional {
        quote!(body.#results.unwrap_or_default())
    } else {
        quote!(body.#results)
    };
    let total = match &pagination.total_count_field {
        Some((field, true)) => {
            let field = ident(field);
            quote!(body.#field.map(i64::from))
        }
        Some((field, false)) => {
            let field = ident(field);
            quote!(::std::option::Option::Some(i64::from(body.#field)))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        /// Walks every page, starting at `pageNum` (default 1), and yields the items one by one.
        ///
        /// A page is fetched when the previous one is used up. The walk stops after the page
        /// that reaches `totalCount` or, when the response has no count, after a page shorter
        /// than `itemsPerPage`; an empty page always ends it. An error ends the stream after
        /// it is yielded.
        pub fn into_stream(self) -> impl ::atlas_sdk::runtime::Stream<Item = ::std::result::Result<#item, ::atlas_sdk::Error>> + ::std::marker::Send + 'static {
            let first_page: i32 = #first_page;
            let page_size: i64 = #page_size;
            ::atlas_sdk::runtime::paginate(self, first_page, page_size, |request: Self, page: i32| async move {
                let body = request.#page_field(#page_value).send().await?;
                ::std::result::Result::Ok(::atlas_sdk::runtime::Page { items: #items, total_count: #total })
            })
        }
    }
}
