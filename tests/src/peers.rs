//! Whether the test peers are installed, so that a test needing one skips with a one-line
//! reason on a machine without it, and fails instead when `CI` is set: CI installs every
//! peer (`.ci/run`), so there a missing one is a broken set-up, never a reason to pass.

use std::io::Write as _;
use std::path::PathBuf;

/// A server some tests run against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// Prism (npm, `tests/peers`).
    Prism,
    /// Apache httpd with `mod_auth_digest` (Debian `apache2`).
    Apache,
    /// httpbin under gunicorn (`tests/peers/.venv`).
    Httpbin,
    /// oauth2-mock-server (npm, `tests/peers`).
    OAuth,
    /// Apache httpd's `mod_ssl` and the `openssl` command, for the mutual-TLS peer.
    MutualTls,
}

impl Peer {
    /// What must exist for the peer to start, and how to install it.
    fn requirement(self) -> (PathBuf, &'static str) {
        let peers = crate::workspace_root().join("tests/peers");
        match self {
            Peer::Prism => (
                peers.join("node_modules/.bin/prism"),
                "Prism: `npm ci --prefix tests/peers`",
            ),
            Peer::Apache => (
                PathBuf::from("/usr/sbin/apache2"),
                "Apache httpd: `apt-get install apache2 apache2-utils`",
            ),
            Peer::Httpbin => (
                peers.join(".venv/bin/gunicorn"),
                "httpbin: a venv in tests/peers/.venv from tests/peers/requirements.txt",
            ),
            Peer::OAuth => (
                peers.join("node_modules/oauth2-mock-server"),
                "oauth2-mock-server: `npm ci --prefix tests/peers`",
            ),
            Peer::MutualTls => (
                PathBuf::from("/usr/bin/openssl"),
                "the openssl command: `apt-get install openssl`",
            ),
        }
    }

    /// `None` when installed, else what is missing and how to install it.
    pub fn missing(self) -> Option<String> {
        let (path, install) = self.requirement();
        (!path.exists()).then(|| format!("{install} (no {})", path.display()))
    }
}

/// Whether every peer in `needed` is installed. When one is not: with `CI` set, panics (CI
/// must run every test); otherwise prints one line saying what is missing and how to install
/// it (`cargo xtask test` installs them all), and returns `false` so the test returns early.
pub fn available(test: &str, needed: &[Peer]) -> bool {
    let missing: Vec<String> = needed.iter().filter_map(|p| p.missing()).collect();
    if missing.is_empty() {
        return true;
    }
    let reason = missing.join("; ");
    assert!(
        !in_ci(),
        "{test}: CI is set, so no test may skip, but a peer is missing: {reason}"
    );
    // Written to the stream itself, not with `eprintln!`, which the test harness captures:
    // the reason is seen in a normal run.
    let _ = writeln!(std::io::stderr(), "skipped {test}: not installed: {reason}");
    false
}

/// Whether `CI` is set (to anything but empty or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}
