use super::*;

#[test]
fn external_references_are_found_by_a_scan() {
    assert!(!has_external_refs("a:\n  $ref: '#/components/schemas/A'\n"));
    assert!(!has_external_refs(r##"{"$ref": "#/x"}"##));
    assert!(has_external_refs(
        "a:\n  $ref: common.yaml#/components/schemas/A\n"
    ));
    assert!(has_external_refs(r#"{"$ref": "pet.json"}"#));
    assert!(!has_external_refs("description: costs $refunds"));
}

/// Where a reference sits decides what it becomes, as the structural walk knows it: a
/// schema (also under `prefixItems`, `$defs` or `patternProperties`, and a property
/// named `example`) becomes a component; examples and extensions are never opened.
#[test]
fn what_a_file_reference_becomes_is_known_from_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let root = document_referring_to(dir.path(), "pet.yaml#/Pet");
    write_files(
        &dir.path().join("api"),
        &[
            (
                "pet.yaml",
                "Pet:\n  prefixItems: [{$ref: 'parts.yaml#/Head'}]\n  $defs: {tail: {$ref: 'parts.yaml#/Tail'}}\n  patternProperties: {'^x': {$ref: 'parts.yaml#/Paw'}}\n  properties:\n    example: {$ref: 'parts.yaml#/Ear'}\n  example: {$ref: 'broken.yaml'}\n  x-data: {$ref: 'broken.yaml'}\n",
            ),
            (
                "parts.yaml",
                "Head: {type: string}\nTail: {type: string}\nPaw: {type: string}\nEar: {type: string}\n",
            ),
            // Opening this file would stop the run: it is not YAML.
            ("broken.yaml", "a: [unclosed\n"),
        ],
    );
    let text = fs::read_to_string(&root).unwrap();
    let (bundled, notes) = bundle(&root, "api.yaml", &text, None).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let schemas = &bundled["components"]["schemas"];
    let pet = &schemas["Pet"];
    assert_eq!(pet["example"]["$ref"], "broken.yaml");
    assert_eq!(pet["x-data"]["$ref"], "broken.yaml");
    assert_eq!(pet["prefixItems"][0]["$ref"], "#/components/schemas/Head");
    assert_eq!(pet["$defs"]["tail"]["$ref"], "#/components/schemas/Tail");
    assert_eq!(
        pet["patternProperties"]["^x"]["$ref"],
        "#/components/schemas/Paw"
    );
    assert_eq!(
        pet["properties"]["example"]["$ref"],
        "#/components/schemas/Ear"
    );
    for part in ["Head", "Tail", "Paw", "Ear"] {
        assert_eq!(
            schemas[part],
            serde_json::json!({"type": "string"}),
            "{part}"
        );
    }
}

/// Azure DevOps' descriptions name files in a letter case the repository does not have;
/// Windows editors start files with a byte-order mark. Both are read, each with a note.
#[test]
fn a_file_named_in_another_letter_case_and_a_byte_order_mark_are_repairs() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("schemas")).unwrap();
    fs::write(
        dir.path().join("schemas/pet.yaml"),
        "\u{feff}Pet:\n  type: object\n  properties:\n    name: {type: string}\n",
    )
    .unwrap();
    let root = dir.path().join("api.yaml");
    fs::write(
        &root,
        "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      operationId: pets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'Schemas/Pet.YAML#/Pet'}\n",
    )
    .unwrap();
    let spec = read_spec(&root, "api.yaml").unwrap();
    let file = "schemas/pet.yaml";
    let at = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref";
    let notes: Vec<(&str, String)> = spec
        .notes
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.clone()))
        .collect();
    assert_eq!(
        notes,
        [
            ("#", codegen::BYTE_ORDER_MARK_NOTE.to_owned()),
            (
                at,
                format!(
                    "`Schemas/Pet.YAML#/Pet` names no file, but {} differs from it only in letter case (as on a case-insensitive file system); read that file",
                    file
                )
            ),
            (
                at,
                format!(
                    "{} starts with a UTF-8 byte-order mark, which JSON forbids (RFC 8259); read without it",
                    file
                )
            ),
        ]
    );
    assert!(
        spec.notes
            .iter()
            .all(|d| d.kind == codegen::ir::NoteKind::Repair)
    );
    assert_eq!(
        spec.raw["components"]["schemas"]["Pet"]["properties"]["name"],
        serde_json::json!({"type": "string"})
    );
}

