//! httpbin (PyPI, in `tests/peers/.venv`, served by gunicorn): a second Digest server, with
//! SHA-256 (`/digest-auth/auth/{user}/{password}/SHA-256`).

use std::process::Command;

use crate::process::{PeerProcess, free_port};

/// A running httpbin; stopped when dropped.
pub struct Httpbin {
    process: PeerProcess,
}

impl Httpbin {
    /// Starts httpbin on a free loopback port.
    pub fn start() -> Httpbin {
        let gunicorn = crate::workspace_root().join("tests/peers/.venv/bin/gunicorn");
        assert!(
            gunicorn.exists(),
            "httpbin is not installed: run `cargo xtask test`, or create tests/peers/.venv from tests/peers/requirements.txt"
        );
        let port = free_port();
        let mut command = Command::new(gunicorn);
        command.args([
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--workers",
            "1",
            "httpbin:app",
        ]);
        Httpbin {
            process: PeerProcess::spawn("httpbin", command, port),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.process.base_url()
    }
}
