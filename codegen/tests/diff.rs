//! The change report on handcrafted pairs of small specs, one kind of change each, and on
//! MongoDB's two real specs.

use specwire_codegen::diff::{Bump, Impact, Report, diff, render_markdown};
use specwire_codegen::{Options, Spec};

const BASE: &str = r##"openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}/things:
    get:
      tags: [Things]
      operationId: listThings
      parameters:
        - {name: groupId, in: path, required: true, schema: {type: string, pattern: "^([a-f0-9]{24})$"}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: limit, in: query, schema: {type: integer, format: int32, minimum: 1, maximum: 500, default: 100}}
        - {name: name, in: query, schema: {type: string, pattern: "^[a-z\\:]+$"}}
      responses:
        "200":
          description: OK
          content:
            application/vnd.atlas.2023-01-01+json:
              schema: {$ref: '#/components/schemas/ThingList'}
        "404":
          description: Not Found
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ApiError'}
components:
  schemas:
    ApiError:
      type: object
      properties:
        errorCode: {type: string}
    ThingList:
      type: object
      properties:
        results:
          type: array
          items: {$ref: '#/components/schemas/Thing'}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer, format: int32}
        kind: {$ref: '#/components/schemas/Kind'}
    Kind:
      type: string
      enum: [SMALL, LARGE]
"##;