#[test]
fn two_files_that_differ_only_in_case_are_not_guessed_between() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.yaml"), "A: {}\n").unwrap();
    fs::write(dir.path().join("A.YAML"), "A: {}\n").unwrap();
    assert_eq!(path_ignoring_case(dir.path(), "a.Yaml"), None);
    assert_eq!(
        path_ignoring_case(dir.path(), "./a.yaml"),
        Some(canonical(&dir.path().join("a.yaml")).unwrap())
    );
}

/// Writes each `(path, text)` under `dir`, making the directories it needs.
fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
    }
}

/// A root document in `dir/api/` whose one response schema is `$ref: {reference}`.
fn document_referring_to(dir: &Path, reference: &str) -> PathBuf {
    fs::create_dir_all(dir.join("api")).unwrap();
    let root = dir.join("api/api.yaml");
    fs::write(
        &root,
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /pets:\n    get:\n      operationId: pets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{reference}'}}\n"),
    )
    .unwrap();
    root
}

const AT: &str = "#/paths/~1pets/get/responses/200/content/application~1json/schema/$ref";

/// The root document's reader repairs what YAML allows and JSON cannot hold; a file a
/// `$ref` names goes through the same reader (it used to fail: "not valid YAML").
#[test]
fn a_referenced_file_is_read_with_the_root_documents_repairs() {
    let dir = tempfile::tempdir().unwrap();
    let root = document_referring_to(dir.path(), "pet.yaml#/Pet");
    fs::write(
        dir.path().join("api/pet.yaml"),
        "Pet:\n  type: integer\n  maximum: 340282366920938463463374607431768211455\n",
    )
    .unwrap();
    let spec = read_spec(&root, "api.yaml").unwrap();
    assert_eq!(
        spec.raw["components"]["schemas"]["Pet"],
        serde_json::json!({"type": "integer"})
    );
    let notes: Vec<(&str, &str)> = spec
        .notes
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            "#/components/schemas/Pet",
            "`maximum: 3.402823669209385e+38` is beyond a 64-bit integer; the bound is not checked"
        )]
    );
}

#[test]
fn a_file_outside_the_documents_directory_is_read_with_a_note_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = document_referring_to(dir.path(), "../common/types.yaml#/Pet");
    fs::create_dir(dir.path().join("common")).unwrap();
    fs::write(
        dir.path().join("common/types.yaml"),
        "Pet: {type: string}\n",
    )
    .unwrap();
    let spec = read_spec(&root, "api.yaml").unwrap();
    let notes: Vec<(&str, codegen::ir::NoteKind, &str)> = spec
        .notes
        .iter()
        .map(|d| (d.pointer.as_str(), d.kind, d.message.as_str()))
        .collect();
    assert_eq!(
        notes,
        [(
            AT,
            codegen::ir::NoteKind::File,
            "`../common/types.yaml#/Pet` reads ../common/types.yaml, outside the document's directory (bound what is read with --refs-within DIR)"
        )]
    );
    assert_eq!(
        spec.raw["components"]["schemas"]["Pet"],
        serde_json::json!({"type": "string"})
    );
    // Bounded to a directory that holds both, it is read without a note.
    let within = Reading {
        within: Some(dir.path().to_owned()),
    };
    let spec = read_spec_with(&root, "api.yaml", &within).unwrap();
    assert!(spec.notes.is_empty(), "{:?}", spec.notes);
}

