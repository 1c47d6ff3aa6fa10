//! Webhooks → the IR: the JSON payload of each request the API sends to its callers, typed
//! like a request body, for one decoding function per webhook.

use super::media::pick_json;
use super::types::Lowering;
use crate::error::Error;
use crate::ir::{Diagnostic, NoteKind, Webhook};
use crate::naming::{Namer, snake_name, type_name};

/// The webhooks within the tag filter (a webhook without tags is kept when there is no
/// filter), and how many there were.
pub(super) fn lower_webhooks(lowering: &mut Lowering<'_>) -> Result<(Vec<Webhook>, usize), Error> {
    let (spec, options) = (lowering.spec(), lowering.options());
    let mut namer = Namer::default();
    let mut out = Vec::new();
    let mut in_spec = 0;
    for hook in &spec.webhooks {
        let tag = hook.operation.tags.first().cloned();
        if let Some(tags) = &options.tags
            && !tag.as_ref().is_some_and(|t| tags.contains(t))
        {
            continue;
        }
        in_spec += 1;
        let Some(body) = &hook.operation.request_body else {
            lowering.notes().push(Diagnostic {
                kind: NoteKind::Unused,
                pointer: hook.pointer.clone(),
                message: format!(
                    "the webhook `{}` documents no payload; there is nothing to decode",
                    hook.name
                ),
            });
            continue;
        };
        let body_at = format!("{}/requestBody", hook.pointer);
        let (body, body_at) =
            super::resolve_component(spec, body, "requestBodies", |c| &c.request_bodies, &body_at)?;
        let Some((media_type, content)) = pick_json(&body.content, None) else {
            lowering.notes().push(Diagnostic {
                kind: NoteKind::Body,
                pointer: format!("{body_at}/content"),
                message: format!(
                    "the webhook `{}` sends no JSON payload; read its body as bytes",
                    hook.name
                ),
            });
            continue;
        };
        let schema_at = format!(
            "{body_at}/content/{}/schema",
            crate::error::escape_token(media_type)
        );
        let context = format!("{}Webhook", type_name(&hook.name));
        let ty = match &content.schema {
            Some(schema) => lowering.type_ref_or_ref(&context, schema, &schema_at)?,
            None => crate::ir::TypeRef::Json,
        };
        let suffix = if spec.webhooks.iter().filter(|h| h.name == hook.name).count() > 1 {
            format!(" {}", hook.method)
        } else {
            String::new()
        };
        out.push(Webhook {
            name: hook.name.clone(),
            method: hook.method.clone(),
            fn_name: namer.claim(&snake_name(&format!("{}{suffix}", hook.name))),
            description: hook
                .operation
                .summary
                .clone()
                .or_else(|| hook.operation.description.clone())
                .or_else(|| body.description.clone()),
            media_type: media_type.clone(),
            ty,
            tag,
        });
    }
    out.sort_by(|a, b| a.fn_name.cmp(&b.fn_name));
    Ok((out, in_spec))
}
