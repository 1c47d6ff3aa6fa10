//! Prism (`@stoplight/prism-cli`, pinned in `tests/peers/package-lock.json`) serving a spec on
//! a loopback port, validating every request against it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Prism mock server; stopped when dropped.
pub struct Prism {
    child: Child,
    addr: SocketAddr,
    _spec: tempfile_path::TempSpec,
}

impl Prism {
    /// Starts Prism on a free loopback port serving `spec` (relative to the repository root)
    /// and waits until it accepts connections.
    ///
    /// Prism silently skips query validation for every operation with a `\:` in one of its
    /// patterns (DESIGN.md §4), so it serves a copy with `\:` written as `:`, which means the
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
        let served = tempfile_path::TempSpec::write(&text.replace("\\\\:", ":"));
        let port = free_port();
        let child = Command::new(&binary)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(served.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut prism = Prism {
            child,
            addr,
            _spec: served,
        };
        prism.wait_ready(Duration::from_secs(60));
        prism
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn wait_ready(&mut self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("Prism exited before it was ready: {status}");
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("Prism did not listen on {} within {limit:?}", self.addr);
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
    listener.local_addr().expect("local address").port()
}

/// A spec file in the temp directory, removed on drop.
mod tempfile_path {
    use super::*;

    pub struct TempSpec(PathBuf);

    impl TempSpec {
        pub fn write(text: &str) -> TempSpec {
            let path = std::env::temp_dir().join(format!(
                "atlas-sdk-prism-{}-{}.yaml",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ));
            std::fs::write(&path, text).expect("writing the spec Prism serves");
            TempSpec(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempSpec {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}
