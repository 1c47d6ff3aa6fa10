//! Many small items in a few files: the models of a crate are written in one file per initial
//! letter of their names, not one file per type.
//!
//! A first generation creates every file, and creating a file costs far more than writing
//! its bytes (about 0.45 ms each on an ordinary disk; thousands for a large document). The
//! grouping is by name so that it is stable: a type added or removed changes its own group's
//! file and no other, and a reviewer's diff shows the type where its name says it is.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser as _;

/// A group larger than this is split by the names' second letters, so that no file grows to
/// the size of a whole large document (some prefix every name alike).
const MAX_GROUP: usize = 150;

/// One file of grouped items: its module name and the indices of its members, in their order.
pub(crate) struct Group {
    pub name: String,
    pub members: Vec<usize>,
}

/// The groups of `modules` (the members' own module names, as each would have had a file of
/// its own), in the order of their names.
pub(crate) fn by_initial<'a>(modules: impl IntoIterator<Item = &'a str>) -> Vec<Group> {
    let names: Vec<String> = modules.into_iter().map(letters).collect();
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        groups.entry(key(name, 1)).or_default().push(index);
    }
    let mut split = BTreeMap::new();
    for (name, members) in groups {
        if members.len() <= MAX_GROUP {
            split.insert(name, members);
            continue;
        }
        for index in members {
            split.entry(key(&names[index], 2)).or_default().push(index);
        }
    }
    split
        .into_iter()
        .map(|(name, members)| Group { name, members })
        .collect()
}

/// The ASCII letters of a module name, lowercase (`r#type` → `type`, `_2fa` → `fa`).
fn letters(module: &str) -> String {
    module
        .trim_start_matches("r#")
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The group named by the first `len` letters (a keyword such as `do` as `do_`); `other` for
/// a name with none. Lowercase, so no group's module can take the name of a type (types are
/// `UpperCamelCase`).
fn key(letters: &str, len: usize) -> String {
    let prefix: String = letters.chars().take(len).collect();
    if prefix.is_empty() {
        "other".to_owned()
    } else {
        crate::naming::module_name(&prefix)
    }
}

/// `items` parsed, with `cfg` (a `#[cfg(…)]`, or nothing) first on each of them, as they
/// stand side by side with other members' items in their group's file. Parsed once: the
/// file is printed from these, not from tokens parsed again (that cost a third of a
/// generation on a document of many small types).
///
/// # Errors
/// Tokens that do not parse: a generator bug.
pub(crate) fn gated_items(cfg: &TokenStream, items: TokenStream) -> syn::Result<Vec<syn::Item>> {
    let mut file: syn::File = syn::parse2(items)?;
    if cfg.is_empty() {
        return Ok(file.items);
    }
    for item in &mut file.items {
        if let Some(attrs) = attrs_mut(item) {
            // Parsed for each item: syn's types are not `Clone` as we build it, and the
            // `#[cfg]` is a few tokens.
            let cfg = syn::Attribute::parse_outer.parse2(cfg.clone())?;
            attrs.splice(0..0, cfg);
        }
    }
    Ok(file.items)
}

/// [`gated_items`] as tokens, for a module built whole (a single file's, or the shared
/// parameters'). Unparsable tokens are returned as they are, for formatting to report.
pub(crate) fn gated(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    match gated_items(cfg, items.clone()) {
        Ok(gated) => quote!(#(#gated)*),
        Err(_) => items,
    }
}

/// The attributes of an item; `None` for tokens syn keeps verbatim (none that we emit).
fn attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(groups: &[Group]) -> Vec<(&str, Vec<usize>)> {
        groups
            .iter()
            .map(|g| (g.name.as_str(), g.members.clone()))
            .collect()
    }

    #[test]
    fn members_are_grouped_by_initial_in_name_order() {
        let groups = by_initial(["pet", "r#type", "category", "pet_status", "_2fa"]);
        assert_eq!(
            names(&groups),
            [
                ("c", vec![2]),
                ("f", vec![4]),
                ("p", vec![0, 3]),
                ("t", vec![1])
            ]
        );
    }

    #[test]
    fn a_name_without_letters_goes_to_other() {
        let groups = by_initial(["_1", "a"]);
        assert_eq!(names(&groups), [("a", vec![1]), ("other", vec![0])]);
    }

    #[test]
    fn a_group_named_like_a_keyword_is_a_plain_module_name() {
        assert_eq!(key("domain", 2), "do_");
        assert_eq!(key("self", 4), "self_");
    }

    #[test]
    fn an_oversized_group_is_split_by_second_letters_and_the_others_stay() {
        let many: Vec<String> = (0..MAX_GROUP + 1)
            .map(|i| format!("m{}x{i}", if i % 2 == 0 { 'a' } else { 'i' }))
            .collect();
        let mut modules: Vec<&str> = many.iter().map(String::as_str).collect();
        modules.push("zone");
        let groups = by_initial(modules);
        let sizes: Vec<(&str, usize)> = groups
            .iter()
            .map(|g| (g.name.as_str(), g.members.len()))
            .collect();
        assert_eq!(sizes, [("ma", 76), ("mi", 75), ("z", 1)]);
    }

    #[test]
    fn a_cfg_goes_on_every_item_and_no_cfg_changes_nothing() {
        let items = quote! {
            /// A pet.
            pub struct Pet;
            impl Pet { pub fn new() -> Self { Self } }
            ::specwire::runtime::string_enum! { pub enum Kind { A = "a" } }
        };
        assert_eq!(
            gated(&TokenStream::new(), items.clone()).to_string(),
            items.to_string()
        );
        let cfg = quote!(#[cfg(feature = "pets")]);
        let text = gated(&cfg, items).to_string();
        assert_eq!(
            text.matches("# [cfg (feature = \"pets\")]").count(),
            3,
            "{text}"
        );
        assert!(
            text.starts_with("# [cfg (feature = \"pets\")] # [doc"),
            "{text}"
        );
    }
}
