//! How parameter values are written into a request, as OpenAPI's `style` and `explode` say
//! (RFC 6570 for paths and queries; RFC 9110 for headers; RFC 6265 for cookies).
//!
//! A value reaches this module as [`ParamParts`]: one text, a list of texts, or an object's
//! (key, text) pairs. Each item is percent-encoded for where it goes; the delimiters the style
//! adds (`,` `|` `.` `;` `=` `[` `]`) are written as they are, so a server can tell them from
//! the same characters inside a value.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

/// A parameter's value taken apart for styling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamParts {
    /// One value.
    Single(String),
    /// A list's items.
    List(Vec<String>),
    /// An object's properties, as (name, value).
    Pairs(Vec<(String, String)>),
}

impl ParamParts {
    /// Everything joined with commas (`simple`, not exploded), before any encoding.
    pub fn joined(&self) -> String {
        match self {
            ParamParts::Single(text) => text.clone(),
            ParamParts::List(items) => items.join(","),
            ParamParts::Pairs(pairs) => pairs
                .iter()
                .flat_map(|(k, v)| [k.as_str(), v.as_str()])
                .collect::<Vec<_>>()
                .join(","),
        }
    }
}

/// The styles OpenAPI 3.0 defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StyleKind {
    /// `form` (query, cookie).
    Form,
    /// `simple` (path, header).
    Simple,
    /// `label`: `.a.b` (path).
    Label,
    /// `matrix`: `;name=a` (path).
    Matrix,
    /// `spaceDelimited` (query lists).
    SpaceDelimited,
    /// `pipeDelimited` (query lists).
    PipeDelimited,
    /// `deepObject`: `name[key]=value` (query objects).
    DeepObject,
}

/// A parameter's `style`, `explode` and `allowReserved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// The style.
    pub kind: StyleKind,
    /// `explode`.
    pub explode: bool,
    /// `allowReserved` (query only).
    pub allow_reserved: bool,
    /// What joins an unexploded list's items instead of the style's own delimiter: Swagger
    /// 2.0's `collectionFormat`s that no 3.x style spells (`tsv` anywhere; `ssv` and `pipes`
    /// outside the query). See [`Style::delimited_by`].
    pub delimiter: Option<char>,
}

impl Style {
    const fn new(kind: StyleKind, explode: bool) -> Self {
        Self {
            kind,
            explode,
            allow_reserved: false,
            delimiter: None,
        }
    }
    /// `style: form`.
    pub const fn form(explode: bool) -> Self {
        Self::new(StyleKind::Form, explode)
    }
    /// `style: simple`.
    pub const fn simple(explode: bool) -> Self {
        Self::new(StyleKind::Simple, explode)
    }
    /// `style: label`.
    pub const fn label(explode: bool) -> Self {
        Self::new(StyleKind::Label, explode)
    }
    /// `style: matrix`.
    pub const fn matrix(explode: bool) -> Self {
        Self::new(StyleKind::Matrix, explode)
    }
    /// `style: spaceDelimited`.
    pub const fn space_delimited(explode: bool) -> Self {
        Self::new(StyleKind::SpaceDelimited, explode)
    }
    /// `style: pipeDelimited`.
    pub const fn pipe_delimited(explode: bool) -> Self {
        Self::new(StyleKind::PipeDelimited, explode)
    }
    /// `style: deepObject`.
    pub const fn deep_object(explode: bool) -> Self {
        Self::new(StyleKind::DeepObject, explode)
    }
    /// `allowReserved: true`.
    pub const fn allow_reserved(mut self) -> Self {
        self.allow_reserved = true;
        self
    }
    /// An unexploded list's items joined by `delimiter`, as Swagger 2.0's `collectionFormat`
    /// says: `'\t'` for `tsv`, `' '` for `ssv`, `'|'` for `pipes`. The delimiter is encoded as
    /// the location encodes text (a tab is `%09` in a query or path, itself in a header).
    pub const fn delimited_by(mut self, delimiter: char) -> Self {
        self.delimiter = Some(delimiter);
        self
    }
}

