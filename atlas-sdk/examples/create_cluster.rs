//! Creates a dedicated cluster (M10 on AWS, one region, three nodes) and waits until it is
//! ready to use, then prints its connection string.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   cargo run -p mongodb-atlas-sdk --features clusters --example create_cluster -- Cluster0
//! ```
//! Without credentials it runs against the example's mocks.

mod support;

use std::time::Duration;

use atlas_sdk::models::{
    AWSHardwareSpec20240805, AWSHardwareSpec20240805InstanceSize, AWSRegionConfig20240805,
    AWSRegionConfig20240805ProviderName, AWSRegionConfig20240805RegionName,
    CloudRegionConfig20240805, ClusterDescription20240805, ClusterDescription20240805ClusterType,
    HardwareSpec20240805, ReplicationSpec20240805,
};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    let name = support::argument(1, "Cluster0");
    let client = support::client(|mocks| {
        use atlas_sdk::clusters::{
            create_cluster::CreateClusterRequest, get_cluster::GetClusterRequest,
        };
        let state = |state: &str| {
            support::from_json(json!({"name": "Cluster0", "stateName": state,
                "connectionStrings": {"standardSrv": "mongodb+srv://cluster0.example.mongodb.net"}}))
        };
        mocks
            .on::<CreateClusterRequest>()
            .respond(state("CREATING"))?;
        mocks
            .on::<GetClusterRequest>()
            .respond_in_turn([state("CREATING"), state("IDLE")])
    })?;
    let project = support::project_id();

    let region = AWSRegionConfig20240805::new()
        .with_provider_name(AWSRegionConfig20240805ProviderName::Aws)
        .with_region_name(AWSRegionConfig20240805RegionName::UsEast1)
        .with_priority(7)
        .with_electable_specs(HardwareSpec20240805::AWSHardwareSpec20240805(Box::new(
            AWSHardwareSpec20240805::new()
                .with_instance_size(AWSHardwareSpec20240805InstanceSize::M10)
                .with_node_count(3),
        )));
    let cluster = ClusterDescription20240805::new()
        .with_name(name.clone())
        .with_cluster_type(ClusterDescription20240805ClusterType::Replicaset)
        .with_replication_specs(vec![
            ReplicationSpec20240805::new()
                .with_region_configs(vec![CloudRegionConfig20240805::Aws(Box::new(region))]),
        ]);

    let clusters = client.clusters();
    let created = clusters.create_cluster(&project, cluster).send().await?;
    println!("{name}: {:?}", created.state_name);

    // Atlas takes minutes to build a cluster: poll until it is IDLE (a DELETING state fails
    // the wait), for at most half an hour.
    let ready = clusters
        .wait_until_cluster_ready(&project, &name)
        .deadline(Duration::from_secs(30 * 60))
        .send()
        .await?
        .expect("a ready cluster has a body");
    let srv = ready.connection_strings.and_then(|c| c.standard_srv);
    println!("{name} is ready: {}", srv.unwrap_or_default());
    Ok(())
}
