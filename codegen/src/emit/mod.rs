//! Emission: IR → modules of Rust tokens → formatted files.

pub(crate) mod docs;
pub(crate) mod features;
mod models;
mod operations;
mod params;
mod types;
mod unions;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Options;
use crate::error::{Error, ErrorKind};
use crate::ir::Api;
use crate::naming::ident;

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
}

impl Module {
    fn declarations(&self) -> TokenStream {
        let decls = self.children.iter().map(|child| {
            let name = ident(&child.name);
            let cfg = &child.cfg;
            if child.public {
                quote!(#cfg pub mod #name;)
            } else {
                quote!(#cfg mod #name;)
            }
        });
        quote!(#(#decls)*)
    }
}

pub(crate) fn root_module(api: &Api, options: &Options) -> Module {
    let features = options.features.then(|| features::FeatureMap::new(api));
    let features = features.as_ref();
    let mut children: Vec<Module> = api
        .tags
        .iter()
        .map(|tag| operations::tag_module(tag, options.features))
        .collect();
    children.push(models::models_module(api, features));
    if !api.shared_params.is_empty() {
        children.push(params::shared_module(&api.shared_params, features));
    }
    let accessors = match options.accessors {
        crate::Accessors::Inherent => operations::client_accessors(api, options.features),
        crate::Accessors::Trait => operations::client_trait(api, options.features),
        crate::Accessors::None => TokenStream::new(),
    };
    Module {
        name: String::new(),
        public: true,
        doc: docs::inner_doc(
            "Modules generated from the API specification: one per tag, `models` for the schemas, and `parameters` for parameter types several operations share.",
        ),
        items: accessors,
        children,
        cfg: TokenStream::new(),
    }
}

/// The tokens of every module's file, keyed by path relative to the output directory.
pub(crate) fn file_tokens(root: &Module) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    collect_files(root, "", true, &mut files);
    files
}

fn collect_files(
    module: &Module,
    dir: &str,
    is_root: bool,
    files: &mut Vec<(String, TokenStream)>,
) {
    // `mod r#type;` lives in `type.rs`.
    let file_name = module.name.trim_start_matches("r#");
    let path = if is_root {
        "mod.rs".to_owned()
    } else if module.children.is_empty() {
        format!("{dir}{file_name}.rs")
    } else {
        format!("{dir}{file_name}/mod.rs")
    };
    let doc = &module.doc;
    let decls = module.declarations();
    let items = &module.items;
    files.push((path, quote!(#doc #decls #items)));
    let child_dir = if is_root {
        String::new()
    } else {
        format!("{dir}{}/", module.name)
    };
    for child in &module.children {
        collect_files(child, &child_dir, false, files);
    }
}

/// Formats each file's tokens, behind `header`.
///
/// Formatting is most of the generator's time, and files are independent: they are
/// formatted on as many threads as the machine offers. Tokens cannot cross threads
/// (`proc_macro2` types are not `Send`), so each file travels as its token text and is parsed
/// again on its thread; the output does not depend on the thread count.
pub(crate) fn format_files(
    files: Vec<(String, TokenStream)>,
    header: &str,
    spec_file: &str,
) -> Result<BTreeMap<String, String>, Error> {
    let texts: Vec<(String, String)> = files
        .into_iter()
        .map(|(path, tokens)| (path, tokens.to_string()))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    // Round-robin over files sorted by size keeps the threads' shares even.
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(texts[i].1.len()));
    let shares: Vec<Vec<&(String, String)>> = (0..threads)
        .map(|t| {
            order
                .iter()
                .skip(t)
                .step_by(threads)
                .map(|&i| &texts[i])
                .collect()
        })
        .collect();
    let formatted: Vec<Result<Vec<(String, String)>, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(path, text)| {
                            let formatted = format_text(text, spec_file, path)?;
                            Ok((path.clone(), format!("{header}{formatted}")))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(internal(
                        spec_file,
                        "a formatting thread panicked".to_owned(),
                    ))
                })
            })
            .collect()
    });
    let mut out = BTreeMap::new();
    for share in formatted {
        out.extend(share?);
    }
    Ok(out)
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

fn format_text(text: &str, spec_file: &str, path: &str) -> Result<String, Error> {
    let parsed: syn::File = syn::parse_str(text).map_err(|e| {
        internal(
            spec_file,
            format!("generated code for `{path}` does not parse ({e}); this is a generator bug"),
        )
    })?;
    Ok(prettyplease::unparse(&parsed))
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
    let name = ident(name);
    let doc = &module.doc;
    let items = &module.items;
    let children = module.children.iter().map(|child| {
        let inner = inline_module(child, &child.name);
        if child.public {
            quote!(pub #inner)
        } else {
            inner
        }
    });
    quote! {
        mod #name {
            #doc
            #(#children)*
            #items
        }
    }
}

fn format_tokens(tokens: TokenStream, file: &str, path: &str) -> Result<String, Error> {
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| Error {
        kind: ErrorKind::Internal,
        file: file.to_owned(),
        location: None,
        operation: None,
        message: format!(
            "generated code for `{path}` does not parse ({e}); this is a generator bug"
        ),
    })?;
    Ok(prettyplease::unparse(&parsed))
}
