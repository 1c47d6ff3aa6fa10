//! `impl atlas_sdk::runtime::Endpoint` for each request builder: the operation it sends and
//! the body a success carries, which typed mocks (`atlas_sdk::mock`) key and answer by.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::Models;
use crate::ir::{Framing, Operation, SuccessBody, TypeRef};
use crate::naming::ident;

/// The impl for `op`'s builder; `models` as seen from the operation's module.
pub(super) fn endpoint_impl(op: &Operation, models: &Models) -> TokenStream {
    let builder = ident(&op.builder_name);
    let (body, encode) = match &op.success.body {
        SuccessBody::Empty => (quote!(()), quote!(::atlas_sdk::runtime::encode_empty(body))),
        SuccessBody::Json(ty) => (
            models.nested(ty),
            quote!(::atlas_sdk::runtime::encode_json(body)),
        ),
        SuccessBody::OptionalJson(ty) => {
            let ty = models.nested(ty);
            (
                quote!(::std::option::Option<#ty>),
                quote!(::atlas_sdk::runtime::encode_optional_json(body)),
            )
        }
        SuccessBody::Text => (
            quote!(::std::string::String),
            quote!(::atlas_sdk::runtime::encode_text(body)),
        ),
        SuccessBody::Bytes => (
            quote!(::std::vec::Vec<u8>),
            quote!(::atlas_sdk::runtime::encode_bytes(body)),
        ),
        SuccessBody::Stream(stream) => {
            let item = models.nested(&stream.item);
            let encode = match stream.framing {
                Framing::ServerSentEvents if stream.item == TypeRef::String => {
                    quote!(::atlas_sdk::runtime::encode_events_text(body))
                }
                Framing::ServerSentEvents => {
                    quote!(::atlas_sdk::runtime::encode_events_json(body))
                }
                Framing::JsonLines => quote!(::atlas_sdk::runtime::encode_lines(
                    body,
                    ::atlas_sdk::runtime::Lines::Newline
                )),
                Framing::JsonSeq => quote!(::atlas_sdk::runtime::encode_lines(
                    body,
                    ::atlas_sdk::runtime::Lines::RecordSeparator
                )),
            };
            (quote!(::std::vec::Vec<#item>), encode)
        }
    };
    quote! {
        impl ::atlas_sdk::runtime::Endpoint for #builder {
            type Body = #body;
            const OPERATION: &'static ::atlas_sdk::runtime::Operation = &OPERATION;
            fn into_prepared(self) -> ::atlas_sdk::runtime::Prepared {
                self.into_request()
            }
            fn encode(
                body: &Self::Body,
            ) -> ::std::result::Result<::atlas_sdk::runtime::Bytes, ::atlas_sdk::Error> {
                #encode
            }
        }
    }
}
