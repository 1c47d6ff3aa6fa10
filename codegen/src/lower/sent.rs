//! Which named types a request can carry: the closure of request bodies and parameters.
//! Users build those values, so their structs get a constructor and setters
//! ([`TypeDef::sent`]); a type only ever received is read, never built, and stays smaller.

use crate::ir::{Tag, TypeRef, Types};

/// Sets [`TypeDef::sent`] on every type a request body or parameter reaches.
pub(crate) fn mark(tags: &[Tag], types: &mut Types) {
    let push = |ty: &TypeRef, stack: &mut Vec<usize>| stack.extend(ty.named().map(|id| id.index()));
    let mut stack: Vec<usize> = Vec::new();
    for op in tags.iter().flat_map(|t| &t.operations) {
        for ty in op.sent_refs() {
            push(ty, &mut stack);
        }
    }
    let mut sent = vec![false; types.len()];
    while let Some(i) = stack.pop() {
        if sent.get(i) != Some(&false) {
            continue;
        }
        sent[i] = true;
        for ty in types[i].kind.refs() {
            push(ty, &mut stack);
        }
    }
    for (def, sent) in types.defs_mut().iter_mut().zip(sent) {
        def.sent = sent;
    }
}

#[cfg(test)]
mod tests {
    use crate::Options;

    fn sent_types(yaml: &str) -> Vec<(String, bool)> {
        let spec = crate::Spec::parse("sent.yaml", yaml).expect("parses");
        let api = crate::lower::lower(&spec, &Options::default()).expect("lowers");
        api.types.iter().map(|t| (t.name.clone(), t.sent)).collect()
    }

    #[test]
    fn request_bodies_and_parameters_reach_through_fields_lists_and_unions() {
        let yaml = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    post:
      operationId: postA
      parameters:
        - {name: f, in: query, style: deepObject, schema: {$ref: "#/components/schemas/Filter"}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Body"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Reply"}
components:
  schemas:
    Filter: {type: object, properties: {k: {type: string}}}
    Body:
      type: object
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Item"}}
        choice: {oneOf: [{$ref: "#/components/schemas/Left"}, {type: string}]}
    Item: {type: object, properties: {n: {type: integer}}}
    Left: {type: object, properties: {l: {type: string}}}
    Reply: {type: object, properties: {body: {$ref: "#/components/schemas/Body"}, only: {$ref: "#/components/schemas/OnlyRead"}}}
    OnlyRead: {type: object, properties: {r: {type: string}}}
"##;
        let types = sent_types(yaml);
        let sent: Vec<&str> = types
            .iter()
            .filter(|(_, s)| *s)
            .map(|(n, _)| n.as_str())
            .collect();
        let received: Vec<&str> = types
            .iter()
            .filter(|(_, s)| !*s)
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(received, ["OnlyRead", "Reply"], "all: {types:?}");
        assert!(
            sent.contains(&"Filter") && sent.contains(&"Body"),
            "{types:?}"
        );
        assert!(
            sent.contains(&"Item") && sent.contains(&"Left"),
            "{types:?}"
        );
    }
}
