//! Tags and operations → a module per tag, a module per operation with its parameter types
//! and request builder, and the client's accessors.

use proc_macro2::TokenStream;
use quote::quote;

use super::Module;
use super::bodies::BodyTokens;
use super::builder_start::{constructor_args, many_arguments, operation_module_name};
use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::headers::response_headers;
use super::pagination::stream_method;
use super::params::{schema_type_or_reexport, shape};
use super::types::Models;
use crate::ir::{Api, FormerNames, Framing, Operation, StatusMatch, SuccessBody, Tag, Types};
use crate::naming::ident;
use crate::runtime_contract::RT;

fn tag_cfg(tag: &Tag, features: bool) -> TokenStream {
    if features {
        let feature = super::features::feature_name(&tag.module);
        // docs.rs builds with `--cfg docsrs` and shows which feature enables the tag.
        quote!(#[cfg(feature = #feature)] #[cfg_attr(docsrs, doc(cfg(feature = #feature)))])
    } else {
        TokenStream::new()
    }
}

/// Where a stand-in accessor for a tag whose feature is off goes.
#[derive(Clone, Copy, PartialEq)]
enum StandIn {
    /// An inherent method of the SDK's `Client`: deprecated, with the note.
    Inherent,
    /// `ClientExt`'s declaration: deprecated, with the note.
    Declaration,
    /// `ClientExt`'s implementation (the declaration carries the note).
    Implementation,
}

/// With features, the accessor a tag has while its feature is off: deprecated with a note
/// that names the feature, returning [`FeatureDisabled`](specwire::runtime), so that
/// `client.clusters()` without `clusters` says what to enable instead of only "no method".
fn disabled_accessor(tag: &Tag, features: bool, place: StandIn) -> TokenStream {
    if !features {
        return TokenStream::new();
    }
    let module = ident(&tag.module);
    let feature = super::features::feature_name(&tag.module);
    let note = format!(
        "the `{}` tag is behind this crate's Cargo feature `{feature}`, which is off: add \"{feature}\" (or \"full\", every tag) to the dependency's `features`",
        tag.name
    );
    let signature = quote!(fn #module(&self) -> #RT::runtime::FeatureDisabled);
    let value = quote!(#RT::runtime::FeatureDisabled);
    match place {
        StandIn::Inherent => quote! {
            #[cfg(not(feature = #feature))]
            #[doc(hidden)]
            #[deprecated(note = #note)]
            pub #signature { #value }
        },
        StandIn::Declaration => quote! {
            #[cfg(not(feature = #feature))]
            #[doc(hidden)]
            #[deprecated(note = #note)]
            #signature;
        },
        StandIn::Implementation => quote! {
            #[cfg(not(feature = #feature))]
            #signature { #value }
        },
    }
}

/// `client.access_tracking()` and its siblings.
pub(crate) fn client_accessors(api: &Api, features: bool) -> TokenStream {
    let accessors = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        let docs = doc(&format!("Operations of the **{}** tag.", tag.name));
        let disabled = disabled_accessor(tag, features, StandIn::Inherent);
        quote! {
            #docs
            #cfg
            pub fn #module(&self) -> self::#module::#ty {
                self::#module::#ty::new(::std::clone::Clone::clone(::std::convert::AsRef::<#RT::Client>::as_ref(self)))
            }
            #disabled
        }
    });
    quote! {
        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The same accessors as a trait on the runtime's `Client`, for a crate of its own (which
/// cannot add inherent methods to it): `use <crate>::ClientExt;`.
pub(crate) fn client_trait(api: &Api, features: bool) -> TokenStream {
    let declarations = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        let docs = doc(&format!("Operations of the **{}** tag.", tag.name));
        let disabled = disabled_accessor(tag, features, StandIn::Declaration);
        quote! {
            #docs
            #cfg
            fn #module(&self) -> self::#module::#ty;
            #disabled
        }
    });
    let implementations = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let ty = ident(&tag.type_name);
        let cfg = tag_cfg(tag, features);
        let disabled = disabled_accessor(tag, features, StandIn::Implementation);
        quote! {
            #cfg
            fn #module(&self) -> self::#module::#ty {
                self::#module::#ty::new(::std::clone::Clone::clone(self))
            }
            #disabled
        }
    });
    let docs = super::docs::doc(&format!(
        "One accessor per tag on [`{krate}::Client`]({}), e.g.\n`client.clusters()`.",
        RT.path("Client"),
        krate = crate::runtime_contract::CRATE
    ));
    quote! {
        #docs
        pub trait ClientExt {
            #(#declarations)*
        }

        impl ClientExt for #RT::Client {
            #(#implementations)*
        }
    }
}

