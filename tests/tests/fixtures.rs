//! The generator's output for the fixture specs compiles (see `build.rs`) and behaves.

use atlas_sdk_tests::fixtures::keywords;
use atlas_sdk_tests::fixtures::types;
use types::models::{Widget, WidgetSize};

#[test]
fn models_decode_with_dates_enums_maps_and_recursion() {
    let widget: Widget = serde_json::from_value(serde_json::json!({
        "id": "w1",
        "created": "2024-05-30T10:00:00Z",
        "note": null,
        "size": "GIGANTIC",
        "labels": {"a": "b"},
        "extra": {"free": [1, 2]},
        "parts": [{"name": "bolt"}],
        "parent": {"id": "w0", "created": "2024-01-01T00:00:00Z"},
        "count32": 7,
        "someFutureField": true
    }))
    .unwrap();
    assert_eq!(widget.id, "w1");
    assert_eq!(widget.created.unix_timestamp(), 1_717_063_200);
    assert_eq!(widget.updated, None);
    // `null` and absent stay apart for optional nullable fields (PATCH semantics).
    assert_eq!(widget.note, Some(specwire::Nullable::Null));
    // A value the SDK does not know is kept, not rejected.
    assert_eq!(
        widget.size,
        Some(WidgetSize::Unknown("GIGANTIC".to_owned()))
    );
    assert_eq!(widget.labels.unwrap()["a"], "b");
    assert_eq!(widget.parts.unwrap()[0].name.as_deref(), Some("bolt"));
    assert_eq!(widget.parent.unwrap().id, "w0");
    assert_eq!(widget.count32, Some(7));
    assert_eq!(
        widget.retries, None,
        "absent optional fields are None, not defaults"
    );

    // A required field missing is a decode error.
    assert!(serde_json::from_value::<Widget>(serde_json::json!({"id": "x"})).is_err());
}

#[test]
fn enums_round_trip_and_spell_symbols() {
    use keywords::models::Operator;
    assert_eq!(Operator::from("<"), Operator::LessThan);
    assert_eq!(Operator::from("-1"), Operator::Minus1);
    assert_eq!(Operator::from("LESS_THAN"), Operator::LessThan2);
    assert_eq!(
        serde_json::to_string(&Operator::LessThanEqual).unwrap(),
        "\"<=\""
    );
    assert_eq!(WidgetSize::from("LARGE").to_string(), "LARGE");
}

