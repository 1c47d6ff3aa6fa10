//! Waiter tables: which operations to poll, and until what (`spec/waiters.toml` for
//! MongoDB's specs). Entries are keyed by method and path template, never by `operationId`,
//! which publishers rename. The caller parses the table (TOML in the command line); this
//! module holds its shape, and lowering checks each entry against the document
//! (`lower/waiters.rs`).

use serde::Deserialize;

/// A waiter table: `[[waiter]]` entries.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterTable {
    /// The waiters.
    #[serde(default, rename = "waiter")]
    pub waiters: Vec<WaiterEntry>,
}

/// One waiter: `wait_until_<name>` on the tag of the operation at `method` and `path`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiterEntry {
    /// `cluster_ready` → `wait_until_cluster_ready`.
    pub name: String,
    /// The HTTP method of the operation polled (`GET`).
    pub method: String,
    /// Its path template, as the document writes it.
    pub path: String,
    /// The first (and least) delay between polls, in seconds (default 2).
    #[serde(default)]
    pub min_delay_seconds: Option<f64>,
    /// The longest delay between polls, in seconds (default 60).
    #[serde(default)]
    pub max_delay_seconds: Option<f64>,
    /// How long to wait in all, in seconds (default 1800).
    #[serde(default)]
    pub timeout_seconds: Option<f64>,
    /// The rules, in order: the first that matches decides.
    #[serde(rename = "acceptor")]
    pub acceptors: Vec<AcceptorEntry>,
}

/// One rule: an outcome, and a status, an error's `errorCode`, or a field of the body with
/// its values.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptorEntry {
    /// `success`, `failure` or `retry`.
    pub outcome: OutcomeName,
    /// A status (a success or an error status).
    #[serde(default)]
    pub status: Option<u16>,
    /// The `errorCode` of an error response's body (`CLUSTER_NOT_FOUND`).
    #[serde(default)]
    pub error_code: Option<String>,
    /// A JSON pointer into the success body (`/stateName`).
    #[serde(default)]
    pub field: Option<String>,
    /// The values of `field` that match.
    #[serde(default)]
    pub values: Vec<String>,
    /// Instead of `values`: the rule matches when `field` is there and not `null` (a
    /// `finishedAt` that appears when the work is done).
    #[serde(default)]
    pub present: bool,
}

/// What a rule decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeName {
    /// Done.
    Success,
    /// Failed.
    Failure,
    /// Not yet.
    Retry,
}

/// A waiter checked against the document: where it goes and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    /// The method's name, `wait_until_<name>`.
    pub fn_name: String,
    /// The entry's name.
    pub name: String,
    /// The operation polled: its index in its tag's operations.
    pub operation: usize,
    /// The entry.
    pub entry: WaiterEntry,
}
