//! `--api-version`: per operation, the newest versioned media type not later than the date.

use specwire_codegen::{ErrorKind, Options, Spec};

const SPEC: &str = r##"openapi: 3.0.1
info: {title: versions, version: "1"}
paths:
  /api/atlas/v2/clusters:
    get:
      tags: [Clusters]
      operationId: listClusters
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: '#/components/schemas/ClustersV1'}
            application/vnd.atlas.2024-08-05+json:
              schema: {$ref: '#/components/schemas/ClustersV2'}
            application/vnd.atlas.2025-03-12+json:
              schema: {$ref: '#/components/schemas/ClustersV3'}
  /api/atlas/v2/flex:
    get:
      tags: [Clusters]
      operationId: listFlexClusters
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2024-11-13+json:
              schema: {$ref: '#/components/schemas/ClustersV3'}
components:
  schemas:
    ClustersV1: {type: object, properties: {v1: {type: string}}}
    ClustersV2: {type: object, properties: {v2: {type: string}}}
    ClustersV3: {type: object, properties: {v3: {type: string}}}
"##;

fn lower(version: Option<&str>) -> Result<specwire_codegen::ir::Api, specwire_codegen::Error> {
    let spec = Spec::parse("versions.yaml", SPEC).unwrap();
    specwire_codegen::lower(
        &spec,
        &Options {
            api_version: version.map(str::to_owned),
            ..Options::default()
        },
    )
}

/// operationId → (Accept, response type).
fn selected(api: &specwire_codegen::ir::Api) -> Vec<(String, String, String)> {
    api.tags
        .iter()
        .flat_map(|t| &t.operations)
        .map(|op| {
            let body = match &op.success.body {
                specwire_codegen::ir::SuccessBody::Json(specwire_codegen::ir::TypeRef::Named(
                    id,
                )) => api.types.def(*id).expect("in the table").name.clone(),
                other => format!("{other:?}"),
            };
            (op.id.clone(), op.accept.clone(), body)
        })
        .collect()
}

fn row(id: &str, accept: &str, body: &str) -> (String, String, String) {
    (id.to_owned(), accept.to_owned(), body.to_owned())
}

#[test]
fn newest_version_by_default() {
    assert_eq!(
        selected(&lower(None).unwrap()),
        [
            row(
                "listClusters",
                "application/vnd.atlas.2025-03-12+json",
                "ClustersV3"
            ),
            row(
                "listFlexClusters",
                "application/vnd.atlas.2024-11-13+json",
                "ClustersV3"
            ),
        ]
    );
}

#[test]
fn newest_version_not_later_than_the_date() {
    let api = lower(Some("2024-12-31")).unwrap();
    assert_eq!(
        selected(&api),
        [
            row(
                "listClusters",
                "application/vnd.atlas.2024-08-05+json",
                "ClustersV2"
            ),
            row(
                "listFlexClusters",
                "application/vnd.atlas.2024-11-13+json",
                "ClustersV3"
            ),
        ]
    );
    // The exact date counts as "not later".
    let api = lower(Some("2024-08-05")).unwrap();
    assert_eq!(selected(&api)[0].1, "application/vnd.atlas.2024-08-05+json");
}

#[test]
fn operations_without_a_version_before_the_date_are_reported() {
    let api = lower(Some("2023-06-01")).unwrap();
    assert_eq!(
        selected(&api),
        [row(
            "listClusters",
            "application/vnd.atlas.2023-01-01+json",
            "ClustersV1"
        )]
    );
    assert_eq!(api.diagnostics.len(), 1);
    assert_eq!(
        api.diagnostics[0].pointer,
        "#/paths/~1api~1atlas~1v2~1flex/get"
    );
    assert_eq!(
        api.diagnostics[0].message,
        "operation `listFlexClusters` has no API version at or before 2023-06-01; it is left out"
    );
}

#[test]
fn a_malformed_date_is_an_error() {
    for bad in ["2024-13-01", "24-01-01", "yesterday", "2024-01-01x"] {
        let error = lower(Some(bad)).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Unsupported, "{bad}");
        assert!(error.message.contains("YYYY-MM-DD"), "{error}");
    }
}
