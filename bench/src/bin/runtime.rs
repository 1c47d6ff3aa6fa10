//! Runtime overhead of atlas-sdk, for `cargo xtask bench`.
//!
//! Two questions, each answered by timing the SDK against the hand-written code it replaces:
//!
//! - **Decode**: a 20,000-entry `listAccessLogsByClusterName` body (20,000 is the largest
//!   `nLogs` allows) decoded the way the SDK decodes a success body (`decode/sdk`), against
//!   `serde_json::from_slice` into plain structs with the same fields (`decode/plain-serde`).
//!   Target: within 10%.
//! - **Request path**: building, sending to a loopback server and decoding the same request
//!   through the SDK (`request/sdk/<entries>`) and with bare reqwest plus serde_json
//!   (`request/reqwest/<entries>`), for a 10-entry and a 20,000-entry response. Target: within
//!   5%.
//!
//! stdout carries only the samples, one JSON line each ([`Sample::print`]); the xtask computes
//! the ratios from the medians. Everything else (a ratio summary for humans, errors) goes to
//! stderr. `--quick` cuts runs and calls for a CI smoke run.
//!
//! The machine these run on is shared (two cores, builds next door), so every comparison
//! *interleaves* its two contenders run by run, alternating which goes first, instead of
//! measuring one and then the other: a slow phase of the machine then lands on both sides
//! alike, and the ratio of the medians stays meaningful.

use std::error::Error;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_bench::Sample;
use atlas_sdk::models::{MongoDBAccessLogs, MongoDBAccessLogsList};
use reqwest::header::{ACCEPT, AUTHORIZATION};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

type BoxError = Box<dyn Error>;

/// The project and cluster every request names (the SDK checks both against the
/// specification's patterns, so they must be valid).
const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const CLUSTER: &str = "Cluster0";
/// The operation's versioned media type: what the SDK sends in `Accept` and what Atlas
/// answers with.
const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";
/// The largest `nLogs` the specification allows, hence the largest response.
const LARGE: usize = 20_000;
/// A typical small page: per-request costs dominate, not decoding.
const SMALL: usize = 10;

/// How much to measure.
#[derive(Debug, Clone, Copy)]
struct Plan {
    warmup: usize,
    runs: usize,
    /// Sequential calls per timed run, for the small and the large response. Enough that one
    /// run lasts far longer than the clock's resolution and a scheduler hiccup.
    small_calls: usize,
    large_calls: usize,
}

impl Plan {
    const FULL: Plan = Plan {
        warmup: 3,
        runs: 30,
        small_calls: 2_000,
        large_calls: 20,
    };
    /// For CI: proves the program works end to end; the numbers are indicative only.
    const QUICK: Plan = Plan {
        warmup: 1,
        runs: 3,
        small_calls: 200,
        large_calls: 2,
    };
}

fn main() -> Result<(), BoxError> {
    let mut plan = Plan::FULL;
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--quick" => plan = Plan::QUICK,
            other => {
                return Err(format!("unknown argument `{other}`; usage: runtime [--quick]").into());
            }
        }
    }

    let large_body = access_logs_body(LARGE)?;
    let small_body = access_logs_body(SMALL)?;
    check_equivalent(&large_body)?;

    let decode = compare_decoding(&large_body, plan)?;
    let [sdk, plain] = decode.map(|sample| {
        sample
            .with("bytes", large_body.len())
            .with("entries", LARGE)
    });
    sdk.print();
    plain.print();
    summarise("decode", &sdk, &plain, 1.10);

    // One thread for everything, server included. The calls are sequential, so a second
    // thread would add no parallelism, only cross-thread wake-ups and exposure to the
    // scheduler of a busy machine. Both contenders share the runtime and pay the same
    // (small, pre-built) server cost per call. Timers are enabled because the SDK arms one
    // per request for its timeout.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let routes = Arc::new(Routes::new(&[(SMALL, &small_body), (LARGE, &large_body)]));
        tokio::spawn(serve(listener, routes));

        let contenders = [
            Contender::Sdk(
                atlas_sdk::Client::builder()
                    .base_url(&base_url)
                    .allow_insecure_http(true)
                    .bearer_token("x")
                    .retry(atlas_sdk::RetryPolicy::none())
                    .build()?,
            ),
            // reqwest's defaults, which is also what the SDK builds on (it only turns
            // redirects off, which a 200 never exercises): same pool, same keep-alive.
            Contender::Reqwest {
                http: reqwest::Client::builder().build()?,
                base_url: base_url.clone(),
            },
        ];
        for (entries, body, calls) in [
            (SMALL, &small_body, plan.small_calls),
            (LARGE, &large_body, plan.large_calls),
        ] {
            let [sdk, bare] = compare_requests(&contenders, entries, calls, plan)
                .await?
                .map(|sample| {
                    sample
                        .with("calls", calls)
                        .with("entries", entries)
                        .with("bytes", body.len())
                });
            sdk.print();
            bare.print();
            summarise(&format!("request/{entries}"), &sdk, &bare, 1.05);
        }
        Ok::<(), BoxError>(())
    })
}

