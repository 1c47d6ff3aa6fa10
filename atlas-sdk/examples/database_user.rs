//! Adds a database user with read and write access to one database.
//!
//! ```sh
//! MONGODB_ATLAS_CLIENT_ID=… MONGODB_ATLAS_CLIENT_SECRET=… MONGODB_ATLAS_PROJECT_ID=… \
//!   APP_DB_PASSWORD=… cargo run -p mongodb-atlas-sdk --features database-users \
//!   --example database_user -- app-service
//! ```
//! Without credentials it runs against the example's mocks.

mod support;

use atlas_sdk::models::{
    CloudDatabaseUser, CloudDatabaseUserDatabaseName, DatabaseUserRole, DatabaseUserRoleRoleName,
};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), atlas_sdk::Error> {
    let username = support::argument(1, "app-service");
    let password =
        std::env::var("APP_DB_PASSWORD").unwrap_or_else(|_| "change-me-please".to_owned());
    let client = support::client(|mocks| {
        use atlas_sdk::database_users::create_database_user::CreateDatabaseUserRequest;
        mocks.on::<CreateDatabaseUserRequest>().respond(support::from_json(serde_json::json!({
            "databaseName": "admin", "groupId": support::project_id(), "username": "app-service",
            "roles": [{"databaseName": "orders", "roleName": "readWrite"}]
        })))
    })?;
    let project = support::project_id();

    // Password users authenticate against `admin`; their roles name the databases they use.
    let user = CloudDatabaseUser::new(CloudDatabaseUserDatabaseName::Admin, &project, &username)
        .with_password(password)
        .with_roles(vec![DatabaseUserRole::new(
            "orders",
            DatabaseUserRoleRoleName::ReadWrite,
        )]);
    let created = client
        .database_users()
        .create_database_user(&project, user)
        .send()
        .await?;
    for role in created.roles.unwrap_or_default() {
        println!(
            "{}: {} on {}",
            created.username,
            role.role_name.as_str(),
            role.database_name
        );
    }
    Ok(())
}
