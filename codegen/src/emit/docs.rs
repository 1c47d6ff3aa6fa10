//! Spec descriptions → `#[doc]` attributes that rustdoc renders cleanly and never runs.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// One `#[doc = " line"]` per line of generator-written Markdown (prettyplease prints them
/// as `/// line`, with the space). Text from the spec goes through [`spec_text`] first.
pub(crate) fn doc(markdown: &str) -> TokenStream {
    let lines = lines(markdown).into_iter().map(|l| raw_literal(&l));
    quote! { #( #[doc = #lines] )* }
}

/// Like [`doc`], for attributes inside a macro call: ordinary literals, since prettyplease
/// prints a macro's tokens as they are and a raw literal would show.
pub(crate) fn macro_doc(markdown: &str) -> TokenStream {
    let lines = lines(markdown);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`doc`], as inner attributes (`//!`) for a module.
pub(crate) fn inner_doc(markdown: &str) -> TokenStream {
    let lines = lines(markdown).into_iter().map(|l| raw_literal(&l));
    quote! { #( #![doc = #lines] )* }
}

fn lines(markdown: &str) -> Vec<String> {
    markdown
        .trim()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            }
        })
        .collect()
}

/// `text` as a raw string literal (`r"…"`, with as many `#` as it needs). Docs are the bulk
/// of the generated text: as ordinary literals, `quote` escapes them and `syn` unescapes
/// them again (twice: once to peek, once to parse) character by character, about a tenth of
/// emitting and formatting; a raw literal is copied. prettyplease prints the same `///`
/// line either way. Text a raw literal cannot hold (a carriage return) stays ordinary.
fn raw_literal(text: &str) -> Literal {
    if text.contains('\r') {
        return Literal::string(text);
    }
    // A raw literal ends at the first `"` followed by its number of `#`s.
    let hashes = text
        .split('"')
        .skip(1)
        .map(|after| after.len() - after.trim_start_matches('#').len() + 1)
        .max()
        .unwrap_or(0);
    let hashes = "#".repeat(hashes);
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// A description from the spec, made safe for rustdoc: no accidental code blocks or doc
/// tests, no brackets taken for intra-doc links, no bare URLs.
pub(crate) fn spec_text(text: Option<&str>) -> Option<String> {
    let text = text?;
    Some(
        sanitize(text)
            .into_iter()
            .map(|l| l.strip_prefix(' ').map(str::to_owned).unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Joins paragraphs, skipping empty ones, with a blank line between them.
pub(crate) fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Whether each line of `out` is prose (not inside a fenced block).
    let mut prose = Vec::new();
    let mut in_fence = false;
    let mut after_list_item = false;
    for line in text.trim().lines() {
        // Indentation would turn prose into a code block that rustdoc compiles as a test.
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("```") {
            // Fenced examples in the spec are JSON or shell, never Rust.
            let fence = if in_fence || !rest.trim().is_empty() && rest.trim() != "rust" {
                format!(" ```{}", rest.trim())
            } else {
                " ```text".to_owned()
            };
            in_fence = !in_fence;
            out.push(fence);
            prose.push(false);
            continue;
        }
        if in_fence {
            out.push(format!(" {line}"));
            prose.push(false);
            continue;
        }
        // With indentation gone, a line right after a list item would continue that item
        // ("lazily"); the spec's authors mean a new paragraph, so it gets one.
        let is_item = is_list_item(line);
        if after_list_item && !is_item && !line.is_empty() {
            out.push(String::new());
            prose.push(true);
        }
        after_list_item = is_item;
        let line = escape_brackets(&wrap_bare_urls(line));
        out.push(if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
        prose.push(true);
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    super::doc_html::escape_unpaired_tags(&mut out, &prose);
    out
}

/// A Markdown list item: `- `, `* `, `+ `, or a number followed by `. ` or `) `.
fn is_list_item(line: &str) -> bool {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return true;
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") "))
}

/// `[text](url)` stays a link; other brackets are escaped so rustdoc does not take them for
/// intra-doc links.
fn escape_brackets(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            if let Some(close) = chars[i + 1..]
                .iter()
                .position(|&c| c == ']')
                .map(|p| p + i + 1)
                && chars.get(close + 1) == Some(&'(')
                && !chars[i + 1..close].contains(&'[')
            {
                out.extend(&chars[i..=close]);
                i = close + 1;
                continue;
            }
            out.push_str("\\[");
        } else if c == ']' {
            out.push_str("\\]");
        } else {
            out.push(c);
        }
        i += 1;
    }
    out
}

/// Bare URLs become `<url>` autolinks (rustdoc warns about bare ones).
fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut rest = line;
    while let Some(start) = rest
        .find("http://")
        .or_else(|| rest.find("https://"))
        .map(|s| {
            // Take whichever scheme comes first.
            match (rest.find("http://"), rest.find("https://")) {
                (Some(a), Some(b)) => a.min(b),
                _ => s,
            }
        })
    {
        let before = &rest[..start];
        let mut previous = before.chars().rev();
        let prev = previous.next();
        // A quoted URL is an HTML attribute's value only after `=`; in prose it is a link.
        let attribute = matches!(prev, Some('"' | '\'')) && previous.next() == Some('=');
        let end = rest[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
            .map_or(rest.len(), |e| start + e);
        let mut url = &rest[start..end];
        // A sentence's final punctuation is not part of the URL.
        while url.ends_with(['.', ',', ';', ':']) {
            url = &url[..url.len() - 1];
        }
        let end = start + url.len();
        out.push_str(before);
        if attribute || matches!(prev, Some('(' | '<' | '`' | '=')) {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_are_safe_for_rustdoc() {
        assert_eq!(
            sanitize("See https://x.io/a. And [b](https://y.io) or [c].\n    indented"),
            vec![
                " See <https://x.io/a>. And [b](https://y.io) or \\[c\\].".to_owned(),
                " indented".to_owned()
            ]
        );
        assert_eq!(
            sanitize("```\n{\"a\": 1}\n```"),
            vec![" ```text", " {\"a\": 1}", " ```"]
        );
    }

    #[test]
    fn a_line_after_a_list_starts_a_paragraph() {
        assert_eq!(
            sanitize("Steps:\n\n- one\n2. two\nAfter the list."),
            vec![" Steps:", "", " - one", " 2. two", "", " After the list."]
        );
    }

    #[test]
    fn a_quoted_url_in_prose_is_a_link_and_an_attribute_is_not() {
        assert_eq!(
            sanitize(r#"For example "https://x.io/a" or <a href="https://y.io">y</a>"#),
            vec![r#" For example "<https://x.io/a>" or <a href="https://y.io">y</a>"#]
        );
    }
}
