//! A service account: the client id and secret are exchanged for an access token, cached
//! and shared by every clone of the client, and revoked at the end.
//!
//! ```sh
//! cargo run -p mongodb-atlas-sdk --example service_account -- CLIENT_ID CLIENT_SECRET GROUP_ID HOSTNAME
//! ```

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [id, secret, group_id, hostname] = args.as_slice() else {
        eprintln!("usage: service_account CLIENT_ID CLIENT_SECRET GROUP_ID HOSTNAME");
        std::process::exit(2);
    };
    let client = atlas_sdk::Client::builder()
        .service_account(id, secret)
        .build()?;
    // Ten concurrent calls: one token request.
    let calls = (0..10).map(|_| {
        let client = client.clone();
        let (group_id, hostname) = (group_id.clone(), hostname.clone());
        tokio::spawn(async move {
            client
                .access_tracking()
                .list_access_logs_by_hostname(group_id, hostname)
                .n_logs(1)
                .send()
                .await
        })
    });
    for call in calls {
        let logs = call.await??;
        println!("{} entries", logs.access_logs.map_or(0, |l| l.len()));
    }
    client.revoke_token().await?;
    Ok(())
}
