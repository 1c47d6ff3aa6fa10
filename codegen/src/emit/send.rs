//! The request builder's send methods: `send()` and `send_with_response()` for the body the
//! operation decodes, and one for each other media type a success response is documented
//! in (`ir::Alternative`), which asks for that type with `Accept` and decodes what it
//! carries, so a chat completion's event stream or a speech endpoint's WAV is as typed as
//! its JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::success::{SuccessCodec, codec};
use super::types::Models;
use crate::ir::{Framing, Operation, SuccessBody};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// `send()` and `send_with_response()` of `op`'s builder; `models` as seen from the
/// operation's module.
pub(super) fn primary(op: &Operation, models: &Models) -> TokenStream {
    let SuccessCodec {
        sent: body_type,
        send: (send_fn, send_arg),
        ..
    } = codec(&op.success.body, models);
    let typed_headers = (!op.success.headers.is_empty()).then(|| quote!(, ResponseHeaders));
    let error = models.error();
    let errors = format!(
        "# Errors\n[`Error::InvalidRequest`]({rt}::Error::InvalidRequest) before sending when a\nparameter breaks a rule; otherwise see [`Error`]({rt}::Error).",
        rt = RT.root()
    );
    if op.success.body == SuccessBody::Bytes {
        let docs = super::docs::doc(&format!(
            "Sends the request and returns the successful response unread, to stream (see\n[`RawResponse::bytes_stream`]({})).\n\n{errors}",
            RT.path("RawResponse::bytes_stream")
        ));
        quote! {
            #docs
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<#RT::RawResponse, #error>> {
                self.send_raw()
            }
        }
    } else {
        let docs = super::docs::doc(&format!(
            "Sends the request and returns the decoded body.\n\n{errors}"
        ));
        quote! {
            #docs
            pub fn send(self) -> impl ::std::future::Future<Output = ::std::result::Result<#body_type, #error>> {
                #RT::runtime::body_of(self.send_with_response())
            }

            /// Sends the request and returns the decoded body with the status and headers.
            ///
            /// # Errors
            /// As [`send`](Self::send).
            pub fn send_with_response(self) -> impl ::std::future::Future<Output = ::std::result::Result<#RT::Response<#body_type #typed_headers>, #error>> {
                #send_fn(self.into_request() #send_arg)
            }
        }
    }
}

/// The methods of `op`'s builder for its alternative media types; `models` as seen from the
/// operation's module.
pub(super) fn alternatives(op: &Operation, models: &Models) -> TokenStream {
    let error = models.error();
    op.success
        .alternatives
        .iter()
        .map(|alternative| {
            let name = ident(&alternative.method);
            let media_type = &alternative.media_type;
            let SuccessCodec {
                sent,
                send: (send_fn, send_arg),
                ..
            } = codec(&alternative.body, models);
            let call = if alternative.body == SuccessBody::Bytes {
                quote!(#RT::runtime::send_raw(self.into_request()))
            } else {
                quote!(#RT::runtime::body_of::<#sent, (), _>(#send_fn(self.into_request() #send_arg)))
            };
            let docs = doc(&format!(
                "Asks for `{media_type}` (`Accept`) and returns\n{}.\n\n# Errors\nAs [`send`](Self::send).",
                what(&alternative.body)
            ));
            quote! {
                #docs
                pub fn #name(mut self) -> impl ::std::future::Future<Output = ::std::result::Result<#sent, #error>> {
                    self.draft.options_mut().set_accept(::std::string::String::from(#media_type));
                    #call
                }
            }
        })
        .collect()
}

/// What a send method of `body` returns, in words.
fn what(body: &SuccessBody) -> String {
    match body {
        SuccessBody::Stream(stream) if stream.framing == Framing::ServerSentEvents => {
            "the server-sent events as they arrive, each event's data decoded".to_owned()
        }
        SuccessBody::Stream(_) => "the items as they arrive, each decoded".to_owned(),
        SuccessBody::Text => "the body as text".to_owned(),
        SuccessBody::Bytes => format!(
            "the response unread, to read whole or stream ([`RawResponse::bytes_stream`]({}))",
            RT.path("RawResponse::bytes_stream")
        ),
        SuccessBody::Empty | SuccessBody::Json(_) | SuccessBody::OptionalJson(_) => {
            "the decoded body".to_owned()
        }
    }
}
