//! Walking a list operation page by page and item by item, as with `listClusters` or
//! `listProjects` in a crate generated from the full Atlas spec. The shipped SDK's Access
//! Tracking operations do not page, so this runs the fixture API's `listWidgets` against an
//! in-process server that serves five widgets, two per page.
//!
//! `cargo run -p atlas-sdk-tests --example pagination`

use atlas_sdk_tests::fixtures::wire::{self, lists::Lists};
use specwire::{Client, RetryPolicy};
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), specwire::Error> {
    let server = MockServer::start().await;
    for (page, items) in [("1", &["a", "b"][..]), ("2", &["c", "d"]), ("3", &["e"])] {
        Mock::given(path("/widgets"))
            .and(query_param("pageNum", page))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"results": items, "totalCount": 5})),
            )
            .mount(&server)
            .await;
    }
    let client: Client = wire::client_builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry(RetryPolicy::none())
        .build()?;
    let lists = Lists::new(client);

    // Item by item: `next()` is inherent, no `StreamExt` import needed. The stream asks for
    // the next page only when the current one is used up, and stops at `totalCount`.
    let mut items = lists.list_widgets().items_per_page(2).into_stream();
    while let Some(item) = items.next().await {
        println!("item {}", item?);
    }

    // Or everything at once.
    let all = lists
        .list_widgets()
        .items_per_page(2)
        .into_stream()
        .try_collect()
        .await?;
    println!("all: {all:?}");

    // Or page by page, with the page number and the total the server reports.
    let mut pages = lists
        .list_widgets()
        .items_per_page(2)
        .into_stream()
        .into_pages();
    while let Some(page) = pages.next().await {
        let page = page?;
        println!(
            "page {} of {:?} items: {:?}",
            page.number, page.total_count, page.items
        );
    }
    Ok(())
}