fn lower(text: &str) -> specwire_codegen::ir::Api {
    let spec = Spec::parse("spec.yaml", text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    specwire_codegen::lower(&spec, &Options::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn report(old: &str, new: &str) -> Report {
    diff("old.yaml", &lower(old), "new.yaml", &lower(new))
}

/// (kind, impact) of every change, in report order.
fn kinds(report: &Report) -> Vec<(&'static str, Impact)> {
    report
        .changes
        .iter()
        .map(|c| (c.kind.as_str(), c.impact))
        .collect()
}

fn changed(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "the base spec has no `{from}`");
    BASE.replace(from, to)
}

use Impact::{Breaking, Compatible};

#[test]
fn identical_specs_have_no_changes() {
    let report = report(BASE, BASE);
    assert!(report.changes.is_empty());
    assert_eq!(report.bump, Bump::None);
    assert!(render_markdown(&report).contains("No changes."));
}

/// A name, the changed spec, and the (kind, impact) pairs the report must list.
type Case = (&'static str, String, Vec<(&'static str, Impact)>);

#[test]
fn each_kind_of_change_is_classified() {
    let limit = "{name: limit, in: query, schema: {type: integer, format: int32, minimum: 1, maximum: 500, default: 100}}";
    let cases: Vec<Case> = vec![
        (
            "operation added",
            changed(
                "components:",
                "  /api/atlas/v2/other:\n    get:\n      tags: [Things]\n      operationId: getOther\n      responses:\n        \"204\": {description: none}\ncomponents:",
            ),
            vec![("operation_added", Compatible)],
        ),
        (
            "operation moved",
            changed(
                "/api/atlas/v2/groups/{groupId}/things:",
                "/api/atlas/v2/groups/{groupId}/items:",
            ),
            vec![("operation_moved", Compatible)],
        ),
        (
            "media type",
            changed("vnd.atlas.2023-01-01+json", "vnd.atlas.2024-05-30+json"),
            vec![("media_type_changed", Compatible)],
        ),
        (
            "optional parameter added",
            changed(
                "      responses:\n        \"200\"",
                "        - {name: extra, in: query, schema: {type: boolean}}\n      responses:\n        \"200\"",
            ),
            vec![("parameter_added", Compatible)],
        ),
        (
            "required parameter added",
            changed(
                "      responses:\n        \"200\"",
                "        - {name: extra, in: query, required: true, schema: {type: boolean}}\n      responses:\n        \"200\"",
            ),
            vec![("parameter_added", Breaking)],
        ),
        (
            "parameter removed",
            changed(&format!("        - {limit}\n"), ""),
            vec![("parameter_removed", Breaking)],
        ),
        (
            "parameter renamed",
            changed("{name: limit,", "{name: pageSize,"),
            vec![("parameter_renamed", Breaking)],
        ),
        (
            "optional to required",
            changed(
                "{name: since, in: query,",
                "{name: since, in: query, required: true,",
            ),
            vec![("parameter_required_changed", Breaking)],
        ),
        (
            "date-time to int64",
            changed(
                "{name: since, in: query, schema: {type: string, format: date-time}}",
                "{name: since, in: query, schema: {type: integer, format: int64}}",
            ),
            vec![("parameter_type_changed", Breaking)],
        ),
        (
            "int32 to int64",
            changed("format: int32, minimum: 1", "format: int64, minimum: 1"),
            vec![("parameter_type_changed", Breaking)],
        ),
        (
            "int32 to uint32",
            changed("format: int32, minimum: 1", "format: uint32, minimum: 1"),
            vec![("parameter_type_changed", Breaking)],
        ),
        (
            "maximum tightened",
            changed("maximum: 500", "maximum: 100"),
            vec![("parameter_bound_changed", Breaking)],
        ),
        (
            "maximum loosened",
            changed("maximum: 500", "maximum: 1000"),
            vec![("parameter_bound_changed", Compatible)],
        ),
        (
            "minimum removed",
            changed("minimum: 1, ", ""),
            vec![("parameter_bound_changed", Compatible)],
        ),
        (
            "default changed",
            changed("default: 100", "default: 50"),
            vec![("parameter_default_changed", Compatible)],
        ),
        (
            "pattern changed",
            changed("\"^[a-z\\\\:]+$\"", "\"^[a-z]+$\""),
            vec![("parameter_pattern_changed", Breaking)],
        ),
        (
            "pattern spelled differently, same meaning",
            changed("\"^[a-z\\\\:]+$\"", "\"^[a-z:]+$\""),
            vec![],
        ),
        (
            "optional field added",
            changed(
                "        size: {type: integer, format: int32}\n",
                "        size: {type: integer, format: int32}\n        color: {type: string}\n",
            ),
            vec![("field_added", Compatible)],
        ),
        (
            // Only received: it decodes as "" when absent, and no user builds the struct.
            "required field added to a response-only model",
            changed(
                "required: [id]\n      properties:\n",
                "required: [id, color]\n      properties:\n        color: {type: string}\n",
            ),
            vec![("field_added", Compatible)],
        ),
        (
            // A date-time has no zero value: responses without it no longer decode.
            "required date-time added to a response-only model",
            changed(
                "required: [id]\n      properties:\n",
                "required: [id, at]\n      properties:\n        at: {type: string, format: date-time}\n",
            ),
            vec![("field_added", Breaking)],
        ),
        (
            "field removed",
            changed("        size: {type: integer, format: int32}\n", ""),
            vec![("field_removed", Breaking)],
        ),
        (
            "field type changed",
            changed(
                "size: {type: integer, format: int32}",
                "size: {type: string}",
            ),
            vec![("field_type_changed", Breaking)],
        ),
        (
            "field format int32 to uint64",
            changed(
                "size: {type: integer, format: int32}",
                "size: {type: integer, format: uint64}",
            ),
            vec![("field_type_changed", Breaking)],
        ),
        (
            "field became required",
            changed("required: [id]", "required: [id, size]"),
            vec![("field_required_changed", Breaking)],
        ),
        (
            "additional properties declared",
            changed(
                "        kind: {$ref: '#/components/schemas/Kind'}\n",
                "        kind: {$ref: '#/components/schemas/Kind'}\n      additionalProperties: {type: string}\n",
            ),
            vec![("additional_properties_added", Compatible)],
        ),
        (
            "enum value added",
            changed("enum: [SMALL, LARGE]", "enum: [SMALL, LARGE, HUGE]"),
            vec![("enum_value_added", Compatible)],
        ),
        (
            "enum value removed",
            changed("enum: [SMALL, LARGE]", "enum: [SMALL]"),
            vec![("enum_value_removed", Breaking)],
        ),
        (
            "error status added",
            changed(
                "        \"404\":",
                "        \"429\":\n          description: Too Many Requests\n        \"404\":",
            ),
            vec![("response_status_added", Compatible)],
        ),
        (
            "error status removed",
            changed(
                "        \"404\":\n          description: Not Found\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/ApiError'}\n",
                "",
            ),
            vec![("response_status_removed", Compatible)],
        ),
        (
            "response type changed",
            changed(
                "schema: {$ref: '#/components/schemas/ThingList'}",
                "schema: {$ref: '#/components/schemas/Thing'}",
            ),
            vec![("response_type_changed", Breaking)],
        ),
        (
            "error body type changed",
            changed(
                "              schema: {$ref: '#/components/schemas/ApiError'}\n",
                "              schema: {$ref: '#/components/schemas/Thing'}\n",
            ),
            vec![("error_body_changed", Breaking)],
        ),
        (
            "error body no longer documented",
            changed(
                "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/ApiError'}\n",
                "",
            ),
            vec![("error_body_changed", Breaking)],
        ),
    ];
    for (name, new, expected) in cases {
        let report = report(BASE, &new);
        let mut got = kinds(&report);
        got.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(got, expected, "{name}:\n{}", render_markdown(&report));
        let breaking = expected.iter().any(|(_, i)| *i == Breaking);
        assert_eq!(report.is_breaking(), breaking, "{name}");
    }
}

#[test]
fn a_change_of_integer_format_names_both_formats() {
    // int64 and uint64 were both `i64`: no change before formats had their own types.
    let old = changed(
        "size: {type: integer, format: int32}",
        "size: {type: integer, format: int64}",
    );
    let new = changed(
        "size: {type: integer, format: int32}",
        "size: {type: integer, format: uint64}",
    );
    let report = report(&old, &new);
    assert_eq!(kinds(&report), [("field_type_changed", Breaking)]);
    let text = render_markdown(&report);
    assert!(text.contains("int64") && text.contains("uint64"), "{text}");
}

#[test]
fn a_renamed_schema_is_a_rename_not_a_removal_and_an_addition() {
    let new = BASE
        .replace("ThingList", "ThingsPage")
        .replace("/Thing'", "/Item'")
        .replace("    Thing:\n", "    Item:\n");
    let report = report(BASE, &new);
    let mut got = kinds(&report);
    got.sort();
    assert_eq!(
        got,
        [
            ("response_type_renamed", Breaking),
            ("schema_renamed", Breaking),
            ("schema_renamed", Breaking)
        ]
    );
    let markdown = render_markdown(&report);
    assert!(
        markdown.contains("| schema Thing | renamed to `Item` (same shape) |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| schema ThingList | renamed to `ThingsPage` (same shape) |"),
        "{markdown}"
    );
}

#[test]
fn bumps_and_next_versions() {
    let breaking = report(BASE, &changed("maximum: 500", "maximum: 100"));
    assert_eq!(breaking.bump, Bump::Major);
    assert_eq!(breaking.next_version("0.1.0").as_deref(), Some("0.2.0"));
    assert_eq!(breaking.next_version("1.4.2").as_deref(), Some("2.0.0"));
    let added = report(
        BASE,
        &changed("enum: [SMALL, LARGE]", "enum: [SMALL, LARGE, HUGE]"),
    );
    assert_eq!(added.bump, Bump::Minor);
    assert_eq!(added.next_version("1.4.2").as_deref(), Some("1.5.0"));
    assert_eq!(added.next_version("0.1.0").as_deref(), Some("0.1.1"));
    let patch = report(BASE, &changed("default: 100", "default: 50"));
    assert_eq!(patch.bump, Bump::Patch);
}

#[test]
fn the_report_is_also_json() {
    let report = report(BASE, &changed("maximum: 500", "maximum: 100"));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(json["breaking"], 1);
    assert_eq!(json["changes"][0]["kind"], "parameter_bound_changed");
    assert_eq!(json["changes"][0]["impact"], "breaking");
    assert_eq!(json["changes"][0]["subject"], "operation listThings");
    assert_eq!(
        json["changes"][0]["detail"],
        "parameter `limit`: maximum `500` → `100`"
    );
}

/// MongoDB's spec `name` from `../shared/specs`, read by path. `None` when the directory is
/// absent and `CI` is not set: the test then returns, after one line saying why. With `CI`
/// set it must be there, unless CI hid it on purpose (`ATLAS_SDK_SHARED_HIDDEN`).
fn shared(name: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(error)
            if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
                && std::env::var_os("ATLAS_SDK_SHARED_HIDDEN").is_none() =>
        {
            panic!(
                "CI is set, so no test may skip: {}: {error}",
                path.display()
            )
        }
        Err(error) => {
            use std::io::Write as _;
            // Not `eprintln!`: the test harness captures it.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: {} is not there ({error}); the shared specs sit beside the checkout",
                path.display()
            );
            None
        }
    }
}