#[test]
fn keyword_fields_keep_their_wire_names() {
    let value: keywords::models::Self_ = serde_json::from_value(serde_json::json!({
        "type": "t", "self": "s", "crate": 1, "fooBar": "a", "foo_bar": "b", "1st": true, "$ref": "r"
    }))
    .unwrap();
    assert_eq!(value.r#type.as_deref(), Some("t"));
    assert_eq!(value.self_.as_deref(), Some("s"));
    assert_eq!(value.crate_, Some(1));
    assert_eq!(value.foo_bar.as_deref(), Some("a"));
    assert_eq!(value.foo_bar2.as_deref(), Some("b"));
    assert_eq!(value.n1st, Some(true));
    assert_eq!(value.r#ref.as_deref(), Some("r"));
}

#[test]
fn parameter_types_carry_widths_bounds_and_defaults() {
    use types::widgets::list_widgets::{LabelSchema, Limit32Schema, Limit64Schema, RatioSchema};
    assert_eq!(Limit32Schema::default().get(), 100i32);
    assert!(Limit32Schema::new(0).is_err());
    assert!(Limit32Schema::new(500).is_ok());
    assert!(Limit32Schema::new(501).is_err());
    // exclusiveMinimum: 0 itself is rejected.
    assert_eq!(
        Limit64Schema::new(0).unwrap_err().rule,
        specwire::Rule::Minimum {
            limit: specwire::Number::Int(0),
            exclusive: true
        }
    );
    assert!(Limit64Schema::new(i64::MAX).is_ok());
    assert!(RatioSchema::new(f64::NAN).is_err());
    assert!(RatioSchema::new(0.5).is_ok());
    assert_eq!(LabelSchema::default().as_str(), "all");
}

#[test]
fn the_seed_era_sdk_keeps_its_per_operation_differences() {
    use atlas_sdk_tests::fixtures::atlas_api_2023::access_tracking::{
        list_access_logs_by_cluster_name as by_cluster, list_access_logs_by_hostname as by_host,
    };
    use specwire::time::{OffsetDateTime, UtcOffset};
    // nLogs: int64 on the cluster operation, int32 on the hostname one.
    assert_eq!(by_cluster::NLogsSchema::default().get(), 20000i64);
    assert_eq!(by_host::NLogsSchema::default().get(), 20000i32);
    // end: a plain string on the cluster operation, a date-time on the hostname one.
    assert_eq!(by_cluster::EndSchema::new("whenever").as_str(), "whenever");
    let epoch = OffsetDateTime::UNIX_EPOCH;
    assert_eq!(by_host::EndSchema::new(epoch).unwrap().get(), epoch);
    // RFC 3339 has no offsets with seconds: such a date-time is refused.
    let odd = epoch.to_offset(UtcOffset::from_hms(1, 0, 30).unwrap());
    let error = by_host::StartSchema::new(odd).unwrap_err();
    assert_eq!(
        (error.parameter, error.rule),
        ("start", specwire::Rule::DateTime)
    );
    // The seed-era length rules.
    let error = by_cluster::GroupIdSchema::new("not-hex").unwrap_err();
    assert_eq!(error.rule, specwire::Rule::MinLength(24));
    assert!(by_cluster::ClusterNameSchema::new("a".repeat(65)).is_err());
}

#[tokio::test]
async fn request_bodies_are_sent_as_the_versioned_json_type() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": "w1", "created": "2024-05-30T10:00:00Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = specwire::Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let widgets = types::widgets::Widgets::new(client);
    let widget: Widget = serde_json::from_value(serde_json::json!({
        "id": "new", "created": "2024-05-30T10:00:00Z", "size": "SMALL"
    }))
    .unwrap();
    let created = widgets.create_widget("g1", widget).send().await.unwrap();
    assert_eq!(created.id, "w1");

    // The optional body: absent, then set.
    widgets.tag_widgets("g1").send().await.unwrap();
    let labels = types::models::TagWidgetsBody::new().with_labels(["blue".to_owned()]);
    widgets.tag_widgets("g1").body(labels).send().await.unwrap();

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].url.path(), "/api/atlas/v2/groups/g1/widgets");
    // The newest version is used for the body and the response alike.
    assert_eq!(
        requests[0].headers["content-type"],
        "application/vnd.atlas.2024-05-30+json"
    );
    assert_eq!(
        requests[0].headers["accept"],
        "application/vnd.atlas.2024-05-30+json"
    );
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&requests[0].body).unwrap(),
        serde_json::json!({"id": "new", "created": "2024-05-30T10:00:00Z", "size": "SMALL"})
    );
    assert!(requests[1].body.is_empty());
    assert!(!requests[1].headers.contains_key("content-type"));
    assert_eq!(requests[2].body, br#"{"labels":["blue"]}"#);
}

#[test]
fn additional_properties_are_kept_beside_named_fields() {
    let widget: Widget = serde_json::from_value(serde_json::json!({
        "id": "w", "created": "2024-05-30T10:00:00Z",
        "settings": {"mode": "fast", "retries": 3, "depth": 7}
    }))
    .unwrap();
    let settings = widget.settings.unwrap();
    assert_eq!(settings.mode.as_deref(), Some("fast"));
    assert_eq!(settings.additional_properties.get("retries"), Some(&3));
    assert_eq!(settings.additional_properties.get("depth"), Some(&7));
    assert_eq!(
        serde_json::to_value(&settings).unwrap(),
        serde_json::json!({"mode": "fast", "retries": 3, "depth": 7})
    );
}

