//! 1,000 concurrent calls on one client through real peers, with faults injected by a proxy
//! on loopback (`atlas_sdk_tests::fault_proxy`): Apache's Digest authentication in front of
//! Prism, and service-account tokens from oauth2-mock-server. Every call must end in success
//! or a typed error, no POST may reach the server twice (POST is not idempotent and is not
//! retried by default), idempotent calls must be retried through the faults, and the token
//! server must be asked once per token lifetime. The figures are printed for the record
//! (`cargo test -p atlas-sdk-tests --test load_faults -- --nocapture`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use atlas_sdk_tests::apache::Apache;
use atlas_sdk_tests::fault_proxy::{CALL_ID, Exchange, Fault, FaultProxy};
use atlas_sdk_tests::fixtures::wire::{self, echo::EchoApi, models, statuses::Statuses};
use atlas_sdk_tests::oauth::OAuthServer;
use atlas_sdk_tests::peers::{self, Peer};
use atlas_sdk_tests::prism::Prism;
use specwire::{Client, Error, RetryPolicy};

const CALLS: usize = 1000;
const USER: &str = "abcdefgh";
const PASSWORD: &str = "0b7a2d1c-4e5f-4a6b-9c8d-7e6f5a4b3c2d";

/// 15% of requests faulted, each kind in turn: a 429 before the server, a 503 and a reset
/// after it processed the request. Each kind falls on odd and even requests, so calls
/// spread out one by one (GET, POST, GET, …) meet every fault too.
fn schedule(n: u64) -> Fault {
    match n % 40 {
        5 | 26 => Fault::TooManyRequests,
        12 | 33 => Fault::UnavailableAfterForwarding,
        19 | 38 => Fault::ResetAfterForwarding,
        _ => Fault::None,
    }
}

/// Quick retries so the run takes seconds; the attempts and the budget are the defaults.
fn retry() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Ok,
    Status(u16),
    Transport,
}

fn outcome<T>(result: &Result<T, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Ok,
        Err(error) => match (error.status(), error) {
            (Some(status), _) => Outcome::Status(status.as_u16()),
            (None, Error::Transport(_)) => Outcome::Transport,
            // Anything else (a panic-free but untyped failure) fails the test.
            (None, other) => panic!("a call ended in an unexpected error: {other:?}"),
        },
    }
}

/// Half GETs (`responseHeaders`), half POSTs (`postKeywords`), all at once; each carries its
/// call id so the proxy log can group its attempts.
async fn run(client: &Client, spread: Duration) -> Vec<(bool, String, Outcome)> {
    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                tokio::time::sleep(spread.mul_f64(i as f64 / CALLS as f64)).await;
                let id = format!("call-{i}");
                let post = i % 2 == 1;
                let result = if post {
                    let result = EchoApi::new(client)
                        .post_keywords(models::Type::new("r").with_option(i as i64))
                        .header(CALL_ID, id.as_str())
                        .send()
                        .await;
                    outcome(&result)
                } else {
                    let result = Statuses::new(client)
                        .response_headers()
                        .rate_limit_limit(10)
                        .header(CALL_ID, id.as_str())
                        .send()
                        .await;
                    outcome(&result)
                };
                (post, id, result)
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(CALLS);
    let all = async {
        for task in tasks {
            outcomes.push(task.await.expect("no call panics"));
        }
    };
    tokio::time::timeout(Duration::from_secs(300), all)
        .await
        .expect("every call ends within 5 minutes");
    outcomes
}

/// What the proxy saw of each call, and the checks every run must pass.
struct Figures {
    outcomes: BTreeMap<(bool, Outcome), usize>,
    requests: usize,
    challenges: usize,
    faults: BTreeMap<String, usize>,
    get_retried: usize,
    post_processed_twice: usize,
    elapsed: Duration,
}

fn figures(outcomes: &[(bool, String, Outcome)], log: &[Exchange], elapsed: Duration) -> Figures {
    let mut by_call: BTreeMap<&str, Vec<&Exchange>> = BTreeMap::new();
    for exchange in log {
        if let Some(id) = &exchange.call_id {
            by_call.entry(id.as_str()).or_default().push(exchange);
        }
    }
    let mut counted = BTreeMap::new();
    for (post, _, outcome) in outcomes {
        *counted.entry((*post, *outcome)).or_default() += 1;
    }
    let mut faults = BTreeMap::new();
    for exchange in log {
        *faults.entry(format!("{:?}", exchange.fault)).or_default() += 1;
    }
    let processed = |id: &str| {
        by_call
            .get(id)
            .map_or(0, |e| e.iter().filter(|x| x.processed()).count())
    };
    let sent = |id: &str| {
        by_call.get(id).map_or(0, |e| {
            e.iter().filter(|x| x.upstream_status != Some(401)).count()
        })
    };
    Figures {
        outcomes: counted,
        requests: log.len(),
        challenges: log
            .iter()
            .filter(|e| e.upstream_status == Some(401))
            .count(),
        faults,
        get_retried: outcomes
            .iter()
            .filter(|(post, id, _)| !post && sent(id) > 1)
            .count(),
        post_processed_twice: outcomes
            .iter()
            .filter(|(post, id, _)| *post && processed(id) > 1)
            .count(),
        elapsed,
    }
}