#[test]
fn access_tracking_from_2023_to_2025() {
    let options = Options {
        tags: Some(["Access Tracking".to_owned()].into()),
        ..Options::default()
    };
    let (Some(old), Some(new)) = (
        shared("atlas-api-2023-02-13.yaml"),
        shared("atlas-api-2025-06-30.yaml"),
    ) else {
        return;
    };
    let lower = |name: &str, text: &str| {
        let spec = Spec::parse(name, text).unwrap();
        specwire_codegen::lower(&spec, &options).unwrap()
    };
    let report = diff(
        "2023",
        &lower("atlas-api-2023-02-13.yaml", &old),
        "2025",
        &lower("atlas-api-2025-06-30.yaml", &new),
    );
    let summary: Vec<String> = report
        .changes
        .iter()
        .map(|c| format!("{:?} | {} | {}", c.impact, c.subject, c.detail))
        .collect();
    insta::assert_snapshot!(summary.join("\n"));
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn request_body_changes_are_classified() {
    let post = "  /api/atlas/v2/things:\n    post:\n      tags: [Things]\n      operationId: createThing\n      requestBody:\n        required: false\n        content:\n          application/vnd.atlas.2023-01-01+json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        \"204\": {description: none}\ncomponents:";
    let with_body = changed("components:", post);
    let variant = |from: &str, to: &str| {
        assert!(with_body.contains(from), "no `{from}`");
        with_body.replace(from, to)
    };
    let cases: Vec<Case> = vec![
        (
            // A request now carries `Thing`: it gains `new` and setters.
            "optional body added",
            with_body.clone(),
            vec![
                ("operation_added", Compatible),
                ("constructor_added", Compatible),
            ],
        ),
        (
            "body made required",
            variant("required: false", "required: true"),
            vec![("request_body_required_changed", Breaking)],
        ),
        (
            "body type changed",
            variant(
                "schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        \"204\"",
                "schema: {$ref: '#/components/schemas/ThingList'}\n      responses:\n        \"204\"",
            ),
            // `Thing` stays sent (inside `ThingList`); `ThingList` gains a constructor.
            vec![
                ("request_body_type_changed", Breaking),
                ("constructor_added", Compatible),
            ],
        ),
        (
            "body version changed",
            variant(
                "          application/vnd.atlas.2023-01-01+json:\n            schema: {$ref: '#/components/schemas/Thing'}",
                "          application/vnd.atlas.2025-01-01+json:\n            schema: {$ref: '#/components/schemas/Thing'}",
            ),
            vec![("request_media_type_changed", Compatible)],
        ),
        (
            "body removed",
            variant(
                "      requestBody:\n        required: false\n        content:\n          application/vnd.atlas.2023-01-01+json:\n            schema: {$ref: '#/components/schemas/Thing'}\n",
                "",
            ),
            // No request carries `Thing` any more: its constructor goes.
            vec![
                ("request_body_removed", Breaking),
                ("constructor_removed", Breaking),
            ],
        ),
        (
            // Models are non-exhaustive and `new` takes only required properties.
            "optional field added to a sent model",
            variant(
                "        size: {type: integer, format: int32}\n",
                "        size: {type: integer, format: int32}\n        note: {type: string}\n",
            ),
            vec![("field_added", Compatible)],
        ),
        (
            "required field added to a sent model",
            variant(
                "required: [id]\n      properties:\n",
                "required: [id, color]\n      properties:\n        color: {type: string}\n",
            ),
            vec![("field_added", Breaking)],
        ),
    ];
    for (name, new, expected) in cases {
        let old = if name == "optional body added" {
            BASE
        } else {
            with_body.as_str()
        };
        let report = report(old, &new);
        assert_eq!(
            kinds(&report),
            expected,
            "{name}:\n{}",
            render_markdown(&report)
        );
    }
    // A body added to an existing operation: compatible when optional.
    let bodyless = variant(
        "      requestBody:\n        required: false\n        content:\n          application/vnd.atlas.2023-01-01+json:\n            schema: {$ref: '#/components/schemas/Thing'}\n",
        "",
    );
    assert_eq!(
        kinds(&report(&bodyless, &with_body)),
        [
            ("request_body_added", Compatible),
            ("constructor_added", Compatible)
        ]
    );
    let required = variant("required: false", "required: true");
    assert_eq!(
        kinds(&report(&bodyless, &required)),
        [
            ("request_body_added", Breaking),
            ("constructor_added", Compatible)
        ]
    );
}

#[test]
fn tags_that_cannot_be_lowered_are_listed_not_fatal() {
    let broken = changed(
        "components:\n  schemas:",
        "  /api/atlas/v2/odd:\n    get:\n      tags: [Odd]\n      operationId: getOdd\n      responses:\n        \"200\":\n          description: a schema that includes itself\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/OddLoop'}\ncomponents:\n  schemas:\n    OddLoop:\n      allOf:\n        - $ref: '#/components/schemas/OddLoop'\n        - properties: {a: {type: string}}",
    );
    let old = Spec::parse("old.yaml", BASE).unwrap();
    let new = Spec::parse("new.yaml", &broken).unwrap();
    assert!(specwire_codegen::diff::diff_specs(&old, &new, &Options::default(), false).is_err());
    let report = specwire_codegen::diff::diff_specs(&old, &new, &Options::default(), true).unwrap();
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.not_compared.len(), 1);
    assert_eq!(report.not_compared[0].tag, "Odd");
    assert!(
        report.not_compared[0]
            .reason
            .contains("which includes this schema again")
    );
    let markdown = render_markdown(&report);
    assert!(markdown.contains("## Not compared"), "{markdown}");
    assert!(markdown.contains("1 tag(s) not compared"), "{markdown}");
}

