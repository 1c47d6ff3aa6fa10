//! Handles Atlas's rate limits. The client retries a 429 by itself, waiting as the
//! `Retry-After` header says (with backoff between, for idempotent requests): set how
//! patient it is with a `RetryPolicy`. When the retries are used up the call fails with
//! status 429, and the error still carries how long the server asked to wait.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   cargo run -p mongodb-atlas-sdk --features clusters --example rate_limit
//! ```
//! Without credentials it runs against the example's mocks, whose first answer is a 429.

mod support;

use std::time::Duration;

use atlas_sdk::{Client, RetryPolicy};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    // Retried by the client: up to 5 attempts, backing off from 1 s to 30 s (a mocked client
    // answers in-process, without retries, so the first 429 reaches the code below).
    let patient = RetryPolicy::default()
        .max_attempts(5)
        .initial_backoff(Duration::from_secs(1))
        .max_backoff(Duration::from_secs(30));
    let builder = support::builder(|mocks| {
        use atlas_sdk::clusters::list_clusters::ListClustersRequest;
        let limited = r#"{"error":429,"errorCode":"RATE_LIMITED","reason":"Too Many Requests","detail":"Resource /api/atlas/v2/groups is limited to 100 requests every 1 minute."}"#;
        mocks
            .on::<ListClustersRequest>()
            .times(1)
            .respond_raw(429, "application/json", limited);
        mocks
            .on::<ListClustersRequest>()
            .respond(support::from_json(
                serde_json::json!({"results": [], "totalCount": 0}),
            ))
    })?;
    let client = builder.retry(patient).build()?;
    let project = support::project_id();

    // What is left to the caller once retries are spent: wait as asked, then try again.
    let clusters = list_with_patience(&client, &project).await?;
    println!("{} clusters", clusters.total_count.unwrap_or_default());
    Ok(())
}

async fn list_with_patience(
    client: &Client,
    project: &str,
) -> Result<atlas_sdk::models::PaginatedClusterDescription20240805, atlas_sdk::Error> {
    for _ in 0..3 {
        match client.clusters().list_clusters(project).send().await {
            Err(error) if error.status().map(|s| s.as_u16()) == Some(429) => {
                let wait = error.retry_after().unwrap_or(Duration::from_secs(1));
                eprintln!("rate limited ({:?}): waiting {wait:?}", error.error_code());
                tokio::time::sleep(wait).await;
            }
            other => return other,
        }
    }
    client.clusters().list_clusters(project).send().await
}