#[test]
fn a_single_value_decodes_where_an_enum_array_is_expected() {
    use atlas_sdk_tests::fixtures::leniency::models::{
        Priority, TeamRole, TeamRoleRequiredRolesItem, TeamRoleRoleNamesItem,
    };
    // Prism's example for `enum` on an array is one bare value: a one-element list.
    let role: TeamRole = serde_json::from_value(serde_json::json!({
        "roleNames": "GROUP_OWNER",
        "requiredRoles": "ORG_OWNER",
        "clearableRoles": "GROUP_OWNER",
        "sharedRoles": "GROUP_READ_ONLY",
        "priorities": "HIGH"
    }))
    .unwrap();
    assert_eq!(
        role.role_names,
        Some(vec![TeamRoleRoleNamesItem::GroupOwner])
    );
    assert_eq!(role.required_roles, [TeamRoleRequiredRolesItem::OrgOwner]);
    assert_eq!(
        role.clearable_roles,
        Some(specwire::Nullable::Value(vec![
            atlas_sdk_tests::fixtures::leniency::models::TeamRoleClearableRolesItem::GroupOwner
        ]))
    );
    assert_eq!(role.shared_roles.as_ref().map(Vec::len), Some(1));
    assert_eq!(role.priorities, Some(vec![Priority::High]));

    // Lists decode as usual, unknown values are kept, and serializing writes lists.
    let role: TeamRole = serde_json::from_value(serde_json::json!({
        "roleNames": ["GROUP_BACKUP_MANAGER", "GROUP_SOMETHING_NEW"],
        "requiredRoles": [],
        "clearableRoles": null
    }))
    .unwrap();
    assert_eq!(
        role.role_names,
        Some(vec![
            TeamRoleRoleNamesItem::GroupBackupManager,
            TeamRoleRoleNamesItem::Unknown("GROUP_SOMETHING_NEW".to_owned()),
        ])
    );
    assert!(role.required_roles.is_empty());
    assert_eq!(role.clearable_roles, Some(specwire::Nullable::Null));
    assert_eq!(
        serde_json::to_value(&role).unwrap(),
        serde_json::json!({
            "roleNames": ["GROUP_BACKUP_MANAGER", "GROUP_SOMETHING_NEW"],
            "requiredRoles": [],
            "clearableRoles": null
        })
    );

    // Absent: `None` for optional lists, empty for the required one.
    let role: TeamRole = serde_json::from_value(serde_json::json!({})).unwrap();
    assert_eq!(role.role_names, None);
    assert_eq!(role.clearable_roles, None);
    assert!(role.required_roles.is_empty());

    // An item of the wrong kind still fails.
    assert!(serde_json::from_value::<TeamRole>(serde_json::json!({"roleNames": 7})).is_err());
}

#[test]
fn a_required_struct_field_left_out_decodes_as_its_default() {
    use atlas_sdk_tests::fixtures::leniency::models::{
        IndexSnapshot, Mappings, TextIndexDefinition, TextIndexResponse,
    };
    // Prism's example of the overriding child property, built from the parent's schema.
    let response: TextIndexResponse = serde_json::from_value(serde_json::json!({
        "name": "default",
        "latestDefinition": {"numPartitions": 1}
    }))
    .unwrap();
    let definition = response.latest_definition.unwrap();
    assert_eq!(definition.mappings, Mappings::default());
    assert_eq!(definition.num_partitions, Some(1));

    // A present value is decoded as usual.
    let definition: TextIndexDefinition = serde_json::from_value(serde_json::json!({
        "mappings": {"dynamic": true, "fields": {"title": "string"}}
    }))
    .unwrap();
    assert_eq!(definition.mappings.dynamic, Some(true));
    assert_eq!(definition.mappings.fields.unwrap()["title"], "string");

    // A required field whose struct has a required struct field itself: that struct derives
    // `Default` too. A struct with a required date-time has no zero value: still an error.
    assert_eq!(TextIndexDefinition::default().mappings, Mappings::default());
    let snapshot: IndexSnapshot = serde_json::from_value(serde_json::json!({
        "taken": {"at": "2024-05-30T10:00:00Z"}
    }))
    .unwrap();
    assert_eq!(snapshot.definition, TextIndexDefinition::default());
    assert!(
        serde_json::from_value::<IndexSnapshot>(serde_json::json!({"definition": {}})).is_err()
    );
}

