//! Every Rust name the generator invents comes from here: case conversion, keywords,
//! characters that cannot appear in identifiers, length, and collision resolution.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use sha2::{Digest, Sha256};

/// The longest type name written (a [`Namer`]'s collision counter may add a digit or two).
/// Invented names concatenate contexts (`{context}Item`, `{operation}Request`) and grew
/// without bound on deeply nested inline schemas. 120 characters keep identifiers readable
/// and leave every type name of real documents as it is: the longest seen are Twilio's (107,
/// `ApiV2010AccountIncomingPhoneNumber…AssignedAddOnExtension`) and MongoDB's (93). Files
/// are bounded by [`MAX_SNAKE_NAME`], which a module name meets on its own.
pub const MAX_TYPE_NAME: usize = 120;

/// The longest snake-case name written: functions, fields, and modules, so file names
/// (`{module}.rs`) and the snapshots' `{parent}__{module}.snap.new` stay well under the 255
/// bytes file systems allow (2 × 115 + 11 = 241, with a counter on each). MongoDB's own
/// specs reach 105 characters. Modules are private (`pub use self::module::Type`), so a
/// shortened one changes a file name, not the API.
pub const MAX_SNAKE_NAME: usize = 112;

/// `name` itself when it has at most `limit` characters; otherwise a readable prefix,
/// `separator`, and the first 8 hex digits of the SHA-256 of the whole name, `limit`
/// characters in all: the same on every run and platform, and different for names that
/// differ anywhere (the [`Namer`] still settles any collision). `name` is ASCII, as every
/// name here is once case conversion has filtered it.
fn bounded(name: String, limit: usize, separator: &str) -> String {
    if name.chars().count() <= limit {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let keep = limit.saturating_sub(separator.len() + hash.len());
    let prefix: String = name.chars().take(keep).collect();
    format!("{}{separator}{hash}", prefix.trim_end_matches('_'))
}

/// A PascalCase name within [`MAX_TYPE_NAME`] (`…MetadataItemH1a2b3c4d`).
fn bounded_type_name(name: String) -> String {
    bounded(name, MAX_TYPE_NAME, "H")
}

/// Strict and reserved keywords of Rust 2024 (weak keywords such as `union` are usable).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Names of symbols that appear as enum values (`<`, `>=`, `-1`) so they become words.
fn symbol_word(c: char) -> Option<&'static str> {
    Some(match c {
        '<' => " less than ",
        '>' => " greater than ",
        '=' => " equal ",
        '!' => " not ",
        '-' => " minus ",
        '+' => " plus ",
        '*' => " star ",
        '/' => " slash ",
        '%' => " percent ",
        '&' => " and ",
        '|' => " or ",
        '.' => " dot ",
        '@' => " at ",
        '$' => " dollar ",
        '#' => " hash ",
        _ => return None,
    })
}

/// Replaces symbols by words when the text would otherwise lose all meaning (`<` → `LessThan`,
/// `-1` → `Minus1`); other text keeps its separators, which case conversion drops.
fn spell_symbols(raw: &str) -> String {
    let has_word = raw.chars().any(|c| c.is_alphabetic());
    let leading_minus =
        raw.starts_with('-') && raw[1..].chars().all(|c| c.is_ascii_digit() || c == '.');
    if has_word && !leading_minus {
        return raw.to_owned();
    }
    raw.chars()
        .map(|c| symbol_word(c).map_or_else(|| c.to_string(), str::to_owned))
        .collect()
}

