//! A send method for each media type a success response is documented in besides the one
//! `send()` decodes (`ir::Alternative`): it asks for that type with `Accept` and decodes
//! what it carries, so a chat completion's event stream or a speech endpoint's WAV is as
//! typed as its JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc;
use super::success::{SuccessCodec, codec};
use super::types::Models;
use crate::ir::{Framing, Operation, SuccessBody};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The methods of `op`'s builder for its alternative media types; `models` as seen from the
/// operation's module.
pub(super) fn methods(op: &Operation, models: &Models) -> TokenStream {
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
                quote!(#RT::runtime::body_of::<#sent, ()>(#send_fn(self.into_request() #send_arg)))
            };
            let docs = doc(&format!(
                "Asks for `{media_type}` (`Accept`) and returns\n{}.\n\n# Errors\nAs [`send`](Self::send).",
                what(&alternative.body)
            ));
            quote! {
                #docs
                pub fn #name(mut self) -> impl ::std::future::Future<Output = ::std::result::Result<#sent, #RT::Error>> {
                    self.options.set_accept(::std::string::String::from(#media_type));
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
