//! The `webhooks` module: one function per webhook that decodes the JSON body of the
//! request the API sends into its documented type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, inner_doc, paragraphs, spec_text};
use super::features::FeatureMap;
use super::types::Models;
use crate::ir::{Api, TypeNames};
use crate::naming::ident;
use crate::runtime_contract::RT;

/// The module's name beside the tag modules (lowering keeps it free when there are webhooks).
pub(crate) const MODULE: &str = "webhooks";

pub(crate) fn module(api: &Api, features: Option<&FeatureMap>) -> super::Module {
    let models = Models::at(&api.types, quote!(super));
    let functions = api.webhooks.iter().map(|hook| {
        let name = ident(&hook.fn_name);
        let wire_name = &hook.name;
        let ty = models.nested(&hook.ty);
        let gate = match (features, hook.ty.named()) {
            (Some(features), Some(id)) => features.type_gate(api.types.type_name(id)),
            _ => TokenStream::new(),
        };
        let description = spec_text(hook.description.as_deref());
        let docs = doc(&paragraphs([
            Some(format!("The `{wire_name}` webhook: a `{}` request the API sends, with a body of `{}`.", hook.method, hook.media_type).as_str()),
            description.as_deref(),
            Some("Decodes the request's body. Unknown fields are skipped and unknown enum values kept, as in responses."),
            Some(format!("# Errors\n[`WebhookError`]({}) when the body is not JSON of this type; it says where decoding failed.", RT.path("WebhookError")).as_str()),
        ]));
        quote! {
            #docs
            #gate
            pub fn #name(body: &[u8]) -> ::std::result::Result<#ty, #RT::WebhookError> {
                #RT::webhook::decode(#wire_name, body)
            }
        }
    });
    super::Module {
        name: MODULE.to_owned(),
        public: true,
        doc: inner_doc(
            "Webhooks: the requests the API sends to its callers. Each function decodes one webhook's request body, as a web server hands it over:\n\n```ignore\nlet payload = webhooks::some_webhook(&request_body)?;\n```",
        ),
        items: quote!(#(#functions)*),
        children: Vec::new(),
        cfg: TokenStream::new(),
        own_file: true,
        children_inline: false,
    }
}