/// Prints the ratio of medians to stderr, for whoever runs the program by hand.
fn summarise(what: &str, sdk: &Sample, baseline: &Sample, target: f64) {
    let ratio = sdk.median_ms / baseline.median_ms;
    let verdict = if ratio <= target { "within" } else { "OVER" };
    eprintln!(
        "{what}: sdk {:.4} ms, baseline {:.4} ms, ratio {ratio:.3} ({verdict} target {target:.2})",
        sdk.median_ms, baseline.median_ms
    );
}

// ---------------------------------------------------------------------------------------
// The response body
// ---------------------------------------------------------------------------------------

/// `MongoDBAccessLogsList` as someone without the SDK would write it.
///
/// The fields, their JSON names and their types mirror the generated
/// `atlas_sdk::models::MongoDBAccessLogsList` / `MongoDBAccessLogs` exactly (every field
/// optional, strings owned), so both sides allocate and store the same data and the
/// comparison isolates what the SDK adds, not a difference in what is kept.
/// [`check_equivalent`] proves the two decode the benchmark body to the same values.
///
/// `Serialize` is only used to write the body; the benchmark times `Deserialize`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainAccessLogsList {
    #[serde(default)]
    access_logs: Option<Vec<PlainAccessLog>>,
}

/// One entry of [`PlainAccessLogsList`], field for field `MongoDBAccessLogs`.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainAccessLog {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auth_result: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    auth_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failure_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hostname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ip_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log_line: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    username: Option<String>,
}

