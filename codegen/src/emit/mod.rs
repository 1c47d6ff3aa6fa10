//! Emission: IR → modules of Rust tokens → formatted files.

mod bodies;
mod builder_start;
mod connection;
mod constructors;
mod doc_html;
pub(crate) mod docs;
mod endpoint;
pub(crate) mod features;
mod fields;
mod groups;
mod headers;
mod models;
mod object;
mod operations;
mod pagination;
mod params;
pub(crate) use self::params::int_literal;
mod requests;
mod samples;
mod send;
mod success;
pub(crate) mod twins;
pub(crate) mod types;
mod unions;
mod waiters;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Options;
use crate::error::{Error, ErrorKind};
use crate::ir::Api;
use crate::naming::ident;
use crate::runtime_contract::RT;

/// One generated module: its own items and its child modules.
pub(crate) struct Module {
    pub name: String,
    /// Whether the parent declares it `pub mod` (otherwise `mod`, with items re-exported).
    pub public: bool,
    pub doc: TokenStream,
    pub items: TokenStream,
    pub children: Vec<Module>,
    /// `#[cfg(…)]` on the module's declaration (per-tag features), or nothing.
    pub cfg: TokenStream,
    /// Whether the module's own file is written (false for a stub; children decide for
    /// themselves).
    pub own_file: bool,
    /// Whether the children are written inside this module's file (`mod child { … }`) rather
    /// than each in a file of its own: a tag's operations, so that a crate is a few files a
    /// reviewer can read rather than thousands a file system must create.
    pub children_inline: bool,
}

/// How much of the module tree to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tree {
    /// Every module with its contents.
    Whole,
    /// The index files (root, `models`, `parameters`); every tag and type a stub. The
    /// emitting threads build tags and types one by one instead.
    Index,
}

/// The units of emission, taken by whichever thread is free next (so a thread that drew
/// large tags does not hold the others up): the index files, then each tag, then each group
/// of models.
struct Work {
    next: std::sync::atomic::AtomicUsize,
    tags: usize,
    groups: Vec<groups::Group>,
}

enum Unit<'a> {
    Index,
    Tag(usize),
    Group(&'a groups::Group),
}

impl Work {
    fn take(&self) -> Option<Unit<'_>> {
        let item = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match item {
            0 => Some(Unit::Index),
            i if i <= self.tags => Some(Unit::Tag(i - 1)),
            i => self.groups.get(i - 1 - self.tags).map(Unit::Group),
        }
    }
}

impl Module {
    /// A module another thread emits: only what its parent's declaration needs.
    pub(crate) fn stub(name: String, public: bool, cfg: TokenStream) -> Module {
        Module {
            name,
            public,
            doc: TokenStream::new(),
            items: TokenStream::new(),
            children: Vec::new(),
            cfg,
            own_file: false,
            children_inline: false,
        }
    }