/// A tag's module as the index tree sees it: only what its parent declares.
pub(crate) fn tag_stub(tag: &Tag, features: bool) -> Module {
    Module::stub(tag.module.clone(), true, tag_cfg(tag, features))
}

/// A tag's module, its types named in `types`.
pub(crate) fn tag_module(tag: &Tag, types: &Types, options: &crate::Options) -> Module {
    let features = options.features;
    let ty = ident(&tag.type_name);
    let models = Models::at(types, quote!(super));
    let methods = tag.operations.iter().map(|op| tag_method(op, &models));
    let reexports = tag.operations.iter().map(|op| {
        let module = ident(&operation_module_name(op));
        let builder = ident(&op.builder_name);
        quote!(pub use self::#module::#builder;)
    });
    // Operations the previous document named otherwise keep those names, deprecated.
    let former: Vec<(&Operation, &FormerNames)> = tag
        .operations
        .iter()
        .filter_map(|op| {
            let names = options.former_names.as_ref()?.operations.get(&op.id)?;
            Some((op, names))
        })
        .collect();
    let former_methods = former
        .iter()
        .map(|(op, names)| former_method(op, names, &models));
    let waiter_statics = super::waiters::waiter_statics(tag);
    let waiter_methods = super::waiters::waiter_methods(tag, &models);
    let former_builders = former.iter().map(|(op, names)| {
        let module = ident(&operation_module_name(op));
        let (old, new) = (ident(&names.builder_name), ident(&op.builder_name));
        let note = format!("renamed to `{}`", op.builder_name);
        let docs = doc(&format!(
            "Former name of [`{}`], kept for one release.",
            op.builder_name
        ));
        quote!(#docs #[deprecated(note = #note)] pub type #old = self::#module::#new;)
    });
    let type_doc = doc(&format!(
        "Operations of the **{}** tag. Get one with `client.{}()`.",
        tag.name, tag.module
    ));
    let items = quote! {
        #(#reexports)*
        #(#former_builders)*
        #(#waiter_statics)*

        #type_doc
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        pub struct #ty {
            client: #RT::Client,
        }

        impl #ty {
            /// Groups this tag's operations over `client`.
            pub fn new(client: #RT::Client) -> Self {
                Self { client }
            }

            #(#methods)*
            #(#waiter_methods)*
            #(#former_methods)*
        }
    };
    Module {
        name: tag.module.clone(),
        public: true,
        own_file: true,
        children_inline: true,
        doc: inner_doc(&paragraphs([
            Some(tag.name.as_str()),
            spec_text(tag.description.as_deref()).as_deref(),
        ])),
        items,
        children: tag
            .operations
            .iter()
            .map(|op| operation_module(op, types))
            .collect(),
        cfg: tag_cfg(tag, features),
    }
}

/// The tag's method that starts `op`; `models` as seen from the tag's module.
fn tag_method(op: &Operation, models: &Models) -> TokenStream {
    let name = ident(&op.fn_name);
    let module = ident(&operation_module_name(op));
    let builder = ident(&op.builder_name);
    let (args, arg_names) = constructor_args(op, models);
    let docs = doc(&paragraphs([
        spec_text(op.summary.as_deref()).as_deref(),
        Some(format!("`{} {}` — see [`{}`].", op.method, op.path, op.builder_name).as_str()),
    ]));
    let deprecated = deprecation_note(op).map(|note| quote!(#[deprecated(note = #note)]));
    let many = many_arguments(&args);
    quote! {
        #docs
        #deprecated
        #many
        pub fn #name(&self, #(#args),*) -> self::#module::#builder {
            self::#module::#builder::new(::std::clone::Clone::clone(&self.client), #(#arg_names),*)
        }
    }
}

/// Why the operation is deprecated: the document says so, or names a sunset date (and
/// perhaps the operation to use instead).
fn deprecation_note(op: &Operation) -> Option<String> {
    let Some(sunset) = &op.sunset else {
        return op
            .deprecated
            .then(|| "deprecated in the API specification".to_owned());
    };
    let instead = sunset.replacement.as_ref().map_or(String::new(), |r| {
        format!(
            "; use `{}::{}` (operationId `{}`) instead",
            r.tag_module, r.fn_name, r.id
        )
    });
    Some(format!(
        "the API withdraws this operation on {} (`x-sunset`){instead}",
        sunset.date
    ))
}

/// The deprecated method under the name `op` had in the previous document: the same
/// arguments, the same builder.
fn former_method(op: &Operation, former: &FormerNames, models: &Models) -> TokenStream {
    let (old, new) = (ident(&former.fn_name), ident(&op.fn_name));
    let module = ident(&operation_module_name(op));
    let builder = ident(&op.builder_name);
    let (args, arg_names) = constructor_args(op, models);
    let note = format!(
        "renamed to `{}` (operationId `{}` is now `{}`)",
        op.fn_name, former.id, op.id
    );
    let docs = doc(&format!(
        "Former name of [`{0}`](Self::{0}), kept for one release.",
        op.fn_name
    ));
    let many = many_arguments(&args);
    quote! {
        #docs
        #[deprecated(note = #note)]
        #[allow(deprecated)]
        #many
        pub fn #old(&self, #(#args),*) -> self::#module::#builder {
            self.#new(#(#arg_names),*)
        }
    }
}