/// SplitMix64: a tiny, seeded generator, so every run (and every machine) decodes the very
/// same bytes.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n` > 0; the slight modulo bias does not matter here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// `{"accessLogs": [...]}` with `entries` realistic, varied authentication attempts: about
/// 650 bytes each, most of it the mongod log line (a JSON document inside a JSON string,
/// so its quotes are escaped, as Atlas sends it).
fn access_logs_body(entries: usize) -> Result<Vec<u8>, serde_json::Error> {
    const USERS: &[&str] = &[
        "app-orders",
        "app-billing",
        "analytics-ro",
        "etl-nightly",
        "admin",
        "svc-search-indexer",
        "reporting",
        "backup-agent",
    ];
    const HOSTS: &[&str] = &[
        "cluster0-shard-00-00.abcde.mongodb.net",
        "cluster0-shard-00-01.abcde.mongodb.net",
        "cluster0-shard-00-02.abcde.mongodb.net",
    ];
    const MECHANISMS: &[&str] = &[
        "SCRAM-SHA-256",
        "SCRAM-SHA-1",
        "MONGODB-X509",
        "MONGODB-AWS",
    ];
    const FAILURES: &[&str] = &[
        "AuthenticationFailed: SCRAM authentication failed, storedKey mismatch",
        "UserNotFound: Could not find user in the database",
        "AuthenticationFailed: Unable to verify certificate: certificate has expired",
        "AuthenticationFailed: Received authentication for mechanism MONGODB-AWS which is not enabled",
    ];
    let mut random = SplitMix64(0x00a7_1a55_dbac_ce55);
    let mut logs = Vec::with_capacity(entries);
    for i in 0..entries {
        // Spread over one day, a few seconds apart, in order.
        let millis = i as u64 * 4_000 + random.below(4_000);
        let (hour, minute) = (millis / 3_600_000, millis / 60_000 % 60);
        let (second, milli) = (millis / 1_000 % 60, millis % 1_000);
        let timestamp = format!("2025-06-30T{hour:02}:{minute:02}:{second:02}.{milli:03}Z");
        let date = format!("2025-06-30T{hour:02}:{minute:02}:{second:02}.{milli:03}+00:00");
        let user = format!("{}-{:02}", random.pick(USERS), random.below(40));
        let mechanism = random.pick(MECHANISMS);
        let external = mechanism == "MONGODB-X509" || mechanism == "MONGODB-AWS";
        let auth_source = if external { "$external" } else { "admin" };
        let ip = if random.below(4) == 0 {
            format!("203.0.113.{}", random.below(255))
        } else {
            format!(
                "10.{}.{}.{}",
                random.below(8),
                random.below(256),
                random.below(255) + 1
            )
        };
        let port = 30_000 + random.below(35_000);
        let connection = 10_000 + random.below(90_000);
        let succeeded = random.below(100) < 85;
        let failure = (!succeeded).then(|| random.pick(FAILURES));
        let log_line = match failure {
            None => format!(
                r#"{{"t":{{"$date":"{date}"}},"s":"I","c":"ACCESS","id":20250,"ctx":"conn{connection}","msg":"Authentication succeeded","attr":{{"mechanism":"{mechanism}","speculative":true,"principalName":"{user}","authenticationDatabase":"{auth_source}","remote":"{ip}:{port}","extraInfo":{{}}}}}}"#
            ),
            Some(reason) => format!(
                r#"{{"t":{{"$date":"{date}"}},"s":"I","c":"ACCESS","id":20249,"ctx":"conn{connection}","msg":"Authentication failed","attr":{{"mechanism":"{mechanism}","speculative":false,"principalName":"{user}","authenticationDatabase":"{auth_source}","remote":"{ip}:{port}","extraInfo":{{}},"error":"{reason}"}}}}"#
            ),
        };
        logs.push(PlainAccessLog {
            auth_result: Some(succeeded),
            auth_source: Some(auth_source.to_owned()),
            failure_reason: failure.map(str::to_owned),
            group_id: Some(GROUP_ID.to_owned()),
            hostname: Some(random.pick(HOSTS).to_owned()),
            ip_address: Some(ip),
            log_line: Some(log_line),
            timestamp: Some(timestamp),
            username: Some(user),
        });
    }
    serde_json::to_vec(&PlainAccessLogsList {
        access_logs: Some(logs),
    })
}

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/// Decodes a success body exactly as the SDK does: through the function every generated
/// operation's `send()` uses (the request benchmark covers the whole path).
fn sdk_decode(body: &[u8]) -> Result<MongoDBAccessLogsList, (String, String)> {
    atlas_sdk::runtime::decode_json(body)
}

/// What hand-written code does: one call, trailing bytes refused as well.
fn plain_decode(body: &[u8]) -> Result<PlainAccessLogsList, serde_json::Error> {
    serde_json::from_slice(body)
}