    fn declarations(&self) -> TokenStream {
        let decls = self.children.iter().map(|child| {
            let name = ident(&child.name);
            let cfg = &child.cfg;
            let inception = same_name_allowance(&self.name, &child.name);
            if child.public {
                quote!(#cfg #inception pub mod #name;)
            } else {
                quote!(#cfg #inception mod #name;)
            }
        });
        quote!(#(#decls)*)
    }
}

/// The module tree; with [`Tree::Index`], tags and types are stubs.
pub(crate) fn root_module(api: &Api, options: &Options, tree: Tree) -> Module {
    let features = options.features.then(|| features::FeatureMap::new(api));
    let features = features.as_ref();
    let mut children: Vec<Module> = api
        .tags
        .iter()
        .map(|tag| match tree {
            Tree::Whole => operations::tag_module(tag, &api.types, options),
            Tree::Index => operations::tag_stub(tag, options.features),
        })
        .collect();
    children.push(models::models_module(
        api,
        features,
        options.former_names.as_ref(),
        tree,
    ));
    if !api.shared_params.is_empty() {
        children.push(params::shared_module(
            &api.shared_params,
            &api.types,
            features,
        ));
    }
    if !api.webhooks.is_empty() {
        children.push(webhooks::module(api, features));
    }
    let accessors = match options.accessors {
        crate::Accessors::Inherent => operations::client_accessors(api, options.features),
        crate::Accessors::Trait => operations::client_trait(api, options.features),
        crate::Accessors::None => TokenStream::new(),
    };
    // The atlas-sdk crate knows its server and schemes; another API's crate says its own.
    let connection = match options.accessors {
        crate::Accessors::Inherent => TokenStream::new(),
        crate::Accessors::Trait | crate::Accessors::None => connection::items(api),
    };
    let error = error_alias(options);
    let version = api_version(options);
    let accessors = quote::quote!(#error #version #connection #accessors);
    Module {
        name: String::new(),
        public: true,
        doc: docs::inner_doc(
            "Modules generated from the API specification: one per tag, `models` for the schemas, and `parameters` for parameter types several operations share.",
        ),
        items: accessors,
        children,
        cfg: TokenStream::new(),
        own_file: true,
        children_inline: false,
    }
}

/// `API_VERSION`, when the crate is pinned to one (`--api-version`): the date every
/// operation's media type was chosen by.
fn api_version(options: &Options) -> TokenStream {
    let Some(version) = &options.api_version else {
        return TokenStream::new();
    };
    quote::quote! {
        /// The API version this crate is pinned to: each operation sends the newest dated
        /// version of its media type that is not later than this, so the API answers as it
        /// did for that version.
        pub const API_VERSION: &str = #version;
    }
}

/// `Error`, the error every operation returns: the runtime's, or the SDK's
/// ([`Options::error_type`], checked to be a path before lowering).
fn error_alias(options: &Options) -> TokenStream {
    let path = match &options.error_type {
        Some(path) => path.parse().unwrap_or_default(),
        None => quote::quote!(#RT::Error),
    };
    quote::quote! {
        /// The error every operation of this API returns.
        pub type Error = #path;
    }
}

/// Every file of the output, formatted and behind `header`, keyed by path relative to the
/// output directory; emitted and formatted on as many threads as the machine offers, each
/// taking the next tag or type as it is free. The output does not depend on the thread count.
///
/// Tokens cannot cross threads (`proc_macro2` types are not `Send`), so each thread builds
/// its own part of the module tree and formats its files itself: `syn` reads the tokens
/// directly, without the round trip through text a separate formatting pool would need.
pub(crate) fn files(
    api: &Api,
    options: &Options,
    header: &str,
    spec_file: &str,
) -> Result<BTreeMap<String, String>, Error> {
    files_in(api, options, header, spec_file, threads())
}

fn files_in(
    api: &Api,
    options: &Options,
    header: &str,
    spec_file: &str,
    count: usize,
) -> Result<BTreeMap<String, String>, Error> {
    let work = Work {
        next: std::sync::atomic::AtomicUsize::new(0),
        tags: api.tags.len(),
        groups: models::groups(&api.types),
    };
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..count.max(1))
            .map(|_| scope.spawn(move || thread_files(api, options, work, header, spec_file)))
            .collect();
        // Every thread is joined before any error returns: a scope whose panicked thread was
        // never joined panics itself.
        let shards: Vec<_> = handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .map_err(|_| internal(spec_file, "an emitting thread panicked".to_owned()))
                    .and_then(|files| files)
            })
            .collect();
        let mut files = BTreeMap::new();
        for shard in shards {
            for (path, text) in shard? {
                if files.insert(path.clone(), text).is_some() {
                    return Err(internal(
                        spec_file,
                        format!("`{path}` was emitted twice; this is a generator bug"),
                    ));
                }
            }
        }
        Ok(files)
    })
}

/// The files of the units one thread takes, formatted. Each tag and type is emitted,
/// formatted and dropped before the next (the whole token tree at once would cost its
/// memory, and the kernel's time to hand that memory out, ~30% of generation in a profile).
fn thread_files(
    api: &Api,
    options: &Options,
    work: &Work,
    header: &str,
    spec_file: &str,
) -> Result<Vec<(String, String)>, Error> {
    let mut files = Vec::new();
    let mut failure = None;
    // Each file arrives parsed: from a module's tokens, or parsed member by member (a
    // group of models, which attaches each member's `#[cfg]` to its parsed items).
    let mut sink = |path: String, parsed: syn::Result<syn::File>| {
        if failure.is_some() {
            return;
        }
        match parsed {
            Ok(file) => {
                let text = prettyplease::unparse(&file);
                files.push((path, format!("{header}{text}")));
            }
            Err(error) => failure = Some(unparsable(spec_file, &path, &error)),
        }
    };
    let features = options.features.then(|| features::FeatureMap::new(api));
    while let Some(unit) = work.take() {
        match unit {
            Unit::Index => {
                collect_files(&root_module(api, options, Tree::Index), "", true, &mut sink);
            }
            Unit::Tag(i) => {
                let module = operations::tag_module(&api.tags[i], &api.types, options);
                collect_files(&module, "", false, &mut sink);
            }
            Unit::Group(group) => {
                // Where `collect_files` would write `models::group_module`.
                let path = format!("models/{}.rs", group.name);
                sink(
                    path,
                    models::group_items(group, &api.types, features.as_ref()),
                );
            }
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(files),
    }
}

/// Threads for emitting and formatting: the machine's, within reason.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
}