#[test]
fn an_untagged_union_variant_needs_its_required_struct_fields() {
    use atlas_sdk_tests::fixtures::leniency::models::{
        IndexUpdateRequest, IndexUpdateRequestDefinition as Definition,
    };
    let decode = |json: serde_json::Value| -> IndexUpdateRequest {
        serde_json::from_value(serde_json::json!({ "definition": json })).unwrap()
    };
    // Without `mappings` the text definition does not fit, though it would decode on its own.
    assert!(matches!(
        decode(serde_json::json!({})).definition,
        Definition::VectorIndexDefinition(_)
    ));
    assert!(matches!(
        decode(serde_json::json!({"fields": ["a"]})).definition,
        Definition::VectorIndexDefinition(_)
    ));
    match decode(serde_json::json!({"mappings": {"dynamic": true}})).definition {
        Definition::TextIndexDefinition(text) => assert_eq!(text.mappings.dynamic, Some(true)),
        other => panic!("{other:?}"),
    }
    // Not an object: no variant fits, the value is kept.
    assert_eq!(
        decode(serde_json::json!(7)).definition,
        Definition::Unknown(serde_json::json!(7))
    );
    // Encoding writes the variant as it is.
    let request = decode(serde_json::json!({}));
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"definition": {}})
    );
}

#[test]
fn other_apis_schema_shapes_decode_into_their_types() {
    use atlas_sdk_tests::fixtures::shapes::models::{Animal, Shapes};
    let shapes: Shapes = serde_json::from_value(serde_json::json!({
        "uuid": "6f1e2d3c-0000-4000-8000-000000000000",
        "date": "2026-12-01",
        "when": "2026-12-01T10:00:00Z",
        "bytes": "aGk=",
        "small": 7,
        "big": 9_007_199_254_740_993i64,
        "ratio": 0.25,
        "level": 2,
        "mixed": true,
        "tags": ["a", "b"],
        "maybePet": null,
        "animal": {"kind": "Dog", "barks": true},
        "notString": 5,
        "anything": {"free": [1]},
        "defaults": {"nothing": null}
    }))
    .unwrap();
    // Formats without a Rust type of their own stay text, exactly as sent.
    assert_eq!(
        shapes.uuid.as_deref(),
        Some("6f1e2d3c-0000-4000-8000-000000000000")
    );
    assert_eq!(shapes.date.as_deref(), Some("2026-12-01"));
    assert_eq!(shapes.bytes.as_deref(), Some("aGk="));
    assert_eq!(shapes.when.map(|w| w.unix_timestamp()), Some(1_796_119_200));
    let small: Option<i32> = shapes.small;
    let big: Option<i64> = shapes.big;
    assert_eq!((small, big), (Some(7), Some(9_007_199_254_740_993)));
    // An integer enum is an integer; a mixed one, `not` and an empty allOf are JSON.
    assert_eq!(shapes.level, Some(2));
    assert_eq!(shapes.mixed, Some(serde_json::json!(true)));
    assert_eq!(shapes.not_string, Some(serde_json::json!(5)));
    assert_eq!(shapes.anything, Some(serde_json::json!({"free": [1]})));
    // `nullable` beside `allOf: [$ref]` keeps null apart from absent.
    assert_eq!(shapes.maybe_pet, Some(specwire::Nullable::Null));
    // A discriminator without a mapping selects the variant by the schema's name.
    assert!(matches!(shapes.animal, Some(Animal::Dog(dog)) if dog.barks == Some(true)));
    let cat: Animal =
        serde_json::from_value(serde_json::json!({"kind": "Cat", "lives": 9})).unwrap();
    assert!(matches!(cat, Animal::Cat(c) if c.lives == Some(9)));
    let bird: Animal = serde_json::from_value(serde_json::json!({"kind": "Bird"})).unwrap();
    assert!(matches!(bird, Animal::Unknown(_)));
}

