//! Test support for atlas-sdk: the generator's output for the fixture specs in `fixtures/`,
//! compiled (see `build.rs`), and helpers for the end-to-end tests.
//!
//! The fixture modules are generated without client accessors (`<Tag>::new(client)`), since
//! only the atlas-sdk crate itself can add methods to `atlas_sdk::Client`.

// The generator documents every public item it emits; the fixtures prove it.
#![warn(missing_docs)]

pub mod apache;
pub mod httpbin;
pub mod oauth;
pub mod prism;
pub mod process;

/// The repository root (this crate lives in `tests/`).
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), std::path::PathBuf::from)
}

/// The generator's output for the fixture specs (`fixtures/*.yaml`).
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/atlas-api-2023.rs"));
    include!(concat!(env!("OUT_DIR"), "/keywords.rs"));
    include!(concat!(env!("OUT_DIR"), "/leniency.rs"));
    include!(concat!(env!("OUT_DIR"), "/shapes.rs"));
    include!(concat!(env!("OUT_DIR"), "/types.rs"));
    include!(concat!(env!("OUT_DIR"), "/wire.rs"));
}

/// Compiles the README's Rust examples as doc tests, so the usage example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