/// Fails unless the SDK and the plain structs decode `body` to the same values: a field the
/// plain structs misnamed would be skipped (cheaper), and the comparison unfair.
fn check_equivalent(body: &[u8]) -> Result<(), BoxError> {
    let sdk = sdk_decode(body)
        .map_err(|(path, message)| format!("the SDK cannot decode the body at {path}: {message}"))?
        .access_logs
        .unwrap_or_default();
    let plain = plain_decode(body)?.access_logs.unwrap_or_default();
    let same = |s: &MongoDBAccessLogs, p: &PlainAccessLog| {
        s.auth_result == p.auth_result
            && s.auth_source == p.auth_source
            && s.failure_reason == p.failure_reason
            && s.group_id == p.group_id
            && s.hostname == p.hostname
            && s.ip_address == p.ip_address
            && s.log_line == p.log_line
            && s.timestamp == p.timestamp
            && s.username == p.username
    };
    if sdk.len() != plain.len() || !sdk.iter().zip(&plain).all(|(s, p)| same(s, p)) {
        return Err("the SDK and the plain structs decode the benchmark body differently".into());
    }
    if sdk
        .iter()
        .any(|s| s.log_line.is_none() || s.auth_result.is_none())
    {
        return Err("the benchmark body lacks fields it should have".into());
    }
    Ok(())
}

/// Decodes the body it is given, dropping the result; `false` if decoding failed.
type Decoder = fn(&[u8]) -> bool;

/// `decode/sdk` and `decode/plain-serde`, interleaved. Each timed run decodes the whole body
/// and drops the result (both sides free the same 20,000 × 8 strings).
fn compare_decoding(body: &[u8], plan: Plan) -> Result<[Sample; 2], BoxError> {
    let decoders: [(&str, Decoder); 2] = [
        ("decode/sdk", |body| {
            std::hint::black_box(sdk_decode(std::hint::black_box(body))).is_ok()
        }),
        ("decode/plain-serde", |body| {
            std::hint::black_box(plain_decode(std::hint::black_box(body))).is_ok()
        }),
    ];
    let mut durations: [Vec<Duration>; 2] = Default::default();
    for round in 0..plan.warmup + plan.runs {
        for index in order(round) {
            let (name, decode) = decoders[index];
            let started = Instant::now();
            let ok = decode(body);
            let elapsed = started.elapsed();
            if !ok {
                return Err(format!("{name}: decoding failed").into());
            }
            if round >= plan.warmup {
                durations[index].push(elapsed);
            }
        }
    }
    Ok([0, 1].map(|i| Sample::from_durations(decoders[i].0, &durations[i])))
}

/// Which contender goes first in a round: alternating, so neither always runs on a cache
/// (or a connection) the other just warmed.
fn order(round: usize) -> [usize; 2] {
    if round.is_multiple_of(2) {
        [0, 1]
    } else {
        [1, 0]
    }
}

// ---------------------------------------------------------------------------------------
// Request path
// ---------------------------------------------------------------------------------------

/// The two ways of making the request.
enum Contender {
    /// The SDK as its documentation shows it, retries off so each call is one attempt.
    Sdk(atlas_sdk::Client),
    /// What the SDK replaces: reqwest, the same headers, `error_for_status`, the whole body,
    /// `serde_json` into the plain structs.
    Reqwest {
        http: reqwest::Client,
        base_url: String,
    },
}

impl Contender {
    fn name(&self) -> &'static str {
        match self {
            Contender::Sdk(_) => "sdk",
            Contender::Reqwest { .. } => "reqwest",
        }
    }

    /// One call; returns the number of entries decoded.
    async fn call(&self, n_logs: usize) -> Result<usize, BoxError> {
        let n_logs = i32::try_from(n_logs)?;
        match self {
            Contender::Sdk(client) => {
                let list = client
                    .access_tracking()
                    .list_access_logs_by_cluster_name(GROUP_ID, CLUSTER)
                    .n_logs(n_logs)
                    .send()
                    .await?;
                Ok(list.access_logs.map_or(0, |logs| logs.len()))
            }
            Contender::Reqwest { http, base_url } => {
                // Built per call, as hand-written code would: the SDK builds its URL per call
                // too.
                let url = format!(
                    "{base_url}/api/atlas/v2/groups/{GROUP_ID}/dbAccessHistory/clusters/{CLUSTER}?nLogs={n_logs}"
                );
                let body = http
                    .get(url)
                    .header(ACCEPT, MEDIA_TYPE)
                    .header(AUTHORIZATION, "Bearer x")
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                let list = plain_decode(&body)?;
                Ok(list.access_logs.map_or(0, |logs| logs.len()))
            }
        }
    }
}

