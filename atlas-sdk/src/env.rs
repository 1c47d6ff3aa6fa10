//! Configuration from the environment, under the names MongoDB's own tools read (Atlas CLI
//! documentation, "Atlas CLI Environment Variables").

use crate::{ClientBuilder, Error};

/// Service account client id (with [`CLIENT_SECRET`]).
pub const CLIENT_ID: &str = "MONGODB_ATLAS_CLIENT_ID";
/// Service account client secret (with [`CLIENT_ID`]).
pub const CLIENT_SECRET: &str = "MONGODB_ATLAS_CLIENT_SECRET";
/// API key public part, the HTTP Digest user (with [`PRIVATE_API_KEY`]).
pub const PUBLIC_API_KEY: &str = "MONGODB_ATLAS_PUBLIC_API_KEY";
/// API key private part, the HTTP Digest password (with [`PUBLIC_API_KEY`]).
pub const PRIVATE_API_KEY: &str = "MONGODB_ATLAS_PRIVATE_API_KEY";
/// An access token obtained elsewhere, sent as a bearer token.
pub const ACCESS_TOKEN: &str = "MONGODB_ATLAS_ACCESS_TOKEN";
/// The organization the application works in (read by [`Client::org_id`](crate::Client::org_id)).
pub const ORG_ID: &str = "MONGODB_ATLAS_ORG_ID";
/// The project the application works in (read by
/// [`Client::project_id`](crate::Client::project_id)).
pub const PROJECT_ID: &str = "MONGODB_ATLAS_PROJECT_ID";
/// Overrides the base URL (default `https://cloud.mongodb.com`), e.g. for a test server.
pub const BASE_URL: &str = "MONGODB_ATLAS_BASE_URL";

impl ClientBuilder {
    /// A builder configured from the environment: a service account
    /// (`MONGODB_ATLAS_CLIENT_ID` + `MONGODB_ATLAS_CLIENT_SECRET`) if set, else an API key
    /// (`MONGODB_ATLAS_PUBLIC_API_KEY` + `MONGODB_ATLAS_PRIVATE_API_KEY`, HTTP Digest), else
    /// `MONGODB_ATLAS_ACCESS_TOKEN`; `MONGODB_ATLAS_BASE_URL` overrides the base URL, and
    /// `MONGODB_ATLAS_ORG_ID` / `MONGODB_ATLAS_PROJECT_ID` are kept for
    /// [`Client::org_id`](crate::Client::org_id) and
    /// [`Client::project_id`](crate::Client::project_id). Empty variables count as unset.
    /// Values never appear in errors or logs.
    ///
    /// ```no_run
    /// let client = atlas_sdk::Client::from_env()?;
    /// # Ok::<(), atlas_sdk::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Config`] naming the variables when no credentials are set, or when only one
    /// half of a pair is.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// [`from_env`](Self::from_env) over any source of variables (for tests and for
    /// configuration that does not live in the process environment).
    ///
    /// # Errors
    /// As [`from_env`](Self::from_env).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let var = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let pair = |a: &'static str, b: &'static str| match (var(a), var(b)) {
            (Some(x), Some(y)) => Ok(Some((x, y))),
            (None, None) => Ok(None),
            (Some(_), None) => Err(Error::Config(format!("{a} is set but {b} is not"))),
            (None, Some(_)) => Err(Error::Config(format!("{b} is set but {a} is not"))),
        };
        let mut builder = ClientBuilder::default();
        if let Some(url) = var(BASE_URL) {
            builder = builder.base_url(url);
        }
        builder = builder.org_and_project(var(ORG_ID), var(PROJECT_ID));
        if let Some((id, secret)) = pair(CLIENT_ID, CLIENT_SECRET)? {
            return Ok(builder.service_account(id, secret));
        }
        if let Some((public, private)) = pair(PUBLIC_API_KEY, PRIVATE_API_KEY)? {
            return Ok(builder.digest_auth(public, private));
        }
        if let Some(token) = var(ACCESS_TOKEN) {
            return Ok(builder.bearer_token(token));
        }
        Err(Error::Config(format!(
            "no Atlas credentials in the environment: set {CLIENT_ID} and {CLIENT_SECRET} (service account), {PUBLIC_API_KEY} and {PRIVATE_API_KEY} (API key), or {ACCESS_TOKEN}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn builder(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ClientBuilder::from_vars(|name| vars.get(name).cloned())
    }

    fn credentials(vars: &[(&str, &str)]) -> String {
        let debug = format!("{:?}", builder(vars).unwrap());
        let start = debug.find("credentials: \"").unwrap() + 14;
        debug[start..].split('"').next().unwrap().to_owned()
    }

    #[test]
    fn service_account_wins_over_api_key_over_token() {
        let all = [
            (CLIENT_ID, "id"),
            (CLIENT_SECRET, "secret"),
            (PUBLIC_API_KEY, "pub"),
            (PRIVATE_API_KEY, "priv"),
            (ACCESS_TOKEN, "tok"),
        ];
        assert_eq!(credentials(&all), "service account (redacted)");
        assert_eq!(credentials(&all[2..]), "digest API key (redacted)");
        assert_eq!(credentials(&all[4..]), "bearer token (redacted)");
        // Empty counts as unset.
        assert_eq!(
            credentials(&[(CLIENT_ID, " "), (CLIENT_SECRET, ""), (ACCESS_TOKEN, "tok")]),
            "bearer token (redacted)"
        );
    }

    #[test]
    fn missing_credentials_and_half_pairs_are_named_without_values() {
        let Err(Error::Config(message)) = builder(&[]) else {
            panic!("expected a configuration error");
        };
        for name in [
            CLIENT_ID,
            CLIENT_SECRET,
            PUBLIC_API_KEY,
            PRIVATE_API_KEY,
            ACCESS_TOKEN,
        ] {
            assert!(message.contains(name), "{message}");
        }
        let Err(Error::Config(message)) = builder(&[(PUBLIC_API_KEY, "s3cret-pub")]) else {
            panic!("expected a configuration error");
        };
        assert_eq!(
            message,
            "MONGODB_ATLAS_PUBLIC_API_KEY is set but MONGODB_ATLAS_PRIVATE_API_KEY is not"
        );
        assert!(!message.contains("s3cret"));
    }

    #[test]
    fn base_url_org_and_project_are_read() {
        let client = builder(&[
            (ACCESS_TOKEN, "tok"),
            (BASE_URL, "https://atlas.example.com/"),
            (ORG_ID, "org1"),
            (PROJECT_ID, "proj1"),
        ])
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "https://atlas.example.com");
        assert_eq!(client.org_id(), Some("org1"));
        assert_eq!(client.project_id(), Some("proj1"));
        let plain = builder(&[(ACCESS_TOKEN, "tok")]).unwrap().build().unwrap();
        assert_eq!(plain.project_id(), None);
    }
}
