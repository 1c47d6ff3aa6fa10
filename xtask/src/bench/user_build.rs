//! A user's first build: a fresh one-call application on the SDK (the default TLS), built
//! cold with `cargo build -j 2` (debug), its whole dependency tree from nothing, as someone
//! trying the SDK on a 2-core machine waits for it; with the one tag it calls, with six
//! common tags, and with every tag. What the crate's default features are was decided from
//! these figures (no tag by default).

use std::path::Path;

use anyhow::{Context, Result};

use super::process;
use super::stats::Stats;

/// The cold builds' figures, one per feature set of [`FEATURE_SETS`].
pub(crate) struct UserBuild {
    pub builds: Vec<ColdBuild>,
}

/// One feature set's cold build.
pub(crate) struct ColdBuild {
    /// What the features are, for the report.
    pub label: &'static str,
    /// Wall time of `cargo build -j 2` from an empty target directory (seconds).
    pub seconds: Stats,
    /// Crates compiled (`Compiling` lines).
    pub crates: usize,
}

/// The SDK features the application is built with (beside the default TLS): the one tag it
/// calls first, as the README tells users to.
pub(crate) const FEATURE_SETS: &[(&str, &[&str])] = &[
    (
        "the one tag it calls (`access-tracking`)",
        &["access-tracking"],
    ),
    (
        "six common tags (access tracking, clusters, database users, IP access list, projects, organizations)",
        &[
            "access-tracking",
            "clusters",
            "database-users",
            "project-ip-access-list",
            "projects",
            "organizations",
        ],
    ),
    ("every tag (`full`)", &["full"]),
];

const MAIN: &str = r#"#[tokio::main]
async fn main() -> Result<(), atlas_sdk::Error> {
    let client = atlas_sdk::Client::from_env()?;
    let logs = client
        .access_tracking()
        .list_access_logs_by_cluster_name("32b6e34b3d91647abb20e7b8", "Cluster0")
        .send()
        .await?;
    println!("{}", logs.access_logs.map_or(0, |l| l.len()));
    Ok(())
}
"#;

/// Writes the application under `work` and builds it `runs` times from clean with each
/// feature set.
pub(crate) fn section(root: &Path, work: &Path, runs: usize) -> Result<UserBuild> {
    let mut builds = Vec::new();
    for (label, features) in FEATURE_SETS {
        let (seconds, crates) = cold_builds(root, work, features, runs)?;
        builds.push(ColdBuild {
            label,
            seconds,
            crates,
        });
    }
    Ok(UserBuild { builds })
}

fn cold_builds(root: &Path, work: &Path, features: &[&str], runs: usize) -> Result<(Stats, usize)> {
    let app = work.join("user-app");
    std::fs::create_dir_all(app.join("src"))
        .with_context(|| format!("creating {}", app.display()))?;
    let features: Vec<String> = std::iter::once("rustls-ring")
        .chain(features.iter().copied())
        .map(|f| format!("\"{f}\""))
        .collect();
    let manifest = format!(
        "[package]\nname = \"user-app\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\natlas-sdk = {{ package = \"mongodb-atlas-sdk\", path = \"{}\", default-features = false, features = [{}] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n",
        root.join("atlas-sdk").display(),
        features.join(", ")
    );
    std::fs::write(app.join("Cargo.toml"), manifest).context("writing the app's Cargo.toml")?;
    std::fs::write(app.join("src/main.rs"), MAIN).context("writing the app's main.rs")?;
    // The workspace's lock file: the same versions as the SDK is tested with, and no
    // registry lookups beyond what is cached.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock")).context("copying Cargo.lock")?;
    let target = work.join("user-app-target");
    let mut seconds = Vec::new();
    let mut crates = 0;
    for _ in 0..runs.max(1) {
        if target.exists() {
            std::fs::remove_dir_all(&target)
                .with_context(|| format!("removing {}", target.display()))?;
        }
        let mut command = crate::builds::cargo();
        command
            .args(["build", "-j", "2", "--manifest-path"])
            .arg(app.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS");
        let measured = process::run_ok(&mut command).context("building the one-call app")?;
        seconds.push(measured.wall.as_secs_f64());
        crates = String::from_utf8_lossy(&measured.output.stderr)
            .lines()
            .filter(|l| l.trim_start().starts_with("Compiling "))
            .count();
    }
    Ok((Stats::of(&seconds).context("no timing")?, crates))
}
