//! Lists every cluster of every project the credentials can see, walking every page of both
//! lists (Atlas answers at most 500 items a page).
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… \
//!   cargo run -p mongodb-atlas-sdk --features projects,clusters --example list_all_clusters
//! ```
//! Without credentials it runs against the example's mocks (two pages of projects).

mod support;

use futures_util::TryStreamExt as _;
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    let client = support::client(|mocks| {
        use atlas_sdk::clusters::list_clusters::ListClustersRequest;
        use atlas_sdk::projects::list_projects::ListProjectsRequest;
        let project = |id: &str, name: &str| json!({"id": id, "name": name, "orgId": "5e2211c17a3e5a48f5497de0", "clusterCount": 1});
        // Two pages of two projects each way: 3 projects in all.
        mocks.on::<ListProjectsRequest>().respond_in_turn([
            support::from_json(
                json!({"results": [project("5e2211c17a3e5a48f5497de1", "web"), project("5e2211c17a3e5a48f5497de2", "jobs")], "totalCount": 3}),
            ),
            support::from_json(json!({"results": [project("5e2211c17a3e5a48f5497de3", "analytics")], "totalCount": 3})),
        ])?;
        mocks
            .on::<ListClustersRequest>()
            .respond(support::from_json(json!({
                "results": [{"name": "Cluster0", "stateName": "IDLE", "mongoDBVersion": "8.0.4"}],
                "totalCount": 1
            })))
    })?;

    let mut projects = client
        .projects()
        .list_projects()
        .items_per_page(2)
        .into_stream();
    let mut total = 0;
    while let Some(project) = projects.try_next().await? {
        let (Some(id), name) = (project.id, project.name) else {
            continue;
        };
        let mut clusters = client.clusters().list_clusters(&id).into_stream();
        while let Some(cluster) = clusters.try_next().await? {
            total += 1;
            println!(
                "{name}/{}: {:?}, MongoDB {}",
                cluster.name.unwrap_or_default(),
                cluster.state_name,
                cluster.mongo_db_version.unwrap_or_default()
            );
        }
    }
    println!("{total} clusters");
    Ok(())
}
