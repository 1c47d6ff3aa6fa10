//! Prism (`@stoplight/prism-cli`, pinned in `tests/peers/package-lock.json`) serving a spec on
//! a loopback port, validating every request against it.

use std::process::Command;

use crate::process::{PeerProcess, free_port};

/// A running Prism mock server; stopped when dropped.
pub struct Prism {
    process: PeerProcess,
    _spec: tempfile::NamedTempFile,
}

impl Prism {
    /// Starts Prism on a free loopback port serving `spec` (relative to the repository root)
    /// and waits until it accepts connections.
    ///
    /// Prism silently skips query validation for every operation with a `\:` in one of its
    /// patterns (ARCHITECTURE.md, "Test peers"), so it serves a copy with `\:` written as `:`, which means the
    /// same in JavaScript.
    pub fn start(spec: &str) -> Prism {
        let root = crate::workspace_root();
        let binary = root.join("tests/peers/node_modules/.bin/prism");
        assert!(
            binary.exists(),
            "Prism is not installed: run `cargo xtask test`, or `npm ci --prefix tests/peers`"
        );
        let text = std::fs::read_to_string(root.join(spec))
            .unwrap_or_else(|e| panic!("reading {spec}: {e}"));
        let served = tempfile::Builder::new()
            .suffix(".yaml")
            .tempfile()
            .expect("temporary spec file");
        std::fs::write(served.path(), text.replace("\\\\:", ":")).expect("writing the spec copy");
        let port = free_port();
        let mut command = Command::new(&binary);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(served.path());
        Prism {
            process: PeerProcess::spawn("Prism", command, port),
            _spec: served,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.process.base_url()
    }
}
