//! Telling errors apart: a value refused before sending, an Atlas error with its code, a
//! rate limit with its `Retry-After`, a response that did not decode, the network.
//!
//! ```sh
//! MONGODB_ATLAS_ACCESS_TOKEN=… cargo run -p mongodb-atlas-sdk --example errors -- GROUP_ID CLUSTER
//! ```

use atlas_sdk::Error;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group_id, cluster] = args.as_slice() else {
        eprintln!("usage: errors GROUP_ID CLUSTER");
        std::process::exit(2);
    };
    let client = atlas_sdk::Client::from_env()?;
    let result = client
        .access_tracking()
        .list_access_logs_by_cluster_name(group_id, cluster)
        .n_logs(100)
        .send()
        .await;
    match result {
        Ok(logs) => println!("{} entries", logs.access_logs.map_or(0, |l| l.len())),
        // Checked before anything was sent: which parameter, which rule.
        Err(Error::InvalidRequest(invalid)) => {
            eprintln!(
                "`{}` {} (got {:?})",
                invalid.parameter, invalid.rule, invalid.value
            );
        }
        Err(error) if error.error_code().as_deref() == Some("RESOURCE_NOT_FOUND") => {
            eprintln!("no such project or cluster");
        }
        Err(error) if error.status().is_some_and(|s| s.as_u16() == 429) => {
            eprintln!("rate limited; retry after {:?}", error.retry_after());
        }
        Err(Error::Api(api)) => {
            eprintln!(
                "Atlas said {} {:?}: {:?}",
                api.status, api.error.error_code, api.error.detail
            );
        }
        Err(Error::Decode(decode)) => {
            eprintln!(
                "the response did not decode at {}: {}",
                decode.path, decode.message
            );
        }
        Err(error @ (Error::Timeout(_) | Error::Transport(_))) => eprintln!("network: {error}"),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