/// Everything but RFC 3986 "unreserved" is encoded in a path item.
pub(crate) const PATH_ITEM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `allowReserved`: RFC 3986 reserved characters stay as they are too, except `#`, which
/// would end the query and never reach the server.
const QUERY_RESERVED: &AsciiSet = &PATH_ITEM
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// RFC 6265 `cookie-octet`s stay; everything else (controls, space, `"`, `,`, `;`, `\`,
/// non-ASCII) and `%` itself are encoded.
const COOKIE_ITEM: &AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// A query name or value as `application/x-www-form-urlencoded` writes it (the encoding
/// every unstyled query parameter and form body uses).
pub(crate) fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn query_item(text: &str, style: Style) -> String {
    if style.allow_reserved {
        utf8_percent_encode(text, QUERY_RESERVED).to_string()
    } else {
        form_encode(text)
    }
}

/// The `name=value` pairs of a query parameter, encoded.
pub fn query_pairs(name: &str, parts: &ParamParts, style: Style) -> Vec<String> {
    let key = form_encode(name);
    let item = |text: &str| query_item(text, style);
    match parts {
        ParamParts::Single(text) => vec![format!("{key}={}", item(text))],
        ParamParts::List(items) => {
            let delimiter = match (style.delimiter, style.kind) {
                (Some(' '), _) | (None, StyleKind::SpaceDelimited) => "%20".to_owned(),
                (Some('|'), _) | (None, StyleKind::PipeDelimited) => "|".to_owned(),
                (Some(other), _) => form_encode(other.encode_utf8(&mut [0; 4])),
                (None, _) => ",".to_owned(),
            };
            if style.explode {
                items.iter().map(|v| format!("{key}={}", item(v))).collect()
            } else {
                let values: Vec<String> = items.iter().map(|v| item(v)).collect();
                vec![format!("{key}={}", values.join(&delimiter))]
            }
        }
        ParamParts::Pairs(pairs) => match style.kind {
            StyleKind::DeepObject => pairs
                .iter()
                .map(|(k, v)| format!("{key}[{}]={}", form_encode(k), item(v)))
                .collect(),
            _ if style.explode => pairs
                .iter()
                .map(|(k, v)| format!("{}={}", form_encode(k), item(v)))
                .collect(),
            _ => {
                let flat: Vec<String> =
                    pairs.iter().flat_map(|(k, v)| [item(k), item(v)]).collect();
                vec![format!("{key}={}", flat.join(","))]
            }
        },
    }
}

/// A path parameter's text, encoded (`simple`, `label` or `matrix`).
pub fn path_text(name: &str, parts: &ParamParts, style: Style) -> String {
    let item = |text: &str| utf8_percent_encode(text, PATH_ITEM).to_string();
    let items: Vec<String> = match parts {
        ParamParts::Single(text) => vec![item(text)],
        ParamParts::List(items) => items.iter().map(|v| item(v)).collect(),
        ParamParts::Pairs(pairs) if style.explode => pairs
            .iter()
            .map(|(k, v)| format!("{}={}", item(k), item(v)))
            .collect(),
        ParamParts::Pairs(pairs) => pairs.iter().flat_map(|(k, v)| [item(k), item(v)]).collect(),
    };
    let name = item(name);
    let exploded_pairs = matches!(parts, ParamParts::Pairs(_)) && style.explode;
    match style.kind {
        StyleKind::Label if style.explode => format!(".{}", items.join(".")),
        StyleKind::Label => format!(".{}", items.join(",")),
        StyleKind::Matrix if exploded_pairs => format!(";{}", items.join(";")),
        StyleKind::Matrix if style.explode && matches!(parts, ParamParts::List(_)) => {
            items.iter().map(|v| format!(";{name}={v}")).collect()
        }
        StyleKind::Matrix => format!(";{name}={}", items.join(",")),
        _ => match (style.delimiter, parts) {
            (Some(delimiter), ParamParts::List(_)) => {
                items.join(&item(delimiter.encode_utf8(&mut [0; 4])))
            }
            _ => items.join(","),
        },
    }
}

