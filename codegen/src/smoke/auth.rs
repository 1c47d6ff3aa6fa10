//! Which credentials the conformance program sends with each operation: what the operation's
//! `security` (or the document's) accepts, so that a validating server answers the request
//! rather than a 401.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::load::Spec;
use crate::runtime_contract::RT;

/// The credentials one call carries. The values are placeholders: a validating mock server
/// checks that they are present where the scheme says, not what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Auth {
    /// `security: [{}]` (or none at all): nothing is sent.
    None,
    /// HTTP Bearer, OAuth2 and OpenID Connect: `Authorization: Bearer …`.
    Bearer,
    /// HTTP Basic.
    Basic,
    /// An API key in a header, the query or a cookie.
    ApiKey {
        /// `Header`, `Query` or `Cookie`: the runtime's `ApiKeyLocation` variant.
        location: &'static str,
        /// The header, parameter or cookie name.
        name: String,
    },
}

impl Auth {
    /// The program's `Auth` value for this call.
    pub(super) fn tokens(&self) -> TokenStream {
        match self {
            Auth::None => quote!(Auth::None),
            Auth::Bearer => quote!(Auth::Bearer),
            Auth::Basic => quote!(Auth::Basic),
            Auth::ApiKey { location, name } => {
                let location = crate::naming::ident(location);
                quote!(Auth::ApiKey(#RT::ApiKeyLocation::#location, #name))
            }
        }
    }
}

/// What to send for the operation `raw_op` (its raw object): the first alternative of its
/// requirements (the operation's own `security`, else the document's) that one credential
/// satisfies. An alternative that asks for several schemes at once cannot be met by one
/// client; its first scheme is sent when no other alternative is left.
pub(super) fn operation_auth(spec: &Spec, raw_op: Option<&Value>) -> Auth {
    let requirements = raw_op
        .and_then(|op| op.get("security"))
        .or_else(|| spec.raw.get("security"))
        .and_then(Value::as_array);
    let Some(requirements) = requirements else {
        return Auth::None;
    };
    let alternatives: Vec<&serde_json::Map<String, Value>> =
        requirements.iter().filter_map(Value::as_object).collect();
    if alternatives.is_empty() {
        return Auth::None;
    }
    let single = alternatives
        .iter()
        .find(|alternative| alternative.len() <= 1 && scheme_auth(spec, alternative).is_some());
    let chosen = single.or_else(|| alternatives.first());
    chosen
        .and_then(|alternative| scheme_auth(spec, alternative))
        .unwrap_or(Auth::None)
}

/// The credential for an alternative's first scheme (`None` for an empty alternative, which
/// asks for nothing); `None` too when the scheme is unknown or cannot be sent (mutual TLS).
fn scheme_auth(spec: &Spec, alternative: &serde_json::Map<String, Value>) -> Option<Auth> {
    let Some(name) = alternative.keys().next() else {
        return Some(Auth::None);
    };
    let scheme = spec
        .raw
        .pointer("/components/securitySchemes")
        .and_then(|schemes| schemes.get(name))
        .map(|scheme| super::resolve(spec, scheme))?;
    let text = |key: &str| scheme.get(key).and_then(Value::as_str);
    match text("type")? {
        "apiKey" => Some(Auth::ApiKey {
            location: match text("in")? {
                "header" => "Header",
                "query" => "Query",
                "cookie" => "Cookie",
                _ => return None,
            },
            name: text("name")?.to_owned(),
        }),
        "http" => match text("scheme")?.to_ascii_lowercase().as_str() {
            "basic" => Some(Auth::Basic),
            // A mock server cannot challenge; any `Authorization` it accepts is sent.
            _ => Some(Auth::Bearer),
        },
        "oauth2" | "openIdConnect" => Some(Auth::Bearer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(security: &str) -> Spec {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\n{security}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses: {{'204': {{description: none}}}}\ncomponents:\n  securitySchemes:\n    basic: {{type: http, scheme: basic}}\n    token: {{type: http, scheme: bearer}}\n    digest: {{type: http, scheme: digest}}\n    header: {{type: apiKey, in: header, name: X-Key}}\n    query: {{type: apiKey, in: query, name: key}}\n    cookie: {{type: apiKey, in: cookie, name: session}}\n    oauth: {{type: oauth2, flows: {{clientCredentials: {{tokenUrl: /t, scopes: {{}}}}}}}}\n    tls: {{type: mutualTLS}}\n"
        );
        Spec::parse("t.yaml", &text).unwrap()
    }

    fn auth(document: &str, operation: Value) -> Auth {
        let spec = spec(document);
        operation_auth(&spec, Some(&operation))
    }

    #[test]
    fn each_operation_gets_the_credentials_its_security_accepts() {
        let key = |location, name: &str| Auth::ApiKey {
            location,
            name: name.to_owned(),
        };
        let cases = [
            ("", serde_json::json!({}), Auth::None),
            (
                "security: [{basic: []}]",
                serde_json::json!({}),
                Auth::Basic,
            ),
            (
                "security: [{basic: []}]",
                serde_json::json!({"security": [{}]}),
                Auth::None,
            ),
            (
                "",
                serde_json::json!({"security": [{"header": []}]}),
                key("Header", "X-Key"),
            ),
            (
                "",
                serde_json::json!({"security": [{"query": []}]}),
                key("Query", "key"),
            ),
            (
                "",
                serde_json::json!({"security": [{"cookie": []}]}),
                key("Cookie", "session"),
            ),
            (
                "",
                serde_json::json!({"security": [{"oauth": ["read"]}]}),
                Auth::Bearer,
            ),
            (
                "",
                serde_json::json!({"security": [{"digest": []}]}),
                Auth::Bearer,
            ),
            // Two schemes at once cannot be sent by one client: the single one is chosen.
            (
                "",
                serde_json::json!({"security": [{"header": [], "query": []}, {"token": []}]}),
                Auth::Bearer,
            ),
            // Mutual TLS is not a header: the next alternative.
            (
                "",
                serde_json::json!({"security": [{"tls": []}, {"basic": []}]}),
                Auth::Basic,
            ),
        ];
        for (document, operation, expected) in cases {
            assert_eq!(
                auth(document, operation.clone()),
                expected,
                "{document} {operation}"
            );
        }
    }
}