fn operation_module(op: &Operation, types: &Types) -> Module {
    let models = Models::at(types, quote!(super::super));
    let schemas = op
        .params
        .iter()
        .map(|p| schema_type_or_reexport(p, &models));
    let builder = builder(op, &models);
    let endpoint = super::endpoint::endpoint_impl(op, &models);
    let headers = response_headers(op, &models);
    let items = quote! {
        #builder
        #endpoint
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
        children_inline: false,
    }
}

/// The request builder; `models` as seen from the operation's module.
fn builder(op: &Operation, models: &Models) -> TokenStream {
    let name = ident(&op.builder_name);
    let (args, _) = constructor_args(op, models);
    let many = many_arguments(&args);
    let BodyTokens {
        field: body_field,
        init: body_init,
        setter: body_setter,
        step: body_step,
    } = super::bodies::body_tokens(op.body.as_ref(), models);
    // Parameters live in the runtime's `Draft`, checked and taken apart as they are given;
    // each is known by its index in the operation's `params` table.
    let indexed = || {
        op.params
            .iter()
            .enumerate()
            .map(|(at, p)| (proc_macro2::Literal::usize_unsuffixed(at), p))
    };
    let required: Vec<TokenStream> = indexed()
        .filter(|(_, p)| p.required)
        .map(|(at, p)| {
            let (field, ty) = (ident(&p.rust_name), ident(&p.type_name));
            quote!(draft.set(#at, &#ty::new(#field));)
        })
        .collect();
    let draft = if required.is_empty() {
        quote!(let draft = #RT::runtime::Draft::new(client, &OPERATION);)
    } else {
        quote!(let mut draft = #RT::runtime::Draft::new(client, &OPERATION); #(#required)*)
    };
    let setters = indexed().filter(|(_, p)| !p.required).map(|(at, p)| {
        let field = ident(&p.rust_name);
        let ty = ident(&p.type_name);
        let input = shape(p, models).input;
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
                self.draft.set(#at, &#ty::new(value));
                self
            }
        }
    });
    // Without a body, the draft is the whole request.
    let into_request = if body_step.is_empty() {
        quote!(self.draft.finish())
    } else {
        quote! {
            let (mut request, client) = self.draft.into_parts();
            #body_step
            request.finish(client)
        }
    };

    let send_methods = super::send::primary(op, models);
    let stream_method = op.pagination.as_ref().map(|p| stream_method(op, p, models));
    let alternative_methods = super::send::alternatives(op, models);
    let error = models.error();

    let accept_doc = doc(&format!(
        "Overrides the `Accept` header, which defaults to `{}`.",
        op.accept
    ));
    let operation = operation_static(op, models);
    let docs = builder_docs(op, models);

    quote! {
        #operation

        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            draft: #RT::runtime::Draft,
            #body_field
        }

        impl #name {
            /// Starts the request. Values that break the specification's rules are reported by
            /// the `send` methods, before anything is sent.
            #many
            pub fn new(client: #RT::Client, #(#args),*) -> Self {
                #draft
                Self { draft, #body_init }
            }

            #(#setters)*
            #body_setter

            /// Overrides the client's timeout for this request (connecting, sending and reading
            /// the whole body).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.draft.options_mut().set_timeout(timeout);
                self
            }

            /// Adds a header to this request, after the SDK's own (a name or value HTTP does
            /// not allow is reported by the `send` methods, before anything is sent).
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.draft.options_mut().add_header(::std::convert::Into::into(name), ::std::convert::Into::into(value));
                self
            }

            #accept_doc
            pub fn accept(mut self, media_type: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.draft.options_mut().set_accept(::std::convert::Into::into(media_type));
                self
            }

            fn into_request(self) -> #RT::runtime::Prepared {
                #into_request
            }

            #send_methods
            #alternative_methods
            #stream_method

            /// Sends the request and returns the successful response unread and undecoded, to
            /// read whole or stream. Error statuses are still decoded into errors.
            ///
            /// # Errors
            /// As [`send`](Self::send), except that the body of a success is not decoded.
            pub fn send_raw(self) -> impl ::std::future::Future<Output = ::std::result::Result<#RT::RawResponse, #error>> {
                #RT::runtime::send_raw(self.into_request())
            }
        }
    }
}

