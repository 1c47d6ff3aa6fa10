//! The generator options of a fixture (`fixtures/<name>.yaml`): its waiter table when one
//! sits beside it (`fixtures/<name>.waiters.toml`), and the accessors asked for. One file for
//! `build.rs`, which compiles the fixtures, and the snapshot test, which compares their
//! text, so that the two cannot read a fixture differently.

use std::path::{Path, PathBuf};

/// The waiter table beside the fixture `spec`, whether or not it exists.
pub fn waiter_table_of(spec: &Path) -> PathBuf {
    spec.with_extension("waiters.toml")
}

/// The options of the fixture `spec`, with `accessors`: as atlas-sdk embeds the generated
/// modules ([`codegen::Options::embedded_in_sdk`], its `ApiError` hand-written) for
/// `Accessors::Inherent`, as a crate of its own otherwise.
pub fn fixture_options(spec: &Path, accessors: codegen::Accessors) -> codegen::Options {
    let table = waiter_table_of(spec);
    let waiters = match std::fs::read_to_string(&table) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", table.display())),
        Err(_) => codegen::waiters::WaiterTable::default(),
    };
    let base = match accessors {
        codegen::Accessors::Inherent => codegen::Options::embedded_in_sdk(&["ApiError"]),
        _ => codegen::Options::default(),
    };
    codegen::Options {
        waiters,
        accessors,
        ..base
    }
}