#[test]
fn the_full_real_specs_compare_tag_by_tag() {
    let (Some(old), Some(new)) = (
        shared("atlas-api-2023-02-13.yaml"),
        shared("atlas-api-2025-06-30.yaml"),
    ) else {
        return;
    };
    let old = Spec::parse("2023.yaml", &old).unwrap();
    let new = Spec::parse("2025.yaml", &new).unwrap();
    let report = specwire_codegen::diff::diff_specs(&old, &new, &Options::default(), true).unwrap();
    assert!(report.is_breaking());
    let compared = report.compared_tags.as_ref().expect("tag by tag");
    assert!(compared.contains("Access Tracking"));
    assert!(
        report
            .not_compared
            .iter()
            .all(|n| !compared.contains(&n.tag))
    );
    // Access Tracking is compared, with the changes its own test pins.
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.subject == "schema ApiMongoDBAccessLogsView"
                && c.detail == "renamed to `MongoDBAccessLogs` (same shape)")
    );
    assert!(
        report
            .not_compared
            .iter()
            .all(|n| n.tag != "Access Tracking")
    );
    // The semver rules of non-exhaustive models, on a real change: a request carries the
    // alert configuration (it gets `new`), and the property MongoDB added is optional, so
    // neither struct literals (refused) nor the constructor (unchanged) break.
    let api = specwire_codegen::lower(&new, &Options::default()).unwrap();
    let alert = api
        .types
        .iter()
        .find(|t| t.name == "AppServiceAlertConfigViewForNdsGroup")
        .unwrap();
    assert!(alert.sent);
    let added: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.subject == "schema AppServiceAlertConfigViewForNdsGroup")
        .map(|c| (c.kind.as_str(), c.impact, c.detail.as_str()))
        .collect();
    assert!(
        added.contains(&(
            "field_added",
            Compatible,
            "field `severityOverride` (`EventSeverity`) added"
        )),
        "{added:?}"
    );
    // And a struct no request carries any more loses its constructor: breaking.
    assert!(
        report
            .changes
            .iter()
            .any(|c| c.kind.as_str() == "constructor_removed" && c.impact == Breaking),
    );
    // Whatever is not compared says where and why.
    for skipped in &report.not_compared {
        assert!(skipped.reason.contains(".yaml: #/"), "{skipped:?}");
    }
}