fn is_pascal_identifier(raw: &str) -> bool {
    let mut chars = raw.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// A type or enum-variant name. Names that already are PascalCase identifiers stay exactly as
/// the spec spells them (`ApiMongoDBAccessLogsView`, not `ApiMongoDbAccessLogsView`), so users
/// find them under the name MongoDB's documentation uses.
pub fn type_name(raw: &str) -> String {
    let name = if is_pascal_identifier(raw) {
        raw.to_owned()
    } else {
        spell_symbols(raw).to_upper_camel_case()
    };
    let mut name: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    // Dropping a non-ASCII capital (`Émoji` → `moji`) can leave a lower-case start, which
    // would read as (and collide with) a module name.
    if let Some(first) = name.get(..1) {
        name = format!("{}{}", first.to_ascii_uppercase(), &name[1..]);
    }
    bounded_type_name(match name.chars().next() {
        None => "Value".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        _ if NOT_RAW.contains(&name.as_str()) => format!("{name}_"),
        _ => name,
    })
}

/// An enum variant name for a wire value: as [`type_name`], except that a value in capitals
/// (`HIGH`, `AWS`, `R40_NVME`) is written UpperCamelCase (`High`, `Aws`, `R40Nvme`), so all
/// variants share Rust's one spelling whatever the spec's; the wire value is kept beside it.
pub fn variant_name(raw: &str) -> String {
    let letters = raw.chars().filter(char::is_ascii_alphabetic).count();
    let shouting = letters >= 2 && !raw.chars().any(|c| c.is_ascii_lowercase());
    if shouting {
        type_name(&raw.to_ascii_lowercase())
    } else {
        type_name(raw)
    }
}

/// A type name with a suffix, e.g. `NLogsSchema`: the keyword mark of [`type_name`] is
/// dropped before the suffix (`Self` → `SelfSchema`, not `Self_Schema`), which also keeps
/// the name UpperCamelCase.
pub fn type_name_with(raw: &str, suffix: &str) -> String {
    bounded_type_name(format!("{}{suffix}", type_name(raw).trim_end_matches('_')))
}

/// A function, field, argument or module name, as it is to be written in source (a keyword
/// comes back as a raw identifier such as `r#type`).
pub fn snake_name(raw: &str) -> String {
    let name = spell_symbols(raw).to_snake_case();
    let name: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let name = bounded(name.trim_matches('_').to_owned(), MAX_SNAKE_NAME, "_");
    if name.is_empty() {
        return "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("n{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// A module (and file) name: like [`snake_name`], but a keyword gets a trailing underscore
/// instead of the raw prefix (`type` → `type_`), so the name is also a plain file name.
pub fn module_name(raw: &str) -> String {
    unraw(&snake_name(raw))
}

/// A name as [`snake_name`] wrote it, with a raw identifier's keyword marked by a trailing
/// underscore instead (`r#type` → `type_`): the form for module and file names.
pub fn unraw(name: &str) -> String {
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name.to_owned(),
    }
}

/// The Cargo feature of a tag module: `access_tracking` → `access-tracking`.
pub fn feature_name(module: &str) -> String {
    module.trim_start_matches("r#").replace('_', "-")
}

/// The setter of a field (`rust_name`, which may be raw): `r#type` → `with_type`.
pub fn setter_name(rust_name: &str) -> String {
    format!("with_{}", rust_name.trim_start_matches("r#"))
}

/// The request builder of the operation `operation_id`: `listPets` → `ListPetsRequest`
/// (before the tag's namer makes it unique).
pub fn builder_name(operation_id: &str) -> String {
    type_name_with(operation_id, "Request")
}

/// A type of an operation, named from its builder's name (`ListPetsRequest`) and its `part`
/// in the operation: `ListPetsResponse`, `ListPetsBody`, `ListPetsItem`, `ListPetsError404`,
/// or a parameter's `ListPetsLimit`. A context for the type namer, which bounds it and makes
/// it unique.
pub fn operation_type_name(builder_name: &str, part: &str) -> String {
    format!("{}{part}", builder_name.trim_end_matches("Request"))
}

/// The static that holds a waiter's rules: `cluster_ready` → `WAIT_UNTIL_CLUSTER_READY`.
pub fn waiter_static_name(waiter: &str) -> String {
    format!("WAIT_UNTIL_{}", waiter.to_ascii_uppercase())
}

/// Hands out names that are unique within one scope, deterministically: the first claimant of
/// a name keeps it, later ones get `2`, `3`, … appended.
#[derive(Debug, Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(plain).collect(),
        }
    }

    /// Returns `wanted`, or the first free `wanted2`, `wanted3`, ….
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(plain(wanted)) {
            return wanted.to_owned();
        }
        // `self_` + 2 → `self2`: a trailing underscore only ever marks a keyword.
        let base = plain(wanted).trim_end_matches('_').to_owned();
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

/// A name without a keyword's raw prefix (`r#type` → `type`): how names compare (`r#type`
/// and `type` collide), and the text `#[derive(Debug)]` shows for a field.
pub fn plain(name: &str) -> String {
    name.trim_start_matches("r#").to_owned()
}

/// An identifier for `quote!`, raw when the name says so.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(name, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_upper_camel_case_whatever_the_spelling_of_the_value() {
        for (value, variant) in [
            ("HIGH", "High"),
            ("AWS", "Aws"),
            ("R40_NVME", "R40Nvme"),
            ("M10", "M10"),
            ("GROUP_OWNER", "GroupOwner"),
            ("GroupOwner", "GroupOwner"),
            ("mongodb", "Mongodb"),
            ("A", "A"),
            ("1", "V1"),
        ] {
            assert_eq!(variant_name(value), variant, "{value}");
        }
    }

    #[test]
    fn type_names_keep_spec_spelling_when_already_pascal() {
        assert_eq!(
            type_name("ApiMongoDBAccessLogsView"),
            "ApiMongoDBAccessLogsView"
        );
        assert_eq!(type_name("access tracking"), "AccessTracking");
        assert_eq!(type_name("nLogs"), "NLogs");
        assert_eq!(type_name("ip-address"), "IpAddress");
        assert_eq!(type_name("1"), "V1");
        assert_eq!(type_name("-1"), "Minus1");
        assert_eq!(type_name("<"), "LessThan");
        assert_eq!(type_name(">="), "GreaterThanEqual");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("M10"), "M10");
        assert_eq!(type_name("US_EAST_1"), "UsEast1");
        assert_eq!(type_name("émoji😀"), "Moji");
        assert_eq!(type_name_with("Self", "Schema"), "SelfSchema");
        assert_eq!(type_name_with("nLogs", "Schema"), "NLogsSchema");
        assert_eq!(type_name("ümlaut"), "Mlaut");
    }

    #[test]
    fn snake_names_handle_keywords_and_digits() {
        assert_eq!(
            snake_name("listAccessLogsByClusterName"),
            "list_access_logs_by_cluster_name"
        );
        assert_eq!(snake_name("nLogs"), "n_logs");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("crate"), "crate_");
        assert_eq!(snake_name("async"), "r#async");
        assert_eq!(snake_name("2fa"), "n2fa");
        assert_eq!(snake_name("Customer-Managed"), "customer_managed");
        assert_eq!(snake_name("$"), "dollar");
        assert_eq!(snake_name("__"), "value");
    }

    #[test]
    fn module_names_are_never_raw() {
        assert_eq!(module_name("type"), "type_");
        assert_eq!(module_name("ref"), "ref_");
        assert_eq!(module_name("Self"), "self_");
        assert_eq!(module_name("AccessTracking"), "access_tracking");
    }

    #[test]
    fn namer_resolves_collisions_in_order() {
        let mut namer = Namer::with_reserved(["client"]);
        assert_eq!(namer.claim("client"), "client2");
        assert_eq!(namer.claim("r#type"), "r#type");
        assert_eq!(namer.claim("type"), "type2");
        assert_eq!(namer.claim("client"), "client3");
        assert_eq!(namer.claim("Self_"), "Self_");
        assert_eq!(namer.claim("Self_"), "Self2");
    }

    #[test]
    fn long_names_are_bounded_with_a_stable_hash_and_short_ones_kept() {
        let context = "ItemsMetadata".repeat(31); // 403 characters of nested contexts
        let name = type_name(&format!("{context}Item"));
        assert_eq!(name.len(), MAX_TYPE_NAME, "{name}");
        assert!(name.starts_with("ItemsMetadataItemsMetadata"), "{name}");
        assert_eq!(
            name,
            type_name(&format!("{context}Item")),
            "the same on every run"
        );
        // The suffix is the hash of the whole name: pinned, so it is the same everywhere.
        assert_eq!(&name[MAX_TYPE_NAME - 9..], "H7c98a18d");
        // Names differing only at their end differ.
        assert_ne!(name, type_name(&format!("{context}Items")));
        assert_ne!(
            type_name_with(&context, "Request"),
            type_name_with(&context, "Response")
        );
        assert_eq!(type_name_with(&context, "Request").len(), MAX_TYPE_NAME);
        // Snake names (functions, fields, modules and so files) likewise.
        let module = module_name(&name);
        assert!(module.len() <= MAX_SNAKE_NAME, "{module}");
        let snake = snake_name(&context);
        assert_eq!(snake.len(), MAX_SNAKE_NAME, "{snake}");
        assert!(
            snake.starts_with("items_metadata_items_metadata"),
            "{snake}"
        );
        assert_ne!(snake, snake_name(&format!("{context}X")));
        // Bounding twice changes nothing, so a bounded name converts to itself.
        assert_eq!(snake_name(&snake), snake);
        assert_eq!(type_name(&name), name);
        // Names within the limits are untouched, MongoDB's longest included.
        let longest = "ApiAtlasServerlessInstanceDescriptionConnectionStringsPrivateEndpointEndpointViewProviderName";
        assert_eq!(type_name(longest), longest);
        assert_eq!(
            module_name(longest),
            "api_atlas_serverless_instance_description_connection_strings_private_endpoint_endpoint_view_provider_name"
        );
        let exactly = "A".repeat(MAX_TYPE_NAME);
        assert_eq!(type_name(&exactly), exactly);
    }

    #[test]
    fn the_namer_keeps_bounded_names_apart() {
        let context = "nested".repeat(70);
        let mut namer = Namer::default();
        let first = namer.claim(&type_name(&context));
        let second = namer.claim(&type_name(&context));
        assert_ne!(first, second);
        assert_eq!(second, format!("{first}2"));
    }

    #[test]
    fn raw_identifiers_are_built_raw() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("group_id").to_string(), "group_id");
    }
}
