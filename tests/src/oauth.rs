//! oauth2-mock-server (npm, pinned), wrapped by `tests/peers/oauth2-server.mjs` so that it
//! checks the client id and secret and reports each token it issues.

use std::process::Command;

use crate::process::{PeerProcess, free_port};

/// A running token server; stopped when dropped.
pub struct OAuthServer {
    process: PeerProcess,
}

impl OAuthServer {
    /// Issues tokens valid for `expires_in` seconds to `client_id`/`client_secret` only.
    pub fn start(client_id: &str, client_secret: &str, expires_in: u64) -> OAuthServer {
        let peers = crate::workspace_root().join("tests/peers");
        assert!(
            peers.join("node_modules/oauth2-mock-server").exists(),
            "oauth2-mock-server is not installed: run `cargo xtask test`, or `npm ci --prefix tests/peers`"
        );
        let port = free_port();
        let mut command = Command::new("node");
        command.current_dir(&peers).arg("oauth2-server.mjs").args([
            &port.to_string(),
            client_id,
            client_secret,
            &expires_in.to_string(),
        ]);
        OAuthServer {
            process: PeerProcess::spawn("oauth2-mock-server", command, port),
        }
    }

    /// The token endpoint, `http://127.0.0.1:<port>/token`.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.process.base_url())
    }

    /// Tokens issued, once at least `expected` are reported (the server prints them just as
    /// it answers).
    pub fn tokens_issued(&self, expected: usize) -> usize {
        self.count_settled("TOKEN_ISSUED", expected)
    }

    /// Token requests refused for wrong credentials, once at least `expected` are reported.
    pub fn tokens_refused(&self, expected: usize) -> usize {
        self.count_settled("TOKEN_REFUSED", expected)
    }

    /// Revocations received, once at least `expected` are reported.
    pub fn revocations(&self, expected: usize) -> usize {
        self.count_settled("TOKEN_REVOKED", expected)
    }

    fn count_settled(&self, prefix: &str, expected: usize) -> usize {
        crate::process::settled(|| self.count(prefix), |n| *n >= expected)
    }

    fn count(&self, prefix: &str) -> usize {
        self.process
            .stdout_lines()
            .iter()
            .filter(|l| l.starts_with(prefix))
            .count()
    }
}
