//! Media types: which JSON version to use, and what a media type holds.

/// `2023-01-01` → (2023, 1, 1), when it is a plausible date.
pub(crate) fn parse_date(text: &str) -> Option<(u16, u8, u8)> {
    let mut parts = text.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts
        .next()?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let day = parts
        .next()?
        .parse()
        .ok()
        .filter(|d| (1..=31).contains(d))?;
    (parts.next().is_none() && text.len() == 10).then_some((year, month, day))
}

/// The date of `application/vnd.atlas.YYYY-MM-DD+json`, if the media type is versioned.
pub(crate) fn media_version(media_type: &str) -> Option<(u16, u8, u8)> {
    let essence = media_type.split(';').next()?.trim();
    parse_date(
        essence
            .strip_prefix("application/vnd.atlas.")?
            .split('+')
            .next()?,
    )
}

/// The JSON media type to use: the newest version not later than `limit` (newest overall
/// without one); unversioned `application/json` always qualifies.
pub(crate) fn pick_json(
    content: &indexmap::IndexMap<String, openapiv3::MediaType>,
    limit: Option<(u16, u8, u8)>,
) -> Option<(&String, &openapiv3::MediaType)> {
    content
        .iter()
        .filter(|(m, _)| is_json(m))
        .filter(|(m, _)| match (limit, media_version(m)) {
            (Some(limit), Some(version)) => version <= limit,
            _ => true,
        })
        .max_by_key(|(m, _)| (media_version(m), m.as_str()))
}

/// A media type without its parameters, lower-cased: `multipart/form-data`.
pub(crate) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The subtype of a media type as part of a method name (`send_wav`, `body_xml`): `wav` for
/// `audio/wav`, `yaml` for `application/x-yaml`, `form` for a url-encoded form and
/// `multipart` for `multipart/form-data`. A keyword's raw prefix is dropped: `send_type` is
/// no keyword.
pub(crate) fn subtype_name(media_type: &str) -> String {
    let essence = essence(media_type);
    let subtype = essence.rsplit('/').next().unwrap_or(&essence);
    let subtype = match subtype {
        "x-www-form-urlencoded" => "form",
        "form-data" => "multipart",
        other => other.strip_prefix("x-").unwrap_or(other),
    };
    crate::naming::snake_name(subtype)
        .trim_start_matches("r#")
        .to_owned()
}

pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether the media type is a byte stream the SDK hands back undecoded (`+gzip` and other
/// binary types) rather than text (`+csv`, `text/*`).
pub(crate) fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.ends_with("+csv") || essence.starts_with("text/")
}
