//! How paths the user gave are resolved and named.

use std::path::{Path, PathBuf};

/// `given` resolved against the current directory (an absolute path stays as it is).
pub fn from_current_dir(given: &Path) -> PathBuf {
    if given.is_absolute() {
        return given.to_owned();
    }
    std::env::current_dir()
        .map(|cwd| cwd.join(given))
        .unwrap_or_else(|_| given.to_owned())
}

/// How a path is named in generated headers and reports: relative to `base` when `resolved`
/// lies inside it (so the output does not depend on where `base` sits on this machine), else
/// as the user wrote it. Always with `/` between components.
pub fn shown(resolved: &Path, as_given: &Path, base: &Path) -> String {
    let base = base.canonicalize().unwrap_or_else(|_| base.to_owned());
    let absolute = resolved
        .canonicalize()
        .unwrap_or_else(|_| resolved.to_owned());
    absolute
        .strip_prefix(&base)
        .unwrap_or(as_given)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A Cargo package name made from `stem` (a directory's name): letters, digits, `-` and `_`
/// kept, anything else a `-`; a leading digit gets `api-` before it. `None` when nothing of
/// it is usable.
pub fn package_name(stem: &str) -> Option<String> {
    let name: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('-');
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}")
    } else {
        name.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_from_directory_names() {
        assert_eq!(
            package_name("petstore-client").as_deref(),
            Some("petstore-client")
        );
        assert_eq!(package_name("My API (v2)").as_deref(), Some("my-api--v2"));
        assert_eq!(package_name("2fa").as_deref(), Some("api-2fa"));
        assert_eq!(package_name("..."), None);
        assert_eq!(package_name(""), None);
    }

    #[test]
    fn paths_inside_the_base_are_shown_relative_to_it() {
        let dir = std::env::temp_dir();
        let file = dir.join("x.yaml");
        assert_eq!(shown(&file, Path::new("/elsewhere/x.yaml"), &dir), "x.yaml");
        assert_eq!(
            shown(Path::new("/no/such/dir/y.yaml"), Path::new("y.yaml"), &dir),
            "y.yaml"
        );
    }
}
