//! Tags and operations → a module per tag, a module per operation with its parameter types
//! and request builder, and the client's accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::Module;
use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::params::{schema_type_or_reexport, shape};
use super::types::rust_type;
use crate::ir::{Api, Operation, Param, PathPart, SuccessBody, Tag};
use crate::naming::ident;

/// `client.access_tracking()` and its siblings.
pub(crate) fn client_accessors(api: &Api) -> TokenStream {
    let accessors = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let docs = doc(&format!("Operations of the **{}** tag.", tag.name));
        quote! {
            #docs
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

pub(crate) fn tag_module(tag: &Tag) -> Module {
    let ty = ident(&tag.type_name);
    let methods = tag.operations.iter().map(tag_method);
    let reexports = tag.operations.iter().map(|op| {
        let module = ident(&op.fn_name);
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
        doc: inner_doc(&paragraphs([
            Some(tag.name.as_str()),
            spec_text(tag.description.as_deref()).as_deref(),
        ])),
        items,
        children: tag.operations.iter().map(operation_module).collect(),
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
        let input = shape(p).input;
        args.push(quote!(#arg: #input));
        names.push(quote!(#arg));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = rust_type(&body.ty, models);
        args.push(quote!(body: #ty));
        names.push(quote!(body));
    }
    (args, names)
}

fn tag_method(op: &Operation) -> TokenStream {
    let name = ident(&op.fn_name);
    let module = ident(&op.fn_name);
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

fn operation_module(op: &Operation) -> Module {
    let schemas = op.params.iter().map(schema_type_or_reexport);
    let builder = builder(op);
    let items = quote! {
        #builder
        #(#schemas)*
    };
    Module {
        name: op.fn_name.clone(),
        public: true,
        doc: inner_doc(&paragraphs([
            Some(format!("`{} {}` (`{}`)", op.method, op.path, op.id).as_str()),
            spec_text(op.summary.as_deref()).as_deref(),
            Some(
                "The request builder and one type per parameter, carrying the specification's rules.",
            ),
        ])),
        items,
        children: Vec::new(),
    }
}

fn builder(op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let models = quote!(super::super::models);
    let body_type = match &op.success.body {
        SuccessBody::Empty => quote!(()),
        SuccessBody::Json(ty) => rust_type(ty, &models),
    };
    let send_fn = match &op.success.body {
        SuccessBody::Empty => quote!(::atlas_sdk::runtime::send_empty(&client, request).await),
        SuccessBody::Json(_) => quote!(::atlas_sdk::runtime::send_json(&client, request).await),
    };

    // Storage: required parameters are checked once, when given; optional ones when set.
    let fields = op.params.iter().map(|p| {
        let field = ident(&p.rust_name);
        let ty = ident(&p.type_name);
        let checked = if shape(p).fallible {
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
            let media_type = &body.media_type;
            let docs = doc(&paragraphs([
                spec_text(body.description.as_deref()).as_deref(),
                Some(format!("Sent as `{media_type}`.").as_str()),
            ]));
            if body.required {
                (
                    quote!(body: #ty,),
                    quote!(body,),
                    quote!(),
                    quote!(request.set_json_body(#media_type, &self.body)?;),
                )
            } else {
                (
                    quote!(body: ::std::option::Option<#ty>,),
                    quote!(body: ::std::option::Option::None,),
                    quote! {
                        /// Sets the request body.
                        ///
                        #docs
                        pub fn body(mut self, body: #ty) -> Self {
                            self.body = ::std::option::Option::Some(body);
                            self
                        }
                    },
                    quote! {
                        if let ::std::option::Option::Some(body) = &self.body {
                            request.set_json_body(#media_type, body)?;
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
        let input = shape(p).input;
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
            let value = if shape(p).fallible {
                quote!(self.#field?)
            } else {
                quote!(self.#field)
            };
            quote!(request.push_segment(#wire, &#value)?;)
        }
    });
    let query_steps = op
        .params
        .iter()
        .filter(|p| p.location == crate::ir::ParamLocation::Query)
        .map(|p| {
            let field = ident(&p.rust_name);
            let wire = &p.wire_name;
            let fallible = shape(p).fallible;
            match (p.required, fallible) {
                (true, true) => quote!(request.push_query(#wire, &self.#field?);),
                (true, false) => quote!(request.push_query(#wire, &self.#field);),
                (false, true) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        request.push_query(#wire, &value?);
                    }
                },
                (false, false) => quote! {
                    if let ::std::option::Option::Some(value) = self.#field {
                        request.push_query(#wire, &value);
                    }
                },
            }
        });

    let accept_doc = doc(&format!(
        "Overrides the `Accept` header, which defaults to `{}`.",
        op.accept
    ));
    let operation_id = &op.id;
    let method = ident(&op.method);
    let accept = &op.accept;
    let error_statuses = op.errors.iter().map(|e| e.status);
    let statuses: Vec<String> = std::iter::once(format!(
        "- {} {}: the body, decoded.",
        op.success.status,
        op.success.description.trim_end_matches('.')
    ))
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
        op.deprecated
            .then_some("**Deprecated** in the API specification."),
    ]));

    quote! {
        static OPERATION: ::atlas_sdk::runtime::Operation = ::atlas_sdk::runtime::Operation {
            operation_id: #operation_id,
            method: ::atlas_sdk::runtime::Method::#method,
            accept: #accept,
            error_statuses: &[#(#error_statuses),*],
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

            fn into_request(self) -> ::std::result::Result<(::atlas_sdk::Client, ::atlas_sdk::runtime::PreparedRequest), ::atlas_sdk::Error> {
                let mut request = ::atlas_sdk::runtime::PreparedRequest::new(&OPERATION, self.options);
                #(#path_steps)*
                #(#query_steps)*
                #body_step
                ::std::result::Result::Ok((self.client, request))
            }

            /// Sends the request and returns the decoded body.
            ///
            /// # Errors
            /// [`Error::InvalidRequest`](::atlas_sdk::Error::InvalidRequest) before sending when a
            /// parameter breaks a rule; otherwise see [`Error`](::atlas_sdk::Error).
            pub async fn send(self) -> ::std::result::Result<#body_type, ::atlas_sdk::Error> {
                self.send_with_response().await.map(::atlas_sdk::Response::into_body)
            }

            /// Sends the request and returns the decoded body with the status and headers.
            ///
            /// # Errors
            /// As [`send`](Self::send).
            pub async fn send_with_response(self) -> ::std::result::Result<::atlas_sdk::Response<#body_type>, ::atlas_sdk::Error> {
                let (client, request) = self.into_request()?;
                #send_fn
            }

            /// Sends the request and returns the successful response unread and undecoded, to
            /// read whole or stream. Error statuses are still decoded into errors.
            ///
            /// # Errors
            /// As [`send`](Self::send), except that the body of a success is not decoded.
            pub async fn send_raw(self) -> ::std::result::Result<::atlas_sdk::RawResponse, ::atlas_sdk::Error> {
                let (client, request) = self.into_request()?;
                ::atlas_sdk::runtime::send_raw(&client, request).await
            }
        }
    }
}
