//! The generator options of a fixture (`fixtures/<name>.yaml`): its waiter table when one
//! sits beside it (`fixtures/<name>.waiters.toml`), and the accessors asked for. One file for
//! `build.rs`, which compiles the fixtures, and the snapshot test, which compares their
//! text, so that the two cannot read a fixture differently.

use std::path::{Path, PathBuf};

/// The waiter table beside the fixture `spec`, whether or not it exists.
pub fn waiter_table_of(spec: &Path) -> PathBuf {
    spec.with_extension("waiters.toml")
}

/// The options of the fixture `spec`, with `accessors`.
pub fn fixture_options(spec: &Path, accessors: codegen::Accessors) -> codegen::Options {
    let table = waiter_table_of(spec);
    let waiters = match std::fs::read_to_string(&table) {
        Ok(text) => toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", table.display())),
        Err(_) => codegen::waiters::WaiterTable::default(),
    };
    codegen::Options {
        waiters,
        accessors,
        ..codegen::Options::default()
    }
}