/// A header parameter's value (`simple`), not yet checked for characters headers forbid.
pub fn header_text(parts: &ParamParts, style: Style) -> String {
    match (parts, style.delimiter) {
        (ParamParts::List(items), Some(delimiter)) => {
            items.join(delimiter.encode_utf8(&mut [0; 4]))
        }
        (ParamParts::Pairs(pairs), _) if style.explode => pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        (other, _) => other.joined(),
    }
}

/// A cookie parameter's `name=value` pairs (`form`), encoded.
pub fn cookie_pairs(name: &str, parts: &ParamParts, style: Style) -> Vec<String> {
    let item = |text: &str| utf8_percent_encode(text, COOKIE_ITEM).to_string();
    let name = item(name);
    match parts {
        ParamParts::Single(text) => vec![format!("{name}={}", item(text))],
        ParamParts::List(items) if style.explode => items
            .iter()
            .map(|v| format!("{name}={}", item(v)))
            .collect(),
        ParamParts::List(items) => {
            let values: Vec<String> = items.iter().map(|v| item(v)).collect();
            vec![format!("{name}={}", values.join(","))]
        }
        ParamParts::Pairs(pairs) if style.explode => pairs
            .iter()
            .map(|(k, v)| format!("{}={}", item(k), item(v)))
            .collect(),
        ParamParts::Pairs(pairs) => {
            let flat: Vec<String> = pairs.iter().flat_map(|(k, v)| [item(k), item(v)]).collect();
            vec![format!("{name}={}", flat.join(","))]
        }
    }
}

/// A JSON value as parameter text: strings as they are, other scalars as JSON writes them,
/// anything nested as JSON text.
fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The parts of a structured parameter value (a model): its JSON as text when `json` (the
/// parameter's `content` is JSON), else an object's properties, a list's items or a scalar,
/// anything nested as JSON text. Absent (`null`) properties are left out.
pub fn value_parts<T: Serialize + ?Sized>(value: &T, json: bool) -> ParamParts {
    // Models serialize into JSON infallibly (string keys only); `Null` covers the rest.
    let value = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    if json {
        return ParamParts::Single(value.to_string());
    }
    match value {
        serde_json::Value::Object(map) => ParamParts::Pairs(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, scalar_text(&v)))
                .collect(),
        ),
        serde_json::Value::Array(items) => {
            ParamParts::List(items.iter().map(scalar_text).collect())
        }
        scalar => ParamParts::Single(scalar_text(&scalar)),
    }
}

/// An object's properties as the pairs of a form (`application/x-www-form-urlencoded`, as
/// OpenAPI 3.2's `in: querystring` sends them): a list property as one pair per item,
/// anything else nested as JSON text, absent properties left out. A value that is not an
/// object is taken apart as [`value_parts`] does.
pub fn form_parts<T: Serialize + ?Sized>(value: &T) -> ParamParts {
    let serde_json::Value::Object(map) = serde_json::to_value(value).unwrap_or_default() else {
        return value_parts(value, false);
    };
    let mut pairs = Vec::with_capacity(map.len());
    for (name, value) in map {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) => {
                pairs.extend(items.iter().map(|item| (name.clone(), scalar_text(item))));
            }
            other => pairs.push((name, scalar_text(&other))),
        }
    }
    ParamParts::Pairs(pairs)
}

/// The `encoding` of one property of a form body.
#[derive(Debug, Clone, Copy)]
pub struct FieldEncoding {
    /// The property's wire name.
    pub name: &'static str,
    /// Its style (`form` by default).
    pub style: Style,
    /// Sent as JSON text (its `contentType` is JSON).
    pub json: bool,
}

impl FieldEncoding {
    /// An `encoding` entry.
    pub const fn new(name: &'static str, style: Style, json: bool) -> Self {
        Self { name, style, json }
    }
}

