//! The request body's part of a builder: its type, field, setters and encoding step.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, paragraphs, spec_text};
use super::requests::{delimited, style_tokens};
use super::types::Models;
use crate::ir::{BodyAlternative, BodyEncoding, RequestBody, TypeRef};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// What the builder holds and does for the request body: fields, their initial values, the
/// setters (`body` when the body is optional, one per other media type, `raw_body` when
/// there are some) and the statement that puts the body set into the request.
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
            let others = alternatives(body, models);
            let raw = quote!(#raw #stream);
            let (field, init, setter, step) = if body.required {
                let step =
                    body_statement(&body.media_type, &body.encoding, quote!(self.body), false);
                let init = match body.encoding {
                    BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => {
                        quote!(body,)
                    }
                    BodyEncoding::Text | BodyEncoding::Binary => quote!(body: #convert,),
                };
                // A block when other media types' bodies may be sent `else`.
                let step = if body.alternatives.is_empty() {
                    step
                } else {
                    quote!({ #step })
                };
                (quote!(body: #ty,), init, raw, step)
            } else {
                let step = body_statement(&body.media_type, &body.encoding, quote!(body), true);
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
            };
            let AlternativeTokens {
                fields,
                inits,
                setters,
            } = others;
            // The body set in another media type wins over the typed one.
            let step = body
                .alternatives
                .iter()
                .rev()
                .fold(step, |otherwise, alternative| {
                    let field = ident(&alternative.method);
                    let statement = body_statement(
                        &alternative.media_type,
                        &alternative.encoding,
                        quote!(body),
                        true,
                    );
                    quote! {
                        if let ::std::option::Option::Some(body) = &self.#field {
                            #statement
                        } else #otherwise
                    }
                });
            (
                quote!(#field #fields),
                quote!(#init #inits),
                quote!(#setter #setters),
                step,
            )
        }
    };
    BodyTokens {
        field,
        init,
        setter,
        step,
    }
}

/// The fields, initial values and setters of a body's other media types.
struct AlternativeTokens {
    fields: TokenStream,
    inits: TokenStream,
    setters: TokenStream,
}

/// One field and one setter per media type the body is offered in besides the typed one
/// (`body_form`, `body_multipart`, …), holding that body until the request is built.
fn alternatives(body: &RequestBody, models: &Models) -> AlternativeTokens {
    let mut tokens = AlternativeTokens {
        fields: TokenStream::new(),
        inits: TokenStream::new(),
        setters: TokenStream::new(),
    };
    for alternative in &body.alternatives {
        let BodyAlternative {
            media_type,
            encoding,
            ty,
            method,
        } = alternative;
        let name = ident(method);
        let stored = models.nested(ty);
        let input = input_type(encoding, ty, models);
        let convert = convert(encoding);
        let instead = if body.required {
            "instead of the body the builder was given"
        } else {
            "instead of [`body`](Self::body)"
        };
        let docs = doc(&format!("Sends `body` as `{media_type}`, {instead}."));
        tokens
            .fields
            .extend(quote!(#name: ::std::option::Option<#stored>,));
        tokens
            .inits
            .extend(quote!(#name: ::std::option::Option::None,));
        tokens.setters.extend(quote! {
            #docs
            pub fn #name(mut self, body: #input) -> Self {
                self.#name = ::std::option::Option::Some(#convert);
                self
            }
        });
    }
    tokens
}

/// What a caller passes as the body: the model itself, or anything that converts into the
/// text or bytes of a text or binary body.
pub(crate) fn body_input(body: &RequestBody, models: &Models) -> TokenStream {
    input_type(&body.encoding, &body.ty, models)
}

/// What a caller passes as a body of type `ty` encoded as `encoding`.
fn input_type(encoding: &BodyEncoding, ty: &TypeRef, models: &Models) -> TokenStream {
    let ty = models.nested(ty);
    match encoding {
        BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => ty,
        BodyEncoding::Text | BodyEncoding::Binary => quote!(impl ::std::convert::Into<#ty>),
    }
}

/// The expression turning the input `body` into the stored body.
fn body_convert(body: &RequestBody) -> TokenStream {
    convert(&body.encoding)
}

/// The expression turning an input `body` encoded as `encoding` into the stored body.
fn convert(encoding: &BodyEncoding) -> TokenStream {
    match encoding {
        BodyEncoding::Json | BodyEncoding::Form(_) | BodyEncoding::Multipart(_) => quote!(body),
        BodyEncoding::Text | BodyEncoding::Binary => quote!(::std::convert::Into::into(body)),
    }
}

/// The statement putting `value` (an expression of the body's type) into `request` as
/// `media_type`, encoded as `encoding`.
fn body_statement(
    media_type: &str,
    encoding: &BodyEncoding,
    value: TokenStream,
    by_ref: bool,
) -> TokenStream {
    let reference = if by_ref { quote!() } else { quote!(&) };
    match encoding {
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
            self.draft.options_mut().set_stream_body(body);
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
    let list: Vec<String> = body
        .alternatives
        .iter()
        .map(|a| format!("`{}`", a.media_type))
        .collect();
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
            self.draft.options_mut().set_raw_body(::std::convert::Into::into(media_type), ::std::convert::Into::into(body));
            self
        }
    }
}
