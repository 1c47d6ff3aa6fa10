//! An API key (HTTP Digest): the public key is the user, the private key the password.
//!
//! ```sh
//! cargo run -p mongodb-atlas-sdk --example digest -- PUBLIC_KEY PRIVATE_KEY GROUP_ID CLUSTER
//! ```

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [public_key, private_key, group_id, cluster] = args.as_slice() else {
        eprintln!("usage: digest PUBLIC_KEY PRIVATE_KEY GROUP_ID CLUSTER");
        std::process::exit(2);
    };
    let client = atlas_sdk::Client::builder()
        .digest_auth(public_key, private_key)
        .build()?;
    // The first call answers the Digest challenge; later calls reuse the nonce (one round
    // trip each).
    let logs = client
        .access_tracking()
        .list_access_logs_by_cluster_name(group_id, cluster)
        .n_logs(10)
        .send()
        .await?;
    println!("{} entries", logs.access_logs.map_or(0, |l| l.len()));
    Ok(())
}
