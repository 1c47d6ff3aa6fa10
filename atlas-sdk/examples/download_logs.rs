//! Downloads the last day of a host's `mongod` log, compressed (gzip) as Atlas serves it,
//! streaming it to a file: the body is never held in memory whole.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   cargo run -p mongodb-atlas-sdk --features monitoring-and-logs --example download_logs -- \
//!   cluster0-shard-00-00.abcde.mongodb.net mongodb.log.gz
//! ```
//! Without credentials it runs against the example's mocks.

mod support;

use std::io::Write as _;

use atlas_sdk::models::GetHostLogsLogName;
use futures_util::TryStreamExt as _;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let host = args
        .next()
        .unwrap_or_else(|| "cluster0-shard-00-00.abcde.mongodb.net".to_owned());
    let out = args.next().map_or_else(
        || std::env::temp_dir().join("mongodb.log.gz"),
        std::path::PathBuf::from,
    );
    let client = support::client(|mocks| {
        use atlas_sdk::monitoring_and_logs::get_host_logs::GetHostLogsRequest;
        // The first bytes of a gzip stream, as Atlas would send them.
        let gzip = [
            0x1f_u8, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
        ]
        .repeat(100);
        mocks
            .on::<GetHostLogsRequest>()
            .respond_raw(200, "application/gzip", gzip);
        Ok::<_, atlas_sdk::Error>(())
    })?;

    let now = atlas_sdk::time::OffsetDateTime::now_utc().unix_timestamp();
    let response = client
        .monitoring_and_logs()
        .get_host_logs(support::project_id(), host, GetHostLogsLogName::Mongodb)
        .start_date(now - 24 * 3600)
        .end_date(now)
        .send()
        .await?;
    let mut file = std::fs::File::create(&out)?;
    let mut chunks = response.bytes_stream();
    let mut written = 0;
    while let Some(chunk) = chunks.try_next().await? {
        file.write_all(&chunk)?;
        written += chunk.len();
    }
    println!("{written} bytes (gzip) written to {}", out.display());
    Ok(())
}
