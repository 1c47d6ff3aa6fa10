//! Document-level facts for a generated crate: its servers and its security schemes.

use openapiv3::{APIKeyLocation, SecurityScheme};

use crate::ir::{Diagnostic, SecuritySetup, Server};
use crate::load::Spec;

/// The servers the document lists, each with its variables at their defaults. When the
/// document lists none at the top, the servers its paths and operations list stand in (most
/// used first); paths whose servers differ from the first get a note, as requests go to the
/// client's one base URL.
pub(crate) fn servers(spec: &Spec, diagnostics: &mut Vec<Diagnostic>) -> Vec<Server> {
    let top: Vec<Server> = spec.openapi.servers.iter().map(server).collect();
    // (pointer, servers) of every path item and operation that lists its own.
    let mut local: Vec<(String, Vec<Server>)> = Vec::new();
    for (path, item) in &spec.openapi.paths.paths {
        let Some(item) = item.as_item() else { continue };
        let at = format!("#/paths/{}", crate::error::escape_token(path));
        if !item.servers.is_empty() {
            local.push((
                format!("{at}/servers"),
                item.servers.iter().map(server).collect(),
            ));
        }
        for (method, operation) in item.iter() {
            if !operation.servers.is_empty() {
                let servers = operation.servers.iter().map(server).collect();
                local.push((format!("{at}/{method}/servers"), servers));
            }
        }
    }
    let servers = if top.iter().any(|s| s.absolute) {
        top
    } else {
        let mut counts: Vec<(Server, usize)> = Vec::new();
        for server in local.iter().flat_map(|(_, s)| s.first()) {
            match counts.iter_mut().find(|(s, _)| s.url == server.url) {
                Some((_, n)) => *n += 1,
                None => counts.push((server.clone(), 1)),
            }
        }
        // Most used first; ties keep document order.
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        let mut servers: Vec<Server> = counts.into_iter().map(|(s, _)| s).collect();
        servers.extend(top);
        servers
    };
    if let Some(default) = servers.iter().find(|s| s.absolute) {
        for (at, listed) in &local {
            if listed.first().is_some_and(|s| s.url != default.url) {
                diagnostics.push(Diagnostic {
                    kind: crate::ir::NoteKind::Unused,
                    pointer: at.clone(),
                    message: format!(
                        "this path's server `{}` differs from the crate's SERVER_URL `{}`; requests go to the client's base URL",
                        listed[0].url, default.url
                    ),
                });
            }
        }
    }
    servers
}

fn server(server: &openapiv3::Server) -> Server {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    Server {
        absolute: url.starts_with("https://") || url.starts_with("http://"),
        url: url.trim_end_matches('/').to_owned(),
        description: server.description.clone(),
    }
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
                        "`.api_key({krate}::ApiKeyLocation::{location}, {key:?}, key)`",
                        krate = crate::runtime_contract::CRATE
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
 kind: crate::ir::NoteKind::Security,
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