fn check(name: &str, figures: &Figures) {
    println!(
        "{name}: {CALLS} calls in {:.1} s; outcomes (post?, outcome): {:?}; {} requests reached \
         the proxy ({} Digest challenges), faults {:?}; {} GETs retried; {} POSTs processed twice",
        figures.elapsed.as_secs_f64(),
        figures.outcomes,
        figures.requests,
        figures.challenges,
        figures.faults,
        figures.get_retried,
        figures.post_processed_twice,
    );
    assert_eq!(
        figures.post_processed_twice, 0,
        "{name}: a POST was repeated"
    );
    assert!(figures.get_retried > 0, "{name}: no GET was retried");
    let ok_gets = figures.outcomes.get(&(false, Outcome::Ok)).copied();
    let ok_posts = figures.outcomes.get(&(true, Outcome::Ok)).copied();
    // Retries carry most GETs through 15% faults; a POST is not retried, so about one in
    // seven fails (with the fault's status, or as a transport error for the reset).
    assert!(
        ok_gets.unwrap_or(0) >= CALLS / 2 * 9 / 10,
        "{name}: {:?}",
        figures.outcomes
    );
    assert!(
        ok_posts.unwrap_or(0) >= CALLS / 2 * 7 / 10,
        "{name}: {:?}",
        figures.outcomes
    );
    for (post, outcome) in figures.outcomes.keys() {
        assert!(
            matches!(
                outcome,
                Outcome::Ok | Outcome::Status(429 | 503) | Outcome::Transport
            ),
            "{name}: unexpected outcome {outcome:?} (post: {post})"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_concurrent_digest_calls_through_faults() {
    if !peers::available(
        "thousand_concurrent_digest_calls_through_faults",
        &[Peer::Prism, Peer::Apache],
    ) {
        return;
    }
    let prism = Prism::start("tests/fixtures/wire.yaml");
    let apache = Apache::start(&prism.base_url(), USER, PASSWORD, 300);
    let proxy = FaultProxy::start(&apache.base_url(), schedule).await;
    let client = wire::client_builder()
        .base_url(proxy.base_url())
        .allow_insecure_http(true)
        .digest_auth(USER, PASSWORD)
        .retry(retry())
        .build()
        .expect("client");
    let start = Instant::now();
    let outcomes = run(&client, Duration::ZERO).await;
    let figures = figures(&outcomes, &proxy.exchanges(), start.elapsed());
    check("digest", &figures);
    // The first request fetched the nonce for all 1,000 calls (the others waited for it),
    // and it was never stale in the run.
    assert_eq!(figures.challenges, 1, "Digest challenges");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_concurrent_service_account_calls_through_faults() {
    if !peers::available(
        "thousand_concurrent_service_account_calls_through_faults",
        &[Peer::Prism, Peer::OAuth],
    ) {
        return;
    }
    // Tokens live 3 s and are renewed a tenth early; the calls are spread over 6 s, so the
    // run needs a few tokens, and must not ask for more than one per lifetime.
    let lifetime = Duration::from_secs(3);
    let oauth = OAuthServer::start("sa-client-id", "sa-secret", lifetime.as_secs());
    let prism = Prism::start("tests/fixtures/wire.yaml");
    let proxy = FaultProxy::start(&prism.base_url(), schedule).await;
    let client = wire::client_builder()
        .base_url(proxy.base_url())
        .allow_insecure_http(true)
        .service_account("sa-client-id", "sa-secret")
        .service_account_token_url(oauth.token_url())
        .retry(retry())
        .build()
        .expect("client");
    let start = Instant::now();
    let outcomes = run(&client, Duration::from_secs(6)).await;
    let elapsed = start.elapsed();
    let figures = figures(&outcomes, &proxy.exchanges(), elapsed);
    check("service account", &figures);
    let renew_every = lifetime.mul_f64(0.9);
    let most = (elapsed.as_secs_f64() / renew_every.as_secs_f64()).floor() as usize + 1;
    let tokens = oauth.tokens_issued(1);
    println!("service account: {tokens} token requests in {elapsed:?} (at most {most} allowed)");
    assert!(
        (2..=most).contains(&tokens),
        "{tokens} token requests in {elapsed:?}"
    );
}
