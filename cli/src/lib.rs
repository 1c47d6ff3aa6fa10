//! The generator's command line, as a library: what `specwire` (this package's binary)
//! and the workspace's `cargo xtask` both run, so that there is one implementation.
//!
//! [`codegen`] is pure (a document in, files out); this crate does the I/O
//! around it: reading a document and the files it refers to ([`bundle`]), writing a crate
//! without ever touching a file the generator did not write ([`tree`]), the coverage report
//! ([`coverage`]) and the report of changes between two documents ([`diff`]).

pub mod bundle;
pub mod coverage;
pub mod diff;
pub mod paths;
pub mod standalone;
pub mod strict;
pub mod tree;

/// The generator library (`specwire-codegen`), for callers that want its types.
pub use ::codegen;

/// The runtime crate's version (`specwire` on crates.io) that this generator's code is
/// written for: a standalone crate depends on it unless told to take the runtime from a path
/// or a git repository. The workspace's tests hold it equal to `specwire/Cargo.toml`.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// `n` with a comma between groups of three digits (`1,941`).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