#[test]
fn a_file_outside_the_bound_is_a_located_error_and_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = document_referring_to(dir.path(), "../secret.yaml");
    // Not YAML: had it been read, the error would say so instead.
    fs::write(dir.path().join("secret.yaml"), "{ not yaml: [").unwrap();
    let within = Reading {
        within: Some(dir.path().join("api")),
    };
    let error = read_spec_with(&root, "api.yaml", &within)
        .unwrap_err()
        .to_string();
    let secret = canonical(&dir.path().join("secret.yaml")).unwrap();
    let bound = canonical(&dir.path().join("api")).unwrap();
    assert_eq!(
        error,
        format!(
            "api.yaml: {AT}: `../secret.yaml` names {}, outside the directory reading is bounded to ({}); move the file inside it or widen --refs-within",
            secret.display(),
            bound.display()
        )
    );
}

#[test]
fn an_absolute_path_is_refused_unless_it_lies_inside_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("types")).unwrap();
    let types = dir.path().join("types/pet.yaml");
    fs::write(&types, "Pet: {type: string}\n").unwrap();
    let absolute = format!("{}#/Pet", canonical(&types).unwrap().display());
    let root = document_referring_to(dir.path(), &absolute);
    let error = read_spec(&root, "api.yaml").unwrap_err().to_string();
    assert_eq!(
        error,
        format!(
            "api.yaml: {AT}: `{absolute}` is an absolute path, which a document may name only inside the directory given with --refs-within DIR"
        )
    );
    let within = Reading {
        within: Some(dir.path().to_owned()),
    };
    let spec = read_spec_with(&root, "api.yaml", &within).unwrap();
    assert_eq!(
        spec.raw["components"]["schemas"]["Pet"],
        serde_json::json!({"type": "string"})
    );
}

#[test]
fn paths_are_shown_relative_to_the_documents_directory() {
    assert_eq!(
        relative_path(Path::new("/a/d"), Path::new("/a/b/c.yaml")),
        "../b/c.yaml"
    );
    assert_eq!(
        relative_path(Path::new("/a"), Path::new("/a/b/c.yaml")),
        "b/c.yaml"
    );
}

/// A document whose components are files (hatchet's layout: `schemas: {$ref: _index.yaml}`,
/// each entry a reference to the file that defines it) keeps each component under its own
/// name, once: references to the same part from a path or from another component's
/// property name the component, and no second copy (`Pet2`) is brought in.
#[test]
fn components_written_as_references_keep_their_names_and_are_brought_in_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = document_referring_to(dir.path(), "schemas/_index.yaml#/Pet");
    let mut text = fs::read_to_string(&root).unwrap();
    text.push_str("components:\n  schemas:\n    $ref: 'schemas/_index.yaml'\n");
    write_files(
        &dir.path().join("api"),
        &[
            ("api.yaml", &text),
            (
                "schemas/_index.yaml",
                "Pet:\n  $ref: 'pet.yaml#/Pet'\nOwner:\n  $ref: 'pet.yaml#/Owner'\n",
            ),
            (
                "schemas/pet.yaml",
                "Pet:\n  properties:\n    owner: {$ref: '#/Owner'}\nOwner:\n  type: string\n",
            ),
        ],
    );
    let (bundled, notes) = bundle(&root, "api.yaml", &text, None).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    let schemas = bundled["components"]["schemas"].as_object().unwrap();
    assert_eq!(
        schemas.keys().collect::<Vec<_>>(),
        ["Owner", "Pet"],
        "each component once, under its own name"
    );
    assert_eq!(
        schemas["Pet"],
        serde_json::json!({"properties": {"owner": {"$ref": "#/components/schemas/Owner"}}})
    );
    assert_eq!(schemas["Owner"], serde_json::json!({"type": "string"}));
    let at = AT.trim_start_matches('#').trim_end_matches("/$ref");
    assert_eq!(
        bundled.pointer(at).unwrap(),
        &serde_json::json!({"$ref": "#/components/schemas/Pet"})
    );
}
