//! Allows one network to reach the project's clusters: an IP access list entry for a CIDR
//! block, with a comment saying whose it is.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   cargo run -p mongodb-atlas-sdk --features project-ip-access-list \
//!   --example ip_access_list -- 203.0.113.0/24
//! ```
//! Without credentials it runs against the example's mocks.

mod support;

use atlas_sdk::models::NetworkPermissionEntry;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    let cidr = support::argument(1, "203.0.113.0/24");
    let client = support::client(|mocks| {
        use atlas_sdk::project_ip_access_list::create_project_ip_access_list::CreateProjectIpAccessListRequest;
        mocks
            .on::<CreateProjectIpAccessListRequest>()
            .respond(support::from_json(serde_json::json!({
                "results": [{"cidrBlock": "203.0.113.0/24", "comment": "office network"}],
                "totalCount": 1
            })))
    })?;
    let project = support::project_id();

    let entry = NetworkPermissionEntry::new()
        .with_cidr_block(cidr)
        .with_comment("office network");
    // The operation takes a list and answers with the project's whole list.
    let list = client
        .project_ip_access_list()
        .create_project_ip_access_list(&project, vec![entry])
        .send()
        .await?;
    for entry in list.results.unwrap_or_default() {
        println!(
            "{} ({})",
            entry.cidr_block.unwrap_or_default(),
            entry.comment.unwrap_or_default()
        );
    }
    Ok(())
}
