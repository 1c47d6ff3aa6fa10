//! Document-level facts for a generated crate: its servers and its security schemes.

use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::ir::{Diagnostic, SecuritySetup, Server};
use crate::load::Spec;

/// The servers the document lists, each with its variables at their defaults.
pub(crate) fn servers(spec: &Spec) -> Vec<Server> {
    spec.openapi
        .servers
        .iter()
        .map(|server| {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            Server {
                absolute: url.starts_with("https://") || url.starts_with("http://"),
                url: url.trim_end_matches('/').to_owned(),
                description: server.description.clone(),
            }
        })
        .collect()
}

/// How each security scheme is configured on the runtime's `ClientBuilder`, or why it
/// cannot be (then a note says so).
pub(crate) fn security(spec: &Spec, diagnostics: &mut Vec<Diagnostic>) -> Vec<SecuritySetup> {
    let Some(components) = &spec.openapi.components else {
        return Vec::new();
    };
    let mut setups = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let at = format!(
            "#/components/securitySchemes/{}",
            crate::error::escape_token(name)
        );
        // `$ref`s between schemes are rare; the target is documented where it is defined.
        let Some(scheme) = scheme.as_item() else {
            continue;
        };
        let (kind, setup) = match scheme {
            SecurityScheme::APIKey {
                location,
                name: key,
                ..
            } => {
                let location = match location {
                    APIKeyLocation::Header => "Header",
                    APIKeyLocation::Query => "Query",
                    APIKeyLocation::Cookie => "Cookie",
                };
                (
                    format!("API key `{key}` in the {}", location.to_lowercase()),
                    Some(format!(
                        "`.api_key(atlas_sdk::ApiKeyLocation::{location}, {key:?}, key)`"
                    )),
                )
            }
            SecurityScheme::HTTP { scheme: http, .. } => match http.to_ascii_lowercase().as_str() {
                "basic" => (
                    "HTTP Basic".to_owned(),
                    Some("`.basic_auth(user, password)`".to_owned()),
                ),
                "bearer" => (
                    "HTTP Bearer".to_owned(),
                    Some("`.bearer_token(token)`".to_owned()),
                ),
                "digest" => (
                    "HTTP Digest".to_owned(),
                    Some("`.digest_auth(user, password)`".to_owned()),
                ),
                other => (format!("HTTP `{other}`"), None),
            },
            SecurityScheme::OAuth2 { flows, .. } => match &flows.client_credentials {
                Some(flow) => (
                    format!("OAuth2 client credentials (token URL `{}`)", flow.token_url),
                    Some(format!(
                        "`.service_account(client_id, client_secret).service_account_token_url({:?})`",
                        flow.token_url
                    )),
                ),
                None => (
                    "OAuth2 (no client-credentials flow)".to_owned(),
                    Some("`.bearer_token(token)` with a token obtained elsewhere".to_owned()),
                ),
            },
            SecurityScheme::OpenIDConnect {
                open_id_connect_url,
                ..
            } => (
                format!("OpenID Connect (`{open_id_connect_url}`)"),
                Some("`.bearer_token(token)` with a token obtained elsewhere".to_owned()),
            ),
        };
        if setup.is_none() {
            diagnostics.push(Diagnostic {
                pointer: at,
                message: format!(
                    "security scheme `{name}` ({kind}) has no counterpart in the runtime; it is documented, and requests carry no credentials for it"
                ),
            });
        }
        setups.push(SecuritySetup {
            name: name.clone(),
            kind,
            setup,
        });
    }
    setups
}
