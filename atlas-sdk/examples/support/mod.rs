//! What the task examples share: the client. With `MONGODB_ATLAS_*` credentials set (see
//! `atlas_sdk::env`) it talks to Atlas; without, every call is answered in-process by the
//! example's own mocks (the `mock` feature), so that each example runs anywhere and CI runs
//! them all. The mocks also show how to test code like it.

#![allow(dead_code, reason = "each example uses the part it needs")]

use atlas_sdk::mock::Mocks;
use atlas_sdk::{Client, ClientBuilder, Error, env};

/// A client for Atlas when credentials are set, otherwise one whose calls `script` answers.
pub fn client<E>(script: impl FnOnce(&Mocks) -> Result<(), E>) -> Result<Client, Error>
where
    Error: From<E>,
{
    builder(script)?.build()
}

/// [`client`]'s builder, for an example that sets more (a retry policy, a timeout).
pub fn builder<E>(script: impl FnOnce(&Mocks) -> Result<(), E>) -> Result<ClientBuilder, Error>
where
    Error: From<E>,
{
    let credentials = [env::CLIENT_ID, env::PUBLIC_API_KEY, env::ACCESS_TOKEN];
    if credentials
        .iter()
        .any(|name| std::env::var_os(name).is_some())
    {
        return ClientBuilder::from_env();
    }
    eprintln!("(no MONGODB_ATLAS_* credentials: Atlas's answers come from this example's mocks)");
    let mocks = Mocks::new();
    script(&mocks).map_err(Error::from)?;
    Ok(Client::builder().mock(mocks))
}

/// The program's `n`th argument (from 1), or `default`.
pub fn argument(n: usize, default: &str) -> String {
    std::env::args()
        .nth(n)
        .unwrap_or_else(|| default.to_owned())
}

/// The project to work in: `MONGODB_ATLAS_PROJECT_ID`, or the mocks' project.
pub fn project_id() -> String {
    std::env::var(env::PROJECT_ID).unwrap_or_else(|_| "32b6e34b3d91647abb20e7b8".to_owned())
}

/// A value of a model type from JSON: what the mocks answer with.
pub fn from_json<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("the example's mock answer fits its type")
}