#[test]
fn integer_formats_get_their_rust_types_and_u64_max_round_trips() {
    use types::models::CgroupLimits;
    // A container engine's cgroup "max", as it sends it: u64::MAX, beyond any i64.
    // Keys in the order the model encodes them, so the text can come back byte for byte.
    let text = r#"{"blkioWeight":65535,"cpuWeight":4294967295,"goInt":18446744073709551615,"ioClass":255,"memoryMax":18446744073709551615,"mislabelled":1000000000000,"nice":-20,"oomScoreAdj":-1000,"perDevice":{"8:0":4294967295},"pids":[18446744073709551615,0],"swap":18446744073709551615,"wide":18446744073709551615}"#;
    let limits: CgroupLimits = serde_json::from_str(text).expect("every value fits its format");
    let memory_max: Option<u64> = limits.memory_max;
    assert_eq!(memory_max, Some(u64::MAX));
    let swap: Option<types::models::MemoryBytes> = limits.swap;
    assert_eq!(swap, Some(u64::MAX));
    assert_eq!(limits.cpu_weight, Some(u32::MAX));
    assert_eq!(limits.blkio_weight, Some(u16::MAX));
    assert_eq!(limits.oom_score_adj, Some(-1000_i16));
    assert_eq!(limits.nice, Some(-20_i8));
    assert_eq!(limits.io_class, Some(u8::MAX));
    assert_eq!(limits.pids, Some(vec![u64::MAX, 0]));
    assert_eq!(limits.per_device.as_ref().map(|m| m["8:0"]), Some(u32::MAX));
    assert_eq!(limits.go_int, Some(u64::MAX));
    // `format: int32` with `maximum: 1e12` is typed as i64 (a note says so).
    assert_eq!(limits.mislabelled, Some(1_000_000_000_000_i64));
    assert_eq!(
        serde_json::to_string(&limits).expect("encodes"),
        text,
        "re-encoded byte for byte"
    );
    // A value beyond the format is refused, not truncated.
    assert!(serde_json::from_str::<CgroupLimits>(r#"{"ioClass":256}"#).is_err());
    assert!(serde_json::from_str::<CgroupLimits>(r#"{"memoryMax":-1}"#).is_err());
}

#[test]
fn unsigned_parameters_take_their_types_and_check_their_bounds() {
    use types::widgets::list_widgets::{MemoryMaxSchema, PrioritySchema};
    // `format: uint8`: the parameter takes a `u8`, so 300 cannot even be passed (it does
    // not fit the type), and the spec's own `maximum: 200` is checked before sending.
    let new: fn(u8) -> Result<PrioritySchema, specwire::InvalidParameter> = PrioritySchema::new;
    assert!(u8::try_from(300_u16).is_err());
    assert_eq!(new(200).expect("within the maximum").get(), 200_u8);
    assert_eq!(
        new(201).unwrap_err().rule,
        specwire::Rule::Maximum {
            limit: specwire::Number::Int(200),
            exclusive: false
        }
    );
    let memory: fn(u64) -> MemoryMaxSchema = MemoryMaxSchema::new;
    assert_eq!(memory(u64::MAX).get(), u64::MAX);
}

#[tokio::test]
async fn unsigned_parameters_are_sent_in_full() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"results": []})))
        .mount(&server)
        .await;
    let client = specwire::Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .build()
        .unwrap();
    let since = specwire::time::OffsetDateTime::UNIX_EPOCH;
    types::widgets::Widgets::new(client)
        .list_widgets("0123456789abcdef01234567", since)
        .memory_max(u64::MAX)
        .priority(200)
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let query = requests[0].url.query().unwrap_or_default().to_owned();
    assert!(query.contains("memoryMax=18446744073709551615"), "{query}");
    assert!(query.contains("priority=200"), "{query}");
}
