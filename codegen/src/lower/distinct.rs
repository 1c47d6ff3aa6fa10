//! No type of a tag's module (the tag's own struct, each operation's request builder and
//! parameter types) shares a name with a model, whatever the document calls its schemas.
//! `chat::CreateChatCompletionRequest` beside `models::CreateChatCompletionRequest` is a
//! mix-up for every user of the crate. Models keep the document's names; the tag's struct
//! gives way as `{Tag}Api`, a builder as `{Operation}RequestBuilder`, and a parameter type
//! takes the next free number.

use std::collections::BTreeSet;

use crate::ir::Tag;
use crate::naming::Namer;

/// Renames what in `tags` has the name of one of `models`.
pub(crate) fn keep_apart(tags: &mut [Tag], models: &BTreeSet<&str>) {
    let collides = |name: &str| models.contains(name);
    // Tags' structs and builders are re-exported side by side in the tag modules and named
    // by one namer each during lowering: a new name must be free among them too.
    let mut crate_wide =
        Namer::with_reserved(models.iter().copied().chain(tags.iter().flat_map(|tag| {
            std::iter::once(tag.type_name.as_str())
                .chain(tag.operations.iter().map(|op| op.builder_name.as_str()))
        })));
    for tag in tags.iter_mut() {
        if collides(&tag.type_name) {
            tag.type_name = crate_wide.claim(&suffixed(&tag.type_name, "Api"));
        }
        for op in &mut tag.operations {
            if collides(&op.builder_name) {
                op.builder_name = crate_wide.claim(&suffixed(&op.builder_name, "Builder"));
            }
            let mut module = Namer::with_reserved(
                models
                    .iter()
                    .copied()
                    .chain([op.builder_name.as_str()])
                    .chain(op.params.iter().map(|p| p.type_name.as_str())),
            );
            for param in &mut op.params {
                if collides(&param.type_name) {
                    param.type_name = module.claim(&param.type_name);
                }
            }
        }
    }
}

/// `name` with `suffix`; a keyword's escape (`Self_`) is dropped, as the suffix is enough.
fn suffixed(name: &str, suffix: &str) -> String {
    format!("{}{suffix}", name.trim_end_matches('_'))
}