/// The `static OPERATION` the builder sends: id, method, path, `Accept`, the statuses the
/// runtime decodes as errors and the types of their bodies; `models` as seen from the
/// operation's module.
fn operation_static(op: &Operation, models: &Models) -> TokenStream {
    let operation_id = &op.id;
    let path_template = &op.path;
    // `Method` has constants for the registered methods only; others (`QUERY`, `COPY`) are
    // sent as written.
    let method = if crate::http::HTTP_CRATE_METHODS.contains(&op.method.as_str()) {
        let method = ident(&op.method);
        quote!(method: #RT::runtime::Method::#method,)
    } else {
        let name = &op.method;
        quote!(extension_method: ::std::option::Option::Some(#name),)
    };
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
    // The runtime reads only documented statuses' bodies: when they all have one type (an
    // API-wide error schema, the common case), one `Default` entry says it for every status.
    let one_type = op
        .errors
        .first()
        .and_then(|e| e.body.as_ref())
        .filter(|first| op.errors.iter().all(|e| e.body.as_ref() == Some(*first)));
    let cases: Vec<(StatusMatch, &crate::ir::TypeRef)> = match one_type {
        Some(ty) => vec![(StatusMatch::Default, ty)],
        None => op
            .errors
            .iter()
            .filter_map(|e| Some((e.status, e.body.as_ref()?)))
            .collect(),
    };
    let error_schemas: Vec<TokenStream> = cases
        .into_iter()
        .map(|(status, ty)| {
            let ty = models.rust_type(ty);
            let case = match status {
                StatusMatch::Code(code) => quote!(#RT::runtime::ErrorCase::Status(#code)),
                StatusMatch::Class(class) => quote!(#RT::runtime::ErrorCase::Class(#class)),
                StatusMatch::Default => quote!(#RT::runtime::ErrorCase::Default),
            };
            quote! {
                #RT::runtime::ErrorSchema { case: #case, decode: #RT::runtime::error_schema::<#ty> }
            }
        })
        .collect();
    let error_schemas =
        (!error_schemas.is_empty()).then(|| quote!(error_schemas: &[#(#error_schemas),*],));
    let params = super::requests::param_table(op);
    let params = (!params.is_empty()).then(|| quote!(params: &[#(#params),*],));
    let path_parts = super::requests::path_table(op);
    let path_parts = (!path_parts.is_empty()).then(|| quote!(path_parts: &[#(#path_parts),*],));
    quote! {
        static OPERATION: #RT::runtime::Operation = #RT::runtime::Operation {
            operation_id: #operation_id,
            #method
            path: #path_template,
            accept: #accept,
            error_statuses: &[#(#error_statuses),*],
            #error_classes
            #default_error
            #error_schemas
            #redirect_success
            #params
            #path_parts
            ..#RT::runtime::Operation::DEFAULT
        };
    }
}

/// The builder's docs: the operation, its summary and description, each documented status
/// with what `send()` gives for it, the other media types and what is not generated.
fn builder_docs(op: &Operation, models: &Models) -> TokenStream {
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
            SuccessBody::Stream(stream) if stream.framing == Framing::ServerSentEvents => {
                "its events, decoded as they arrive"
            }
            SuccessBody::Stream(_) => "its items, decoded as they arrive",
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
                let body = match &e.body {
                    Some(ty) => format!(
                        "the body decoded as `{}`",
                        models
                            .rust_type(ty)
                            .to_string()
                            .replace(' ', "")
                            .replace("super::", "")
                    ),
                    None => "the body as JSON".to_owned(),
                };
                format!(
                    "- {} {}: [`Error::Api`]({}) with {body}.",
                    e.status,
                    e.description.trim_end_matches('.'),
                    RT.path("Error::Api")
                )
            }))
            .collect();
    let summary =
        spec_text(op.summary.as_deref()).map(|s| format!("**{}.**", s.trim_end_matches('.')));
    doc(&paragraphs([
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
                let list: Vec<String> = op
                    .success
                    .alternatives
                    .iter()
                    .map(|a| format!("`{}` ([`{}`](Self::{}))", a.media_type, a.method, a.method))
                    .collect();
                format!("Also available as {}.", list.join(", "))
            })
            .as_deref(),
        deprecation_note(op)
            .map(|note| format!("**Deprecated**: {note}."))
            .as_deref(),
        (!op.not_generated.is_empty())
            .then(|| op.not_generated.join("\n\n"))
            .as_deref(),
    ]))
}
