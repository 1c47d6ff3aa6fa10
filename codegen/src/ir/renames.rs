//! The names a previous document gave operations and types that the new one renamed, which
//! a generated crate keeps as deprecated aliases (`diff::renames_between` finds them; emit
//! writes the aliases).

use std::collections::BTreeMap;

/// What an operation was called before.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormerNames {
    /// Its former `operationId`.
    pub id: String,
    /// Its former method name on the tag.
    pub fn_name: String,
    /// Its former builder type.
    pub builder_name: String,
}

/// Renames between two documents, keyed by the new names; serialized as a table a
/// maintainer can read (`spec/former-names.toml` for the Atlas SDK).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    /// A renamed operation's id now → what it was called (only where the method name
    /// changed, the tag did not, and no other method of the tag has the old name now).
    #[serde(default)]
    pub operations: BTreeMap<String, FormerNames>,
    /// A renamed type's former name → its name now (same shape; the former name is free).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

impl Renames {
    /// Whether nothing was renamed.
    pub fn is_empty(&self) -> bool {
        self.operations.is_empty() && self.types.is_empty()
    }
}