#[test]
fn styles_locations_and_encodings_are_compared() {
    // A query parameter's style changes: the SDK writes the new style itself.
    let styled = changed(
        "{name: since, in: query, schema:",
        "{name: since, in: query, explode: false, schema:",
    );
    assert_eq!(
        kinds(&report(BASE, &styled)),
        [("parameter_style_changed", Compatible)]
    );
    // The same name moving from the query to a header keeps its setter.
    let moved = changed(
        "{name: since, in: query, schema:",
        "{name: since, in: header, schema:",
    );
    let moved_kinds = kinds(&report(BASE, &moved));
    assert_eq!(
        moved_kinds,
        [("parameter_moved", Compatible)],
        "{}",
        render_markdown(&report(BASE, &moved))
    );
}

#[test]
fn parameters_are_paired_by_their_types_names_not_by_positions_in_each_table() {
    // An enum parameter moves from the query to a header while a schema that sorts before
    // its type is added: the type's position in the table shifts, its name does not.
    let with_kind = changed(
        "{name: since, in: query, schema:",
        "{name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}\n        - {name: since, in: query, schema:",
    );
    let moved_and_shifted = with_kind
        .replace("{name: kind, in: query,", "{name: kind, in: header,")
        .replace(
            "    ApiError:\n",
            "    Aardvark: {type: object, properties: {a: {type: string}}}\n    ApiError:\n",
        );
    let moved = report(&with_kind, &moved_and_shifted);
    assert_eq!(
        kinds(&moved),
        [
            ("parameter_moved", Compatible),
            ("schema_added", Compatible)
        ],
        "{}",
        render_markdown(&moved)
    );
    // And two parameters whose types share a position, not a name, are not one renamed
    // parameter: `kind` (an enum) gives way to `shape` (another enum, at the same position
    // once `Aardvark` shifts the table).
    let other_enum = with_kind
        .replace(
            "{name: kind, in: query, schema: {$ref: '#/components/schemas/Kind'}}",
            "{name: shape, in: query, schema: {$ref: '#/components/schemas/Form'}}",
        )
        .replace(
            "    Kind:\n      type: string\n      enum: [SMALL, LARGE]\n",
            "    Kind:\n      type: string\n      enum: [SMALL, LARGE]\n    Form:\n      type: string\n      enum: [ROUND, SQUARE]\n",
        );
    let swapped = report(&with_kind, &other_enum);
    let swapped_kinds = kinds(&swapped);
    assert!(
        !swapped_kinds.contains(&("parameter_renamed", Breaking)),
        "{}",
        render_markdown(&swapped)
    );
    assert!(
        swapped_kinds.contains(&("parameter_removed", Breaking))
            && swapped_kinds.contains(&("parameter_added", Compatible)),
        "{}",
        render_markdown(&swapped)
    );
}

