//! Prints the failed authentication attempts of one cluster over the last day.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… \
//!   cargo run -p mongodb-atlas-sdk --example access_logs -- 32b6e34b3d91647abb20e7b8 Cluster0
//! ```
//! With an API key instead: `MONGODB_ATLAS_PUBLIC_API_KEY` and `MONGODB_ATLAS_PRIVATE_API_KEY`
//! (the names MongoDB's Atlas CLI reads; see `atlas_sdk::env`).

use std::time::Duration;

use atlas_sdk::Error;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(group_id), Some(cluster)) = (args.next(), args.next()) else {
        eprintln!("usage: access_logs GROUP_ID CLUSTER_NAME");
        std::process::exit(2);
    };
    let client = atlas_sdk::ClientBuilder::from_env()?
        .timeout(Duration::from_secs(30))
        .build()?;

    let now = atlas_sdk::time::OffsetDateTime::now_utc();
    let millis = |t: atlas_sdk::time::OffsetDateTime| (t.unix_timestamp_nanos() / 1_000_000) as i64;
    let result = client
        .access_tracking()
        .list_access_logs_by_cluster_name(group_id, cluster)
        .auth_result(false)
        .start(millis(now - Duration::from_secs(24 * 3600)))
        .end(millis(now))
        .n_logs(1000)
        .send()
        .await;
    match result {
        Ok(list) => {
            for entry in list.access_logs.unwrap_or_default() {
                println!(
                    "{} {} from {}: {}",
                    entry.timestamp.as_deref().unwrap_or("?"),
                    entry.username.as_deref().unwrap_or("?"),
                    entry.ip_address.as_deref().unwrap_or("?"),
                    entry.failure_reason.as_deref().unwrap_or("?"),
                );
            }
        }
        Err(error @ Error::InvalidRequest(_)) => eprintln!("not sent: {error}"),
        Err(error) if error.error_code().as_deref() == Some("RESOURCE_NOT_FOUND") => {
            eprintln!("no such project or cluster");
        }
        Err(error) => return Err(error.into()),
    }
    // Does nothing unless a service account fetched a token.
    client.revoke_token().await?;
    Ok(())
}
