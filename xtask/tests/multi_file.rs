//! `cargo xtask codegen` on a spec split over several files, and `--strict`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str], spec: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const ROOT: &str = r##"openapi: 3.0.3
info: {title: split, version: "1"}
paths:
  /pets/{id}:
    get:
      tags: [Pets]
      operationId: getPet
      parameters:
        - $ref: 'parameters.yaml#/Id'
        - $ref: '#/components/parameters/Verbose'
      responses:
        "200":
          description: the pet
          content:
            application/json:
              schema: {$ref: 'pet.yaml'}
        "404":
          $ref: 'common/responses.yaml#/NotFound'
components:
  parameters:
    Verbose: {name: verbose, in: query, schema: {type: boolean}}
  schemas:
    Error: {type: object, properties: {local: {type: string}}}
"##;

const PET: &str = r##"type: object
required: [name]
properties:
  name: {type: string}
  tree: {$ref: 'node.yaml#/Node'}
  error: {$ref: 'common/schemas.yaml#/components/schemas/Error'}
"##;

const NODE: &str = r##"Node:
  type: object
  properties:
    children:
      type: array
      items: {$ref: '#/Node'}
"##;

fn write_split_spec(dir: &Path) -> PathBuf {
    fs::create_dir_all(dir.join("common")).unwrap();
    fs::write(dir.join("root.yaml"), ROOT).unwrap();
    fs::write(dir.join("pet.yaml"), PET).unwrap();
    fs::write(dir.join("node.yaml"), NODE).unwrap();
    fs::write(
        dir.join("parameters.yaml"),
        "Id: {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}\n",
    )
    .unwrap();
    fs::write(
        dir.join("common/responses.yaml"),
        "NotFound:\n  description: not found\n  content:\n    application/json:\n      schema: {$ref: 'schemas.yaml#/components/schemas/Error'}\n",
    )
    .unwrap();
    fs::write(
        dir.join("common/schemas.yaml"),
        "components:\n  schemas:\n    Error: {type: object, properties: {code: {type: integer}}}\n",
    )
    .unwrap();
    dir.join("root.yaml")
}

#[test]
fn references_to_files_beside_the_spec_are_bundled() {
    let specs = tempfile::tempdir().unwrap();
    let spec = write_split_spec(specs.path());
    let out = tempfile::tempdir().unwrap();
    let output = xtask(&[], &spec, &out.path().join("crate"));
    assert!(output.status.success(), "{}", stderr(&output));
    let models = out.path().join("crate/src/generated/models");
    let mut names: Vec<String> = fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The root's own `Error` keeps its name; the other file's becomes `Error2`; `pet.yaml`
    // (a whole file) is named after the file; the recursive `Node` stays one type.
    assert_eq!(
        names,
        ["e.rs", "mod.rs", "n.rs", "p.rs"],
        "{}",
        stderr(&output)
    );
    let errors = fs::read_to_string(models.join("e.rs")).unwrap();
    assert!(errors.contains("pub struct Error {"), "{errors}");
    assert!(errors.contains("pub struct Error2 {"), "{errors}");
    let node = fs::read_to_string(models.join("n.rs")).unwrap();
    assert!(
        node.contains("::std::vec::Vec<super::Node>"),
        "the recursion stays a reference:\n{node}"
    );
    let pet = fs::read_to_string(models.join("p.rs")).unwrap();
    assert!(pet.contains("super::Error2"), "{pet}");
    // The copied path parameter keeps its rule.
    let operation = fs::read_to_string(out.path().join("crate/src/generated/pets.rs")).unwrap();
    let squeezed: String = operation.split_whitespace().collect();
    assert!(
        squeezed.contains("IdSchema(copyi64,Eq)\"id\"[int_minimum(1i64,false)]"),
        "{operation}"
    );
}

#[test]
fn a_url_reference_is_not_fetched_but_typed_as_json_with_a_note() {
    let specs = tempfile::tempdir().unwrap();
    let spec = write_split_spec(specs.path());
    fs::write(
        specs.path().join("pet.yaml"),
        PET.replace("'node.yaml#/Node'", "'https://example.com/node.yaml#/Node'"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = xtask(&[], &spec, &out.path().join("crate"));
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("/properties/tree/$ref: `$ref: https://example.com/node.yaml#/Node` is not fetched (the generator reads no network); typed as any JSON value. Save `https://example.com/node.yaml` beside the specification as `node.yaml` and write `$ref: node.yaml#/Node` to have it typed"),
        "{message}"
    );
    // `--strict repair` makes the repair a failure, and nothing is written.
    let strict = xtask(&["--strict", "repair"], &spec, &out.path().join("strict"));
    assert!(!strict.status.success());
    assert!(!out.path().join("strict").exists(), "nothing is written");
}

#[test]
fn a_reference_to_a_missing_file_is_a_note_that_names_it() {
    let specs = tempfile::tempdir().unwrap();
    let spec = write_split_spec(specs.path());
    fs::remove_file(specs.path().join("node.yaml")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = xtask(&[], &spec, &out.path().join("crate"));
    let message = stderr(&output);
    assert!(output.status.success(), "{message}");
    assert!(
        message.contains("`$ref: node.yaml#/Node` names a file that was not found beside the specification; typed as any JSON value"),
        "{message}"
    );
}

#[test]
fn strict_fails_on_the_chosen_kinds_and_writes_nothing() {
    let specs = tempfile::tempdir().unwrap();
    let spec = specs.path().join("spec.yaml");
    fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '204': {description: none}\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("crate");
    let output = xtask(&["--strict", "naming"], &spec, &crate_dir);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("strict: naming note: #/paths/~1x/get: `GET /x` has no operationId"),
        "{message}"
    );
    assert!(message.contains("--strict: 1 note(s)"), "{message}");
    assert!(!crate_dir.exists(), "nothing is written");
    // Other kinds pass; an unknown kind is a clear error.
    let output = xtask(&["--strict", "pattern,loose"], &spec, &crate_dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = xtask(&["--strict", "typo"], &spec, &out.path().join("other"));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("unknown kind `typo`"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_standalone_crate_names_its_runtime_portably() {
    let specs = tempfile::tempdir().unwrap();
    let spec = write_split_spec(specs.path());
    let out = tempfile::tempdir().unwrap();
    let crate_dir = out.path().join("crate");
    let output = xtask(&[], &spec, &crate_dir);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    let dependency = manifest
        .lines()
        .find(|l| l.starts_with("specwire = "))
        .unwrap_or_else(|| panic!("the runtime is a dependency: {manifest}"))
        .to_owned();
    assert!(
        dependency.starts_with("specwire = { version = \""),
        "{dependency}"
    );
    assert!(!manifest.contains("mongodb-atlas-sdk"), "{manifest}");
    assert!(
        !manifest.contains("path ="),
        "no path of this checkout: {manifest}"
    );

    let git_dir = out.path().join("git");
    let output = xtask(
        &[
            "--runtime-git",
            "https://example.com/atlas-sdk.git",
            "--runtime-rev",
            "v1",
        ],
        &spec,
        &git_dir,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest = fs::read_to_string(git_dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("git = \"https://example.com/atlas-sdk.git\", rev = \"v1\""),
        "{manifest}"
    );
}
