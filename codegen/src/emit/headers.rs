//! `ResponseHeaders`: the headers an operation's responses document, typed.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, paragraphs, spec_text};
use super::types::Models;
use crate::ir::Operation;
use crate::naming::ident;
use crate::runtime_contract::RT;

/// `ResponseHeaders`: the headers the success responses document, typed.
pub(crate) fn response_headers(op: &Operation, models: &Models) -> TokenStream {
    let headers = &op.success.headers;
    if headers.is_empty() {
        return TokenStream::new();
    }
    let fields = headers.iter().map(|h| {
        let field = ident(&h.rust_name);
        let ty = models.rust_type(&h.ty);
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
        quote!(#field: #RT::runtime::header_value(headers, #wire),)
    });
    let docs = super::docs::doc(&format!(
        "The headers this operation's successful responses document, typed; one that is\nabsent or not in its documented form is `None` (every header stays in\n[`Response::headers`]({}) as sent).",
        RT.path("Response::headers")
    ));
    quote! {
        #docs
        #[derive(::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub struct ResponseHeaders {
            #(#fields)*
        }

        impl #RT::runtime::FromHeaders for ResponseHeaders {
            fn from_headers(headers: &#RT::runtime::HeaderMap) -> Self {
                Self { #(#reads)* }
            }
        }
    }
}
