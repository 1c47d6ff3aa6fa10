//! The request body's part of a builder: its type, field, setters and encoding step.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, paragraphs, spec_text};
use super::requests::{delimited, style_tokens};
use super::types::Models;
use crate::ir::{BodyEncoding, RequestBody};
use crate::runtime_contract::RT;

/// What the builder holds and does for the request body: a field, its initial value, the
/// setters (`body` when the body is optional, `raw_body` when other media types are offered)
/// and the statement that puts it into the request.
pub(crate) struct BodyTokens {
    pub(crate) field: TokenStream,
    pub(crate) init: TokenStream,
    pub(crate) setter: TokenStream,
    pub(crate) step: TokenStream,
}

/// The body's part of the builder: an argument when required, a setter otherwise.
pub(crate) fn body_tokens(body: Option<&RequestBody>, models: &Models) -> BodyTokens {
    let (field, init, setter, step) = match body {
        None => (quote!(), quote!(), quote!(), quote!()),
        Some(body) => {
            let ty = models.nested(&body.ty);
            let input = body_input(body, models);
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
            let stream = stream_setter(body);
            let raw = quote!(#raw #stream);
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
    BodyTokens {
        field,
        init,
        setter,
        step,
    }
}

/// What a caller passes as the body: the model itself, or anything that converts into the
/// text or bytes of a text or binary body.
pub(crate) fn body_input(body: &RequestBody, models: &Models) -> TokenStream {
    let ty = models.nested(&body.ty);
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
                let style = delimited(style_tokens(e.style, e.explode, false), e.delimiter);
                let json = e.json;
                quote!(#RT::runtime::FieldEncoding::new(#name, #style, #json))
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
            quote!(request.set_body(#media_type, #RT::runtime::Bytes::from(#owned));)
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

/// `body_stream`, for binary bodies: the bytes read from a stream as they are sent.
fn stream_setter(body: &RequestBody) -> TokenStream {
    if body.encoding != BodyEncoding::Binary {
        return TokenStream::new();
    }
    let docs = super::docs::doc(&format!(
        "Streams the body from `body` instead of holding it in memory (it replaces a body\ngiven as bytes). A streamed request is sent once: never retried; see\n[`BodyStream`]({}).",
        RT.path("BodyStream")
    ));
    quote! {
        #docs
        pub fn body_stream(mut self, body: #RT::BodyStream) -> Self {
            self.options.set_stream_body(body);
            self
        }
    }
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
            body: impl ::std::convert::Into<#RT::runtime::Bytes>,
        ) -> Self {
            self.options.set_raw_body(::std::convert::Into::into(media_type), ::std::convert::Into::into(body));
            self
        }
    }
}
