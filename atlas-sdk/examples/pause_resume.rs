//! Pauses a cluster (to stop paying for its compute while it is not needed) and resumes it,
//! waiting each time until Atlas has finished.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   cargo run -p mongodb-atlas-sdk --features clusters --example pause_resume -- Cluster0
//! ```
//! Without credentials it runs against the example's mocks.

mod support;

use std::time::Duration;

use atlas_sdk::models::ClusterDescription20240805;
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    let name = support::argument(1, "Cluster0");
    let client = support::client(|mocks| {
        use atlas_sdk::clusters::{
            get_cluster::GetClusterRequest, update_cluster::UpdateClusterRequest,
        };
        let cluster = |state: &str, paused: bool| {
            support::from_json(json!({"name": "Cluster0", "stateName": state, "paused": paused}))
        };
        mocks
            .on::<UpdateClusterRequest>()
            .respond_in_turn([cluster("UPDATING", true), cluster("UPDATING", false)])?;
        mocks
            .on::<GetClusterRequest>()
            .respond_in_turn([cluster("IDLE", true), cluster("IDLE", false)])
    })?;
    let project = support::project_id();
    let clusters = client.clusters();

    for paused in [true, false] {
        // Only the fields sent change: the rest of the cluster stays as it is.
        let change = ClusterDescription20240805::new().with_paused(paused);
        clusters
            .update_cluster(&project, &name, change)
            .send()
            .await?;
        let done = clusters
            .wait_until_cluster_ready(&project, &name)
            .deadline(Duration::from_secs(20 * 60))
            .send()
            .await?
            .expect("a cluster");
        println!("{name}: paused = {:?}", done.paused);
    }
    Ok(())
}
