//! A peer server process on a loopback port: started, awaited, and stopped when dropped.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running peer; killed on drop. Its stdout lines are collected for tests to inspect.
pub struct PeerProcess {
    name: &'static str,
    child: Child,
    addr: SocketAddr,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl PeerProcess {
    /// Spawns `command` (which must listen on `port`) and waits until it accepts connections.
    pub fn spawn(name: &'static str, mut command: Command, port: u16) -> PeerProcess {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {name}: {e}"));
        let stdout = Arc::new(Mutex::new(Vec::new()));
        if let Some(out) = child.stdout.take() {
            let lines = Arc::clone(&stdout);
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    lines.lock().unwrap_or_else(|p| p.into_inner()).push(line);
                }
            });
        }
        let mut peer = PeerProcess {
            name,
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            stdout,
        };
        peer.wait_ready(Duration::from_secs(60));
        peer
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Lines the process printed so far.
    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn wait_ready(&mut self, limit: Duration) {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited before it was ready: {status}", self.name);
            }
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!(
            "{} did not listen on {} within {limit:?}",
            self.name, self.addr
        );
    }
}

impl Drop for PeerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port no one listens on right now.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a loopback port");
    listener.local_addr().expect("local address").port()
}

/// Reads `read` until `ready` holds (at most 5 s: peers write their logs just after they
/// answer), then once more after a pause, so that a late extra entry is seen too.
pub fn settled<T>(read: impl Fn() -> T, ready: impl Fn(&T) -> bool) -> T {
    let start = Instant::now();
    while !ready(&read()) && start.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(150));
    read()
}