/// MongoDB gave 317 operations a new `operationId` in four days (`../shared/specs/renames/`):
/// each is paired by method and path and reported as a rename, not as a removal and an
/// addition; one id even passed to another route (`removeUserFromTeam`).
#[test]
fn operations_renamed_by_mongodb_are_paired_by_method_and_path() {
    let (Some(old), Some(new)) = (
        shared("renames/atlas-api-transformed-2025-08-25.yaml"),
        shared("renames/atlas-api-transformed-2025-08-29.yaml"),
    ) else {
        return;
    };
    let old = Spec::parse("old.yaml", &old).unwrap();
    let new = Spec::parse("new.yaml", &new).unwrap();
    let report =
        specwire_codegen::diff::diff_specs(&old, &new, &Options::default(), false).unwrap();
    let renamed: Vec<&str> = report
        .changes
        .iter()
        .filter(|c| c.kind == specwire_codegen::diff::ChangeKind::OperationRenamed)
        .map(|c| c.detail.as_str())
        .collect();
    assert_eq!(renamed.len(), 317);
    assert!(renamed.contains(
        &"`addAllTeamsToProject` is now `addGroupTeams`: method `add_all_teams_to_project` → `add_group_teams`"
    ));
    assert!(renamed.contains(
        &"`removeTeamUser` is now `removeUserFromTeam`: method `remove_team_user` → `remove_user_from_team`"
    ));
    assert!(renamed.contains(
        &"`removeUserFromTeam` is now `removeOrgTeamUser`: method `remove_user_from_team` → `remove_org_team_user`"
    ));
    assert!(report.changes.iter().all(|c| !matches!(
        c.kind,
        specwire_codegen::diff::ChangeKind::OperationAdded
            | specwire_codegen::diff::ChangeKind::OperationRemoved
            | specwire_codegen::diff::ChangeKind::OperationMoved
    )));
    assert_eq!(report.breaking, 319);
    // A crate generated with the older document as `previous` keeps every old name: the
    // renames break nothing for a release; two removed fields still do.
    let kept = specwire_codegen::diff::renames_between(&old, &new, &Options::default()).unwrap();
    assert_eq!(kept.operations.len(), 317);
    let report = report.keeping(&kept);
    assert_eq!(report.breaking, 2);
    assert!(report.changes.iter().all(|c| c.impact == Impact::Compatible
        || c.kind == specwire_codegen::diff::ChangeKind::FieldRemoved));
}

