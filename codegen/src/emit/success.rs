//! The kinds of success body, with what each is sent and decoded by (the request builder's
//! `send_with_response`) and encoded by (typed mocks, `impl Endpoint`): one table, so that a
//! kind added to one side cannot be missing from the other.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::Models;
use crate::ir::{Framing, SuccessBody, TypeRef};
use crate::runtime_contract::RT;

/// How one operation's success body crosses the runtime.
pub(super) struct SuccessCodec {
    /// What `send()` returns.
    pub(super) sent: TokenStream,
    /// The runtime function that sends the request and decodes the body (empty for bytes,
    /// which are handed back unread), and what it takes after the request (`, event_json`).
    pub(super) send: (TokenStream, TokenStream),
    /// The body a typed mock answers with (`Endpoint::Body`).
    pub(super) mocked: TokenStream,
    /// The runtime call that encodes a mock's `body` as the server would send it.
    pub(super) encode: TokenStream,
}

/// The codec of `body`; `models` as seen from the operation's module.
pub(super) fn codec(body: &SuccessBody, models: &Models) -> SuccessCodec {
    let none = TokenStream::new();
    let codec = |sent, send, mocked, encode| SuccessCodec {
        sent,
        send,
        mocked,
        encode,
    };
    match body {
        SuccessBody::Empty => codec(
            quote!(()),
            (quote!(#RT::runtime::send_empty), none),
            quote!(()),
            quote!(#RT::runtime::encode_empty(body)),
        ),
        SuccessBody::Json(ty) => codec(
            models.nested(ty),
            (quote!(#RT::runtime::send_json), none),
            models.nested(ty),
            quote!(#RT::runtime::encode_json(body)),
        ),
        SuccessBody::OptionalJson(ty) => {
            let ty = models.nested(ty);
            codec(
                quote!(::std::option::Option<#ty>),
                (quote!(#RT::runtime::send_optional_json), none),
                quote!(::std::option::Option<#ty>),
                quote!(#RT::runtime::encode_optional_json(body)),
            )
        }
        SuccessBody::Text => codec(
            quote!(::std::string::String),
            (quote!(#RT::runtime::send_text), none),
            quote!(::std::string::String),
            quote!(#RT::runtime::encode_text(body)),
        ),
        SuccessBody::Bytes => codec(
            quote!(#RT::RawResponse),
            (TokenStream::new(), none),
            quote!(::std::vec::Vec<u8>),
            quote!(#RT::runtime::encode_bytes(body)),
        ),
        SuccessBody::Stream(stream) => {
            let item = models.nested(&stream.item);
            let mocked = quote!(::std::vec::Vec<#item>);
            match stream.framing {
                Framing::ServerSentEvents => {
                    let (event, encode) = if stream.item == TypeRef::String {
                        (
                            quote!(#RT::runtime::event_text),
                            quote!(#RT::runtime::encode_events_text(body)),
                        )
                    } else {
                        (
                            quote!(#RT::runtime::event_json),
                            quote!(#RT::runtime::encode_events_json(body)),
                        )
                    };
                    codec(
                        quote!(#RT::ResponseStream<#RT::ServerEvent<#item>>),
                        (quote!(#RT::runtime::send_events), quote!(, #event)),
                        mocked,
                        encode,
                    )
                }
                Framing::JsonLines | Framing::JsonSeq => {
                    let lines = if stream.framing == Framing::JsonSeq {
                        quote!(#RT::runtime::Lines::RecordSeparator)
                    } else {
                        quote!(#RT::runtime::Lines::Newline)
                    };
                    codec(
                        quote!(#RT::ResponseStream<#item>),
                        (quote!(#RT::runtime::send_lines), quote!(, #lines)),
                        mocked,
                        quote!(#RT::runtime::encode_lines(body, #lines)),
                    )
                }
            }
        }
    }
}