/// An `application/x-www-form-urlencoded` body: one pair per property, lists and objects as
/// each property's encoding says (by default `form`, exploded: one pair per item, an
/// object's properties as pairs of their own), nested values as JSON text. `None` when
/// `value` is not an object.
pub fn form_body<T: Serialize + ?Sized>(value: &T, encodings: &[FieldEncoding]) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::to_value(value).ok()? else {
        return None;
    };
    let mut pairs: Vec<String> = Vec::with_capacity(map.len());
    for (name, value) in &map {
        if value.is_null() {
            continue;
        }
        let encoding = encodings.iter().find(|e| e.name == name);
        let style = encoding.map_or(Style::form(true), |e| e.style);
        let parts = if encoding.is_some_and(|e| e.json) {
            ParamParts::Single(value.to_string())
        } else {
            value_parts(value, false)
        };
        pairs.extend(query_pairs(name, &parts, style));
    }
    Some(pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> ParamParts {
        ParamParts::List(vec!["blue".into(), "black".into(), "a,b".into()])
    }

    fn object() -> ParamParts {
        ParamParts::Pairs(vec![("R".into(), "100".into()), ("G".into(), "2 0".into())])
    }

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let single = ParamParts::Single("a b&c".into());
        assert_eq!(query_pairs("q", &single, Style::form(true)), ["q=a+b%26c"]);
        assert_eq!(
            query_pairs("color", &list(), Style::form(true)),
            ["color=blue", "color=black", "color=a%2Cb"]
        );
        assert_eq!(
            query_pairs("color", &list(), Style::form(false)),
            ["color=blue,black,a%2Cb"]
        );
        assert_eq!(
            query_pairs("color", &list(), Style::space_delimited(false)),
            ["color=blue%20black%20a%2Cb"]
        );
        assert_eq!(
            query_pairs("color", &list(), Style::pipe_delimited(false)),
            ["color=blue|black|a%2Cb"]
        );
        // Swagger 2.0's tsv: a tab, encoded; exploded lists ignore the delimiter.
        assert_eq!(
            query_pairs("color", &list(), Style::form(false).delimited_by('\t')),
            ["color=blue%09black%09a%2Cb"]
        );
        assert_eq!(
            query_pairs("color", &list(), Style::form(true).delimited_by('\t')),
            ["color=blue", "color=black", "color=a%2Cb"]
        );
        assert_eq!(
            query_pairs("color", &object(), Style::form(true)),
            ["R=100", "G=2+0"]
        );
        assert_eq!(
            query_pairs("color", &object(), Style::form(false)),
            ["color=R,100,G,2+0"]
        );
        assert_eq!(
            query_pairs("color", &object(), Style::deep_object(true)),
            ["color[R]=100", "color[G]=2+0"]
        );
        let reserved = ParamParts::Single("a/b?c:d#e f".into());
        assert_eq!(
            query_pairs("u", &reserved, Style::form(true).allow_reserved()),
            ["u=a/b?c:d%23e%20f"]
        );
    }

    #[test]
    fn path_styles_follow_the_openapi_table() {
        let single = ParamParts::Single("blue/x".into());
        assert_eq!(
            path_text("color", &single, Style::simple(false)),
            "blue%2Fx"
        );
        assert_eq!(
            path_text("color", &single, Style::label(false)),
            ".blue%2Fx"
        );
        assert_eq!(
            path_text("color", &single, Style::matrix(false)),
            ";color=blue%2Fx"
        );
        assert_eq!(
            path_text("color", &list(), Style::simple(false)),
            "blue,black,a%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::label(false)),
            ".blue,black,a%2Cb"
        );
        // Swagger 2.0's tsv, ssv and pipes in a path: the delimiter encoded as path text.
        assert_eq!(
            path_text("color", &list(), Style::simple(false).delimited_by('\t')),
            "blue%09black%09a%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::simple(false).delimited_by(' ')),
            "blue%20black%20a%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::simple(false).delimited_by('|')),
            "blue%7Cblack%7Ca%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::label(true)),
            ".blue.black.a%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::matrix(false)),
            ";color=blue,black,a%2Cb"
        );
        assert_eq!(
            path_text("color", &list(), Style::matrix(true)),
            ";color=blue;color=black;color=a%2Cb"
        );
        assert_eq!(
            path_text("color", &object(), Style::simple(false)),
            "R,100,G,2%200"
        );
        assert_eq!(
            path_text("color", &object(), Style::simple(true)),
            "R=100,G=2%200"
        );
        assert_eq!(
            path_text("color", &object(), Style::label(true)),
            ".R=100.G=2%200"
        );
        assert_eq!(
            path_text("color", &object(), Style::matrix(true)),
            ";R=100;G=2%200"
        );
        assert_eq!(
            path_text("color", &object(), Style::matrix(false)),
            ";color=R,100,G,2%200"
        );
    }

    #[test]
    fn header_and_cookie_styles() {
        assert_eq!(header_text(&list(), Style::simple(false)), "blue,black,a,b");
        assert_eq!(
            header_text(&list(), Style::simple(false).delimited_by('\t')),
            "blue\tblack\ta,b"
        );
        assert_eq!(
            header_text(&list(), Style::simple(false).delimited_by('|')),
            "blue|black|a,b"
        );
        assert_eq!(header_text(&object(), Style::simple(false)), "R,100,G,2 0");
        assert_eq!(header_text(&object(), Style::simple(true)), "R=100,G=2 0");
        let single = ParamParts::Single("a b;c".into());
        assert_eq!(
            cookie_pairs("id", &single, Style::form(true)),
            ["id=a%20b%3Bc"]
        );
        assert_eq!(
            cookie_pairs("c", &list(), Style::form(false)),
            ["c=blue,black,a%2Cb"]
        );
        assert_eq!(
            cookie_pairs("c", &list(), Style::form(true)),
            ["c=blue", "c=black", "c=a%2Cb"]
        );
    }

    #[test]
    fn values_become_parts() {
        let value = serde_json::json!({"b": [1, 2], "a": "x", "n": null, "o": {"k": true}});
        assert_eq!(
            value_parts(&value, false),
            ParamParts::Pairs(vec![
                ("a".into(), "x".into()),
                ("b".into(), "[1,2]".into()),
                ("o".into(), r#"{"k":true}"#.into()),
            ])
        );
        assert_eq!(
            value_parts(&value, true),
            ParamParts::Single(r#"{"a":"x","b":[1,2],"n":null,"o":{"k":true}}"#.into())
        );
        assert_eq!(
            value_parts(&serde_json::json!([1, "a"]), false),
            ParamParts::List(vec!["1".into(), "a".into()])
        );
    }

    #[test]
    fn form_parts_send_a_list_as_one_pair_per_item() {
        let value =
            serde_json::json!({"tags": ["a", "b c"], "size": 2, "gone": null, "deep": {"x": 1}});
        assert_eq!(
            form_parts(&value),
            ParamParts::Pairs(vec![
                ("deep".to_owned(), "{\"x\":1}".to_owned()),
                ("size".to_owned(), "2".to_owned()),
                ("tags".to_owned(), "a".to_owned()),
                ("tags".to_owned(), "b c".to_owned()),
            ])
        );
        assert_eq!(form_parts(&"plain"), ParamParts::Single("plain".to_owned()));
    }

    #[test]
    fn form_bodies_follow_their_encodings() {
        let body = serde_json::json!({
            "To": "+1 555",
            "Tags": ["a", "b&c"],
            "Meta": {"k": "v"},
            "Skip": null,
            "Flag": true,
        });
        assert_eq!(
            form_body(&body, &[]).as_deref(),
            Some("Flag=true&k=v&Tags=a&Tags=b%26c&To=%2B1+555")
        );
        let encodings = [
            FieldEncoding::new("Tags", Style::form(false), false),
            FieldEncoding::new("Meta", Style::deep_object(true), false),
        ];
        assert_eq!(
            form_body(&body, &encodings).as_deref(),
            Some("Flag=true&Meta[k]=v&Tags=a,b%26c&To=%2B1+555")
        );
        let json = [FieldEncoding::new("Meta", Style::form(true), true)];
        assert_eq!(
            form_body(&body, &json).as_deref(),
            Some("Flag=true&Meta=%7B%22k%22%3A%22v%22%7D&Tags=a&Tags=b%26c&To=%2B1+555")
        );
        assert_eq!(form_body(&serde_json::json!([1]), &[]), None);
    }
}
