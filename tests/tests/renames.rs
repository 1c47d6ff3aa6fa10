//! MongoDB renamed 317 operations in four days (`../shared/specs/renames/`). A crate
//! generated from the newer document with the older one as `previous` keeps the old names as
//! deprecated aliases: a program written against the older crate compiles against the newer
//! one, with deprecation warnings only. Shown on the Teams tag (twelve renames, one of them
//! an id that passed to another route), compiled.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use atlas_sdk_tests::workspace_root;
use codegen_cli::standalone::{CrateHeader, Runtime, standalone_crate};

/// The program, written against the 2025-08-25 crate.
const PROGRAM: &str = r#"use renamed_teams::models::TeamRole;
use renamed_teams::teams::{AddAllTeamsToProjectRequest, Teams};

fn calls(teams: &Teams) -> AddAllTeamsToProjectRequest {
    let _ = teams.list_project_teams("32b6e34b3d91647abb20e7b8");
    let _ = teams.get_project_team("32b6e34b3d91647abb20e7b8", "team");
    let _ = teams.delete_team("org", "team");
    let roles: Vec<TeamRole> = Vec::new();
    teams.add_all_teams_to_project("32b6e34b3d91647abb20e7b8", roles)
}

fn main() {
    let _ = calls;
}
"#;

fn shared(name: &str) -> Option<String> {
    atlas_sdk_tests::shared_spec(&format!("renames/{name}"))
}

fn write_crate(dir: &Path, output: &codegen::Output) {
    let header = CrateHeader {
        name: "renamed-teams",
        title: "MongoDB Atlas",
        command: "tests/tests/renames.rs",
    };
    let runtime = Runtime::Path(workspace_root().join("specwire"));
    let mut files = standalone_crate(&header, &runtime, output).unwrap();
    files.insert("examples/old_names.rs".to_owned(), PROGRAM.to_owned());
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// `cargo check`s the program; the warnings it prints (one line each).
fn check(dir: &Path) -> Vec<String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--offline",
            "--example",
            "old_names",
            "--message-format",
            "short",
        ])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/install-command"),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
        .lines()
        .filter(|l| l.contains("warning:") && !l.contains("generated"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn code_written_against_the_older_crate_compiles_against_the_newer_one() {
    let (Some(old), Some(new)) = (
        shared("atlas-api-transformed-2025-08-25.yaml"),
        shared("atlas-api-transformed-2025-08-29.yaml"),
    ) else {
        return;
    };
    let old = codegen::Spec::parse("old.yaml", &old).unwrap();
    let new = codegen::Spec::parse("new.yaml", &new).unwrap();
    let options = codegen::Options {
        accessors: codegen::Accessors::Trait,
        tags: Some(BTreeSet::from(["Teams".to_owned()])),
        ..codegen::Options::default()
    };
    let renames = codegen::diff::renames_between(&old, &new, &options).unwrap();
    assert_eq!(renames.operations.len(), 12, "{renames:#?}");
    assert_eq!(
        renames.operations["addGroupTeams"].fn_name,
        "add_all_teams_to_project"
    );
    // The id `removeUserFromTeam` passed from one route to another: the method of that name
    // is the new route's, and no alias shadows it.
    assert_eq!(
        renames.operations["removeUserFromTeam"].fn_name,
        "remove_team_user"
    );
    let scratch = tempfile::tempdir().unwrap();
    let (before, after) = (scratch.path().join("before"), scratch.path().join("after"));
    write_crate(&before, &codegen::generate(&old, &options).unwrap());
    assert_eq!(check(&before), Vec::<String>::new());
    // Written after the first check: the two crates share a name, so Cargo keeps their
    // artifacts in one place and would take files older than that check's output (the same
    // paths, as the layout has them) for built already.
    let keeping = codegen::Options {
        former_names: Some(renames),
        ..options
    };
    write_crate(&after, &codegen::generate(&new, &keeping).unwrap());
    let warnings = check(&after);
    assert_eq!(warnings.len(), 6, "{warnings:#?}");
    assert!(
        warnings.iter().all(|w| w.contains("use of deprecated")),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains(
            "renamed to `add_group_teams` (operationId `addAllTeamsToProject` is now `addGroupTeams`)"
        )),
        "{warnings:#?}"
    );
}
