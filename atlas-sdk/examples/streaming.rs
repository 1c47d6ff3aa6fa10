//! Streaming a response body instead of reading it whole: `send_raw()` hands back the unread
//! response (how a gzip log download is read chunk by chunk and written to a file).
//!
//! ```sh
//! MONGODB_ATLAS_ACCESS_TOKEN=… cargo run -p mongodb-atlas-sdk --example streaming -- GROUP_ID HOST out.json
//! ```

use std::io::Write as _;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [group_id, hostname, path] = args.as_slice() else {
        eprintln!("usage: streaming GROUP_ID HOSTNAME OUTPUT_FILE");
        std::process::exit(2);
    };
    let client = atlas_sdk::Client::from_env()?;
    let mut response = client
        .access_tracking()
        .list_access_logs_by_hostname(group_id, hostname)
        .send_raw()
        .await?;
    println!("{} {:?}", response.status(), response.content_type());
    let mut file = std::fs::File::create(path)?;
    let mut written = 0;
    // Error statuses were already turned into errors; this is the success body, as sent.
    while let Some(chunk) = response.chunk().await? {
        file.write_all(&chunk)?;
        written += chunk.len();
    }
    println!("{written} bytes written to {path}");
    Ok(())
}
