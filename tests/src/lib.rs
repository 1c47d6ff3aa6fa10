//! Test support for atlas-sdk: the generator's output for the fixture specs in `fixtures/`,
//! compiled (see `build.rs`), and helpers for the end-to-end tests.
//!
//! The fixture modules are generated without client accessors (`<Tag>::new(client)`), since
//! only a crate that defines its own `Client` can add methods to it.

// The generator documents every public item it emits; the fixtures prove it.
#![warn(missing_docs)]

pub mod apache;
pub mod fault_proxy;
pub mod httpbin;
pub mod mutual_tls;
pub mod oauth;
pub mod peers;
pub mod prism;
pub mod process;

/// The repository root (this crate lives in `tests/`).
pub fn workspace_root() -> std::path::PathBuf {
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or(manifest.clone(), std::path::PathBuf::from)
}

/// A document of `../shared/specs` (the specs that sit beside the checkout, never copied into
/// it), read by its path below that directory. `None`, after one line saying why, when it is
/// not there: a clone without `../shared` skips the tests that need it. With `CI` set a test
/// may not skip, unless CI hid the directory on purpose to prove exactly that
/// (`ATLAS_SDK_SHARED_HIDDEN`).
pub fn shared_spec(relative: &str) -> Option<String> {
    let path = workspace_root().join("../shared/specs").join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error) => {
            assert!(
                !peers::in_ci() || std::env::var_os("ATLAS_SDK_SHARED_HIDDEN").is_some(),
                "CI is set, so no test may skip: {}: {error}",
                path.display()
            );
            use std::io::Write as _;
            // Not `eprintln!`, which the test harness captures.
            let _ = writeln!(std::io::stderr(), "skipped: {} ({error})", path.display());
            None
        }
    }
}

/// The generator's output for the fixture specs (`fixtures/*.yaml`).
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
}

/// Every item of the runtime that generated code names (`codegen::runtime_probe`): this
/// crate compiles only while the runtime has them all.
#[allow(unused_imports)]
mod runtime_probe {
    include!(concat!(env!("OUT_DIR"), "/runtime_probe.rs"));
}

/// Generated models are `#[non_exhaustive]`, so a field added in a minor release breaks no
/// user: outside the SDK a struct literal is refused (error E0639, checked by rustdoc) ...
///
/// ```compile_fail,E0639
/// use atlas_sdk_tests::fixtures::wire::models;
/// let deep = models::QueryStylesDeep { a: None, b: None };
/// ```
///
/// ... and a model a request carries is built with its constructor (the required properties)
/// and setters instead:
///
/// ```
/// use atlas_sdk_tests::fixtures::wire::models;
/// let deep = models::QueryStylesDeep::new().with_a("A").with_b(7);
/// assert_eq!((deep.a.as_deref(), deep.b), (Some("A"), Some(7)));
/// let mut body = models::PostFormBody::new("+1 555").with_count(3);
/// body.tags = Some(vec!["x".to_owned()]); // fields are public: change them in place
/// assert_eq!((body.to.as_str(), body.count), ("+1 555", Some(3)));
/// ```
#[cfg(doctest)]
pub struct NonExhaustiveModels;

/// Compiles the README's Rust examples as doc tests, so the usage example cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