fn collect_files(
    module: &Module,
    dir: &str,
    is_root: bool,
    sink: &mut impl FnMut(String, syn::Result<syn::File>),
) {
    // `mod r#type;` lives in `type.rs`.
    let file_name = module.name.trim_start_matches("r#");
    let path = if is_root {
        "mod.rs".to_owned()
    } else if module.children.is_empty() || module.children_inline {
        format!("{dir}{file_name}.rs")
    } else {
        format!("{dir}{file_name}/mod.rs")
    };
    if module.own_file {
        let doc = &module.doc;
        let items = &module.items;
        // Declared children first, as is usual; inline ones after the module's own items,
        // so that a tag's file opens with its methods rather than its last operation.
        let tokens = if module.children_inline {
            let children = module.inline_children(&module.name);
            quote!(#doc #items #children)
        } else {
            let decls = module.declarations();
            quote!(#doc #decls #items)
        };
        sink(path, syn::parse2(tokens));
    }
    if module.children_inline {
        return;
    }
    let child_dir = if is_root {
        String::new()
    } else {
        format!("{dir}{}/", module.name.trim_start_matches("r#"))
    };
    for child in &module.children {
        collect_files(child, &child_dir, false, sink);
    }
}

fn internal(spec_file: &str, message: String) -> Error {
    Error {
        kind: ErrorKind::Internal,
        file: spec_file.to_owned(),
        location: None,
        operation: None,
        message,
    }
}

/// `clippy::module_inception` allowed on a module named like its parent (a tag `Pets` with an
/// operation `pets`): the names come from the specification.
/// `clippy::too_many_arguments` allowed on a function of `count` arguments (counting `self`
/// or the client) past clippy's limit of 7, with the reason the arguments are there.
pub(crate) fn many_arguments_allowance(count: usize, reason: &str) -> Option<TokenStream> {
    (count > 7).then(|| quote!(#[allow(clippy::too_many_arguments, reason = #reason)]))
}

fn same_name_allowance(parent: &str, child: &str) -> TokenStream {
    if parent.trim_start_matches("r#") == child.trim_start_matches("r#") {
        quote!(#[allow(clippy::module_inception, reason = "the specification names this module like its parent")])
    } else {
        TokenStream::new()
    }
}

/// All modules in one file, nested inline under `pub mod <name>` (for `include!`).
pub(crate) fn render_single(
    root: &Module,
    name: &str,
    header: &str,
    file: &str,
) -> Result<String, Error> {
    let inline = inline_module(root, name);
    let inline = quote!(pub #inline);
    Ok(format!("{header}{}", format_tokens(inline, file, name)?))
}

fn inline_module(module: &Module, name: &str) -> TokenStream {
    let children = module.inline_children(name);
    let name = ident(name);
    let doc = &module.doc;
    let items = &module.items;
    quote! {
        mod #name {
            #doc
            #items
            #children
        }
    }
}

impl Module {
    /// Every child as an inline `mod child { … }`, behind its `#[cfg]`; `name` is this
    /// module's, as its parent declares it.
    fn inline_children(&self, name: &str) -> TokenStream {
        let children = self.children.iter().map(|child| {
            let inner = inline_module(child, &child.name);
            let inception = same_name_allowance(name, &child.name);
            let cfg = &child.cfg;
            if child.public {
                quote!(#cfg #inception pub #inner)
            } else {
                quote!(#cfg #inception #inner)
            }
        });
        quote!(#(#children)*)
    }
}

pub(crate) fn format_tokens(tokens: TokenStream, file: &str, path: &str) -> Result<String, Error> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| unparsable(file, path, &e))?;
    Ok(prettyplease::unparse(&parsed))
}

/// The error for generated code of `path` that does not parse.
fn unparsable(file: &str, path: &str, error: &syn::Error) -> Error {
    Error {
        kind: ErrorKind::Internal,
        file: file.to_owned(),
        location: None,
        operation: None,
        message: format!(
            "generated code for `{path}` does not parse ({error}); this is a generator bug"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_together_emit_every_file_once_whatever_their_number() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/types.yaml");
        let text = std::fs::read_to_string(path).unwrap();
        let spec = crate::Spec::parse("types.yaml", &text).unwrap();
        let options = Options::default();
        let api = crate::lower::lower(&spec, &options).unwrap();
        let sorted = |count| files_in(&api, &options, "// header\n", "types.yaml", count).unwrap();
        let one = sorted(1);
        assert!(one.len() > 5, "the fixture yields several files");
        for count in [2, 3, 7] {
            assert_eq!(sorted(count), one, "{count} threads");
        }
    }
}
