//! Strings that match a specification's `pattern`, for parameters and body fields of the
//! conformance program that have no usable example.
//!
//! The pattern is parsed with `regex-syntax` and walked to its shortest match (first
//! alternative, fewest repetitions); look-arounds, which `regex-syntax` does not know, are
//! dropped first. The result is kept only when the pattern, with JavaScript semantics
//! (`regress`, as the SDK checks it), really matches it.

use regex_syntax::hir::{Class, Hir, HirKind};

/// A short string matching `pattern`, or `None` when none could be made.
pub(crate) fn matching(pattern: &str) -> Option<String> {
    let regex = regress::Regex::new(pattern).ok()?;
    let simplified = without_lookarounds(pattern);
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(&simplified)
        .ok()?;
    let mut out = String::new();
    shortest(&hir, &mut out);
    regex.find(&out).is_some().then_some(out)
}

fn shortest(hir: &Hir, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
        HirKind::Class(Class::Unicode(class)) => {
            let ranges = class.ranges();
            let preferred = ['a', '0', 'A', '-', '_', '.'];
            let pick = preferred
                .into_iter()
                .find(|c| ranges.iter().any(|r| r.start() <= *c && *c <= r.end()))
                .or_else(|| {
                    // Else the first printable character the class allows.
                    ranges
                        .iter()
                        .flat_map(|r| r.start()..=r.end())
                        .find(|c| c.is_ascii_graphic() || !c.is_ascii())
                });
            out.extend(pick);
        }
        HirKind::Class(Class::Bytes(class)) => {
            out.extend(class.ranges().first().map(|r| char::from(r.start())));
        }
        HirKind::Repetition(repetition) => {
            for _ in 0..repetition.min {
                shortest(&repetition.sub, out);
            }
        }
        HirKind::Capture(capture) => shortest(&capture.sub, out),
        HirKind::Concat(parts) => parts.iter().for_each(|part| shortest(part, out)),
        HirKind::Alternation(alternatives) => {
            if let Some(first) = alternatives.first() {
                shortest(first, out);
            }
        }
    }
}

/// `pattern` without `(?=…)`, `(?!…)`, `(?<=…)` and `(?<!…)` groups (they only narrow what
/// matches; the final check with the full pattern catches a string they would reject).
fn without_lookarounds(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let lookaround = ["(?=", "(?!", "(?<=", "(?<!"]
            .iter()
            .any(|open| rest.starts_with(open));
        if chars[i] == '\\' {
            out.extend(&chars[i..chars.len().min(i + 2)]);
            i += 2;
        } else if lookaround {
            // Skip to the matching parenthesis.
            let mut depth = 0;
            while i < chars.len() {
                match chars[i] {
                    '\\' => i += 1,
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i += 1;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_matches_of_atlas_patterns() {
        assert_eq!(
            matching("^vpce-[0-9a-f]{17}$").as_deref(),
            Some("vpce-aaaaaaaaaaaaaaaaa")
        );
        assert_eq!(matching("^([A-Z]{2})$").as_deref(), Some("AA"));
        assert_eq!(matching("^[0-9]{12}$").as_deref(), Some("000000000000"));
        assert_eq!(
            matching(r"^([0-9]{1,3}\.){3}[0-9]{1,3}|([0-9a-f]{1,4}\:){7}([0-9a-f]{1,4})$")
                .as_deref(),
            Some("0.0.0.0")
        );
    }

    #[test]
    fn lookarounds_are_dropped_and_the_result_still_checked() {
        let cidr = r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}/([0-9]|[12][0-9]|3[0-2])$";
        assert_eq!(without_lookarounds(r"a(?!$)b(?<=x(y))c"), "abc");
        // The shortest walk ignores `(?!$)`, but the full pattern must still accept it.
        if let Some(found) = matching(cidr) {
            assert!(regress::Regex::new(cidr).unwrap().find(&found).is_some());
        }
    }

    #[test]
    fn broken_patterns_give_nothing() {
        assert_eq!(matching("^(unbalanced$"), None);
    }
}
