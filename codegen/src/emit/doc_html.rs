//! HTML in spec descriptions, made safe for rustdoc: a tag whose partner is missing (an
//! `</abbr>` whose `<abbr` lost its `<`, a placeholder such as `<value>`) would fail
//! `rustdoc::invalid_html_tags`, so its `<` is escaped and it shows as text. Balanced tags,
//! void elements and self-closing tags stay HTML.

/// Elements that never have a closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// A tag found in the text: where its `<` is, and whether it opens or closes `name`.
struct Tag {
    line: usize,
    at: usize,
    name: String,
    closing: bool,
}

/// Escapes (`\<`) the `<` of every tag in `lines` without a partner. `prose[i]` is false for
/// lines inside a fenced block, which are left alone; inline code spans are skipped.
pub(super) fn escape_unpaired_tags(lines: &mut [String], prose: &[bool]) {
    let mut open: Vec<Tag> = Vec::new();
    let mut unpaired: Vec<(usize, usize)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !prose.get(index).copied().unwrap_or(false) {
            continue;
        }
        for tag in tags(index, line) {
            if !tag.closing {
                open.push(tag);
            } else if let Some(depth) = open.iter().rposition(|o| o.name == tag.name) {
                // Tags opened inside the one this closes were never closed.
                unpaired.extend(open.drain(depth..).skip(1).map(|t| (t.line, t.at)));
            } else {
                unpaired.push((tag.line, tag.at));
            }
        }
    }
    unpaired.extend(open.iter().map(|t| (t.line, t.at)));
    // From the end of each line, so earlier positions stay valid.
    unpaired.sort_unstable_by(|a, b| b.cmp(a));
    for (line, at) in unpaired {
        if let Some(text) = lines.get_mut(line) {
            text.insert(at, '\\');
        }
    }
}

/// The non-void, non-self-closing tags of one line, outside inline code and autolinks.
fn tags(line_index: usize, line: &str) -> Vec<Tag> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_code = false;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => in_code = !in_code,
            b'\\' => i += 1,
            b'<' if !in_code => {
                if let Some((tag, len)) = tag_at(&line[i..]) {
                    found.push(Tag {
                        line: line_index,
                        at: i,
                        ..tag
                    });
                    i += len;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The tag that `text` (starting at `<`) begins, and its length; `None` for anything else
/// (a comparison, an autolink, a void or self-closing element).
fn tag_at(text: &str) -> Option<(Tag, usize)> {
    let end = text.find('>')?;
    let inner = &text[1..end];
    if inner.contains('<') {
        return None;
    }
    let (closing, rest) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !starts_with_letter || !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        // `<https://…>` and `<a@b.c>` are autolinks, not tags.
        return None;
    }
    let name = name.to_ascii_lowercase();
    if inner.ends_with('/') || VOID.contains(&name.as_str()) {
        return None;
    }
    let tag = Tag {
        line: 0,
        at: 0,
        name,
        closing,
    };
    Some((tag, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let prose = vec![true; lines.len()];
        escape_unpaired_tags(&mut lines, &prose);
        lines.join("\n")
    }

    #[test]
    fn unpaired_tags_are_escaped_and_balanced_ones_kept() {
        assert_eq!(
            escaped(r#"only for abbr title="AWS">AWS</abbr>."#),
            r#"only for abbr title="AWS">AWS\</abbr>."#
        );
        assert_eq!(escaped("the <value> can be"), r"the \<value> can be");
        assert_eq!(
            escaped("<b>bold</b> and <abbr title=\"x\">X</abbr>"),
            "<b>bold</b> and <abbr title=\"x\">X</abbr>"
        );
        assert_eq!(
            escaped("<em>over\ntwo lines</em>"),
            "<em>over\ntwo lines</em>"
        );
        assert_eq!(escaped("<b><i>x</b>"), r"<b>\<i>x</b>");
    }

    #[test]
    fn code_autolinks_void_and_comparisons_are_not_tags() {
        for text in [
            "`<value>` in code",
            "see <https://x.io/a>",
            "line<br>break and <hr/>",
            "a < b and c > d",
            "escaped \\<value>",
        ] {
            assert_eq!(escaped(text), text);
        }
    }
}