/// A schema renamed with the same shape keeps its old name as a deprecated type alias when
/// the new document is generated with the old one's names; the diff then calls it compatible.
#[test]
fn a_renamed_schema_is_kept_as_a_deprecated_alias() {
    let renamed = BASE.replace("ThingList", "Things");
    let (old, new) = (
        Spec::parse("old.yaml", BASE).unwrap(),
        Spec::parse("new.yaml", &renamed).unwrap(),
    );
    let kept = specwire_codegen::diff::renames_between(&old, &new, &Options::default()).unwrap();
    assert_eq!(
        kept.types,
        std::collections::BTreeMap::from([("ThingList".to_owned(), "Things".to_owned())])
    );
    let options = Options {
        former_names: Some(kept.clone()),
        ..Options::default()
    };
    let output = specwire_codegen::generate(&new, &options).unwrap();
    let models = &output.files["models/mod.rs"];
    assert!(
        models.contains(
            "#[deprecated(note = \"renamed to `Things`\")]\npub type ThingList = self::Things;"
        ),
        "{models}"
    );
    let report = specwire_codegen::diff::diff_specs(&old, &new, &Options::default(), false)
        .unwrap()
        .keeping(&kept);
    assert!(!report.is_breaking(), "{:#?}", report.changes);
}

/// Two operations on one route shape (`/users/{id}` and `/users/{login}`) are not paired by
/// route but by id: unchanged documents have no changes, and a renamed one among them is a
/// removal and an addition, never a rename onto the wrong operation.
#[test]
fn operations_sharing_a_route_are_paired_by_id() {
    let text = |second: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /users/{{id}}:\n    get:\n      operationId: getUserById\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'204': {{description: ok}}}}\n  /users/{{login}}:\n    get:\n      operationId: {second}\n      parameters: [{{name: login, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let same = report(&text("getUserByLogin"), &text("getUserByLogin"));
    assert_eq!(same.changes.len(), 0, "{:#?}", same.changes);
    let renamed = report(&text("getUserByLogin"), &text("findUser"));
    assert_eq!(
        kinds(&renamed),
        [
            ("operation_removed", Impact::Breaking),
            ("operation_added", Impact::Compatible)
        ]
    );
}

/// A renamed operation that also changed tag keeps no alias: it would sit on the new tag,
/// where code written against the old crate does not look for it.
#[test]
fn an_operation_renamed_into_another_tag_keeps_no_alias() {
    let text = |tag: &str, id: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      tags: [{tag}]\n      operationId: {id}\n      responses: {{'204': {{description: ok}}}}\n"
        )
    };
    let renames = |old: String, new: String| {
        let old = Spec::parse("old.yaml", &old).unwrap();
        let new = Spec::parse("new.yaml", &new).unwrap();
        specwire_codegen::diff::renames_between(&old, &new, &Options::default()).unwrap()
    };
    let same_tag = renames(text("Things", "getA"), text("Things", "fetchA"));
    assert_eq!(same_tag.operations["fetchA"].fn_name, "get_a");
    let moved = renames(text("Things", "getA"), text("Others", "fetchA"));
    assert!(moved.operations.is_empty(), "{moved:#?}");
}
