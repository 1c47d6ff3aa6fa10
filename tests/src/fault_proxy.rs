//! A fault-injecting HTTP/1.1 proxy on loopback, put between the SDK and a real peer for the
//! load tests: it answers some requests itself with 429, and for others forwards the request
//! (so the server processes it) and then loses the answer, replacing it with a 503 or
//! resetting the connection. It records every exchange, so a test can tell how often the
//! server processed each call.
//!
//! One request per connection (`Connection: close` both ways), which keeps the proxy small:
//! it reads a request head and a `Content-Length` body, and relays the upstream answer read
//! to its end.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The header tests put on each call (with `.header(…)`) so that its attempts can be grouped.
pub const CALL_ID: &str = "x-call-id";

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forwarded, and the answer relayed.
    None,
    /// Answered `429 Too Many Requests` without forwarding: the server never sees it.
    TooManyRequests,
    /// Forwarded (the server processes it), then answered `503` instead of the real answer.
    UnavailableAfterForwarding,
    /// Forwarded (the server processes it), then the connection is reset without an answer.
    ResetAfterForwarding,
}

/// One request the proxy handled.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `GET`, `POST`, ….
    pub method: String,
    /// The request target.
    pub target: String,
    /// The request's [`CALL_ID`] header.
    pub call_id: Option<String>,
    /// Whether it carried `Authorization`.
    pub authorized: bool,
    /// The fault injected.
    pub fault: Fault,
    /// The upstream's status, when the request was forwarded and answered.
    pub upstream_status: Option<u16>,
}

impl Exchange {
    /// Whether the server behind processed it: forwarded and not refused for missing or
    /// stale credentials (a Digest challenge is a handshake, not a processed call).
    pub fn processed(&self) -> bool {
        self.upstream_status.is_some_and(|s| s != 401)
    }
}

/// Chooses the fault for the `n`th request (counting from 0).
pub type Schedule = fn(u64) -> Fault;

/// A running proxy; stopped when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Exchange>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Listens on a free loopback port and forwards to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str, schedule: Schedule) -> FaultProxy {
        let upstream: SocketAddr = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("upstream `{upstream}` is not http://ip:port: {e}"));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding a loopback port");
        let addr = listener.local_addr().expect("local address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn({
            let log = Arc::clone(&log);
            async move {
                while let Ok((client, _)) = listener.accept().await {
                    let log = Arc::clone(&log);
                    let counter = Arc::clone(&counter);
                    tokio::spawn(async move {
                        if let Some(exchange) = handle(client, upstream, schedule, &counter).await {
                            log.lock().unwrap_or_else(|p| p.into_inner()).push(exchange);
                        }
                    });
                }
            }
        });
        FaultProxy { addr, log, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every exchange so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A request as read from the client.
struct Request {
    head: String,
    body: Vec<u8>,
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    schedule: Schedule,
    counter: &AtomicU64,
) -> Option<Exchange> {
    let request = read_request(&mut client).await?;
    let mut lines = request.head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let (method, target) = (first.next()?.to_owned(), first.next()?.to_owned());
    let headers: Vec<(String, &str)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
    let mut exchange = Exchange {
        call_id: header(CALL_ID).map(str::to_owned),
        authorized: header("authorization").is_some(),
        method,
        target,
        fault: schedule(counter.fetch_add(1, Ordering::SeqCst)),
        upstream_status: None,
    };
    if exchange.fault == Fault::TooManyRequests {
        let body =
            r#"{"error":429,"errorCode":"RATE_LIMITED","detail":"injected by the fault proxy"}"#;
        respond(&mut client, "429 Too Many Requests", body).await;
        return Some(exchange);
    }
    let answer = forward(&request, &headers, upstream).await;
    exchange.upstream_status = answer.as_deref().and_then(status_of);
    match (exchange.fault, answer) {
        (Fault::ResetAfterForwarding, _) => {
            // A zero linger makes the close an RST: the client sees a reset, not an answer.
            let _ = client.set_zero_linger();
            drop(client);
        }
        (Fault::UnavailableAfterForwarding, _) | (_, None) => {
            let body = r#"{"error":503,"errorCode":"SERVICE_UNAVAILABLE","detail":"injected by the fault proxy"}"#;
            respond(&mut client, "503 Service Unavailable", body).await;
        }
        (_, Some(answer)) => {
            let _ = client.write_all(&answer).await;
            let _ = client.shutdown().await;
        }
    }
    Some(exchange)
}

/// Reads the head (up to the blank line) and a `Content-Length` body.
async fn read_request(client: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).ok()?;
    let length = head
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = client.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Request { head, body })
}

/// Sends the request upstream on a fresh connection and reads the answer to its end.
async fn forward(
    request: &Request,
    headers: &[(String, &str)],
    upstream: SocketAddr,
) -> Option<Vec<u8>> {
    let first = request.head.split("\r\n").next()?;
    let mut head = format!("{first}\r\n");
    for (name, value) in headers {
        if name != "connection" && name != "keep-alive" {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("connection: close\r\n\r\n");
    let mut stream = TcpStream::connect(upstream).await.ok()?;
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(&request.body).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    Some(answer)
}

fn status_of(answer: &[u8]) -> Option<u16> {
    let line = answer.split(|b| *b == b'\r').next()?;
    std::str::from_utf8(line)
        .ok()?
        .split(' ')
        .nth(1)?
        .parse()
        .ok()
}

async fn respond(client: &mut TcpStream, status: &str, body: &str) {
    let answer = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = client.write_all(answer.as_bytes()).await;
    let _ = client.shutdown().await;
}
