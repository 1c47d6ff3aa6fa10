//! Where a generated crate connects and how it authenticates: `SERVER_URL` and
//! `client_builder()`, documented with the specification's servers and security schemes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc, paragraphs};
use crate::ir::Api;
use crate::runtime_contract::RT;

pub(crate) fn items(api: &Api) -> TokenStream {
    let default = api.servers.iter().find(|s| s.absolute);
    let servers: Vec<String> = api
        .servers
        .iter()
        .map(|s| match &s.description {
            Some(description) => format!("- `{}`: {}", s.url, description.trim()),
            None => format!("- `{}`", s.url),
        })
        .collect();
    let schemes: Vec<String> = api
        .security
        .iter()
        .map(|s| match &s.setup {
            Some(setup) => format!("- `{}` ({}): {setup}", s.name, s.kind),
            None => format!(
                "- `{}` ({}): not supported by the runtime; requests carry no credentials for it",
                s.name, s.kind
            ),
        })
        .collect();
    let server_doc = (!servers.is_empty())
        .then(|| format!("Servers the specification lists:\n{}", servers.join("\n")));
    let scheme_doc = (!schemes.is_empty()).then(|| {
        format!(
            "Authentication the specification declares, and the builder call for each:\n{}",
            schemes.join("\n")
        )
    });
    let (constant, base) = match default {
        Some(server) => {
            let url = &server.url;
            let insecure = url.starts_with("http://").then_some(
                "The URL is plain `http://`: the client refuses it unless `allow_insecure_http(true)`.",
            );
            let docs = doc(&paragraphs([
                Some(
                    "The first server the specification lists with an absolute URL (server variables at their defaults).",
                ),
                insecure,
            ]));
            (
                quote! {
                    #docs
                    pub const SERVER_URL: &str = #url;
                },
                quote!(.base_url(SERVER_URL)),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let base_doc = if default.is_some() {
        "A client builder whose base URL is [`SERVER_URL`] and whose `User-Agent` names this crate and its version; add credentials and call `build()`."
    } else {
        "A client builder whose `User-Agent` names this crate and its version. The specification names no absolute server URL: set one with `base_url`, add credentials and call `build()`."
    };
    let docs = doc(&paragraphs([
        Some(base_doc),
        server_doc.as_deref(),
        scheme_doc.as_deref(),
    ]));
    quote! {
        #constant

        #docs
        pub fn client_builder() -> #RT::ClientBuilder {
            #RT::Client::builder()
                .user_agent(::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION")))
                #base
        }
    }
}