/// Times `calls` sequential calls per run for each contender, interleaved, and reports the
/// time per call (batch time / `calls`): a single call to a loopback server is too short to
/// time on its own.
async fn compare_requests(
    contenders: &[Contender; 2],
    entries: usize,
    calls: usize,
    plan: Plan,
) -> Result<[Sample; 2], BoxError> {
    let divisor = u32::try_from(calls.max(1))?;
    let mut durations: [Vec<Duration>; 2] = Default::default();
    for round in 0..plan.warmup + plan.runs {
        for index in order(round) {
            let contender = &contenders[index];
            let elapsed = timed_batch(calls, || async {
                let got = contender.call(entries).await?;
                if got != entries {
                    return Err(format!(
                        "{}: {got} entries instead of {entries}",
                        contender.name()
                    )
                    .into());
                }
                Ok(())
            })
            .await
            .map_err(|e| format!("request/{}/{entries}: {e}", contender.name()))?;
            if round >= plan.warmup {
                durations[index].push(elapsed / divisor);
            }
        }
    }
    Ok([0, 1].map(|i| {
        Sample::from_durations(
            format!("request/{}/{entries}", contenders[i].name()),
            &durations[i],
        )
    }))
}

/// Runs `call` `calls` times in sequence; the total time.
async fn timed_batch<F, Fut>(calls: usize, mut call: F) -> Result<Duration, BoxError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), BoxError>>,
{
    let started = Instant::now();
    for _ in 0..calls {
        call().await?;
    }
    Ok(started.elapsed())
}

// ---------------------------------------------------------------------------------------
// Loopback server
// ---------------------------------------------------------------------------------------

/// Complete, pre-built HTTP/1.1 responses, chosen by the request's `nLogs`: the server does
/// no work per request beyond finding the end of the request head, so its (shared) cost
/// barely dilutes the difference between the contenders.
struct Routes {
    by_entries: Vec<(usize, Vec<u8>)>,
    not_found: Vec<u8>,
}

impl Routes {
    fn new(bodies: &[(usize, &[u8])]) -> Routes {
        let response = |status: &str, content_type: &str, body: &[u8]| {
            let mut response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
                body.len()
            )
            .into_bytes();
            response.extend_from_slice(body);
            response
        };
        Routes {
            by_entries: bodies
                .iter()
                .map(|&(entries, body)| (entries, response("200 OK", MEDIA_TYPE, body)))
                .collect(),
            not_found: response("404 Not Found", "text/plain", b"unknown nLogs"),
        }
    }

    /// The response to a request head (request line and headers).
    fn answer(&self, head: &[u8]) -> &[u8] {
        let target = head
            .split(|&b| b == b' ')
            .nth(1)
            .and_then(|target| std::str::from_utf8(target).ok())
            .unwrap_or("");
        let n_logs = target
            .split_once('?')
            .into_iter()
            .flat_map(|(_, query)| query.split('&'))
            .find_map(|pair| pair.strip_prefix("nLogs="))
            .and_then(|value| value.parse::<usize>().ok());
        self.by_entries
            .iter()
            .find(|(entries, _)| Some(*entries) == n_logs)
            .map_or(&self.not_found, |(_, response)| response)
    }
}

/// Accepts connections until the runtime shuts down.
async fn serve(listener: TcpListener, routes: Arc<Routes>) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let routes = Arc::clone(&routes);
                tokio::spawn(async move {
                    if let Err(error) = connection(stream, &routes).await {
                        eprintln!("loopback server: {error}");
                    }
                });
            }
            Err(error) => eprintln!("loopback server: accept: {error}"),
        }
    }
}

/// Answers the requests of one keep-alive connection, in order, until the client closes it.
/// Requests are `GET`s without a body, so a request ends with its head.
async fn connection(mut stream: TcpStream, routes: &Routes) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut pending = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            stream.write_all(routes.answer(&pending[..end])).await?;
            pending.drain(..end + 4);
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(());
        }
        pending.extend_from_slice(&chunk[..read]);
    }
}
