//! `allOf`: the members' properties merged into one object, and the merge the unions with
//! properties of their own share.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::{Lowering, string_enum_kind};
use crate::error::{Error, ErrorKind};
use crate::ir::TypeKind;
use crate::lower::shape;

/// Properties gathered from the members of an `allOf` (later members win).
#[derive(Default)]
pub(super) struct Merged<'a> {
    pub(super) properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<(&'a AdditionalProperties, String)>,
}

impl<'a> Lowering<'a> {
    /// `allOf`: the members' properties merged into one object (a member that is a
    /// polymorphic parent contributes its properties, not its `oneOf`, which is what breaks
    /// the parent → child → parent cycle).
    pub(super) fn all_of_kind(
        &mut self,
        name: &str,
        schema: &'a Schema,
        at: &str,
    ) -> Result<TypeKind, Error> {
        // `allOf: [$ref]` with only annotations beside it is another name for that type.
        if let Some(reference) = shape::annotated_ref(schema) {
            return Ok(TypeKind::Alias(self.reference(reference, at)?));
        }
        let mut merged = Merged::default();
        self.merge(schema, at, &mut merged, &mut Vec::new())?;
        if merged.properties.is_empty() && merged.additional.is_none() {
            // An `enum` beside the members (3.1's `{$ref: Kind, const: and}`) narrows them to
            // its own values: the type is those values, not the whole referenced enum.
            if let Some(values) = shape::string_enum(schema) {
                return Ok(string_enum_kind(&values));
            }
            // `allOf: [$ref]` with nothing added is another name for that type.
            if let [ReferenceOr::Reference { reference }] = shape::all_of(schema) {
                return Ok(TypeKind::Alias(self.reference(reference, at)?));
            }
        }
        let required = merged.required.clone();
        self.struct_kind(name, merged.properties, &required, merged.additional)
    }

    /// Merges `schema`'s `allOf` members, then its own properties, into `merged`.
    pub(super) fn merge(
        &self,
        schema: &'a Schema,
        at: &str,
        merged: &mut Merged<'a>,
        visiting: &mut Vec<String>,
    ) -> Result<(), Error> {
        self.merge_members(schema, at, merged, visiting)?;
        self.merge_own(schema, at, merged);
        Ok(())
    }

    /// Merges what `schema`'s `allOf` members declare into `merged`, in order;
    /// `visiting` holds the references being merged, to refuse a cycle.
    pub(super) fn merge_members(
        &self,
        schema: &'a Schema,
        at: &str,
        merged: &mut Merged<'a>,
        visiting: &mut Vec<String>,
    ) -> Result<(), Error> {
        for (i, member) in shape::all_of(schema).iter().enumerate() {
            let member_at = format!("{at}/allOf/{i}");
            let (member, member_at) = match member {
                ReferenceOr::Item(item) => (item, member_at),
                ReferenceOr::Reference { reference } => {
                    if visiting.contains(reference) {
                        return Err(Error::at(
                            ErrorKind::Unsupported,
                            &self.spec.file,
                            &member_at,
                            format!(
                                "`allOf` includes `{reference}`, which includes this schema again"
                            ),
                        ));
                    }
                    let target = self.component(reference, &member_at)?;
                    visiting.push(reference.clone());
                    self.merge(target, reference, merged, visiting)?;
                    visiting.pop();
                    continue;
                }
            };
            self.merge(member, &member_at, merged, visiting)?;
        }
        Ok(())
    }

    /// The properties, `required` and extra properties `schema` declares itself, merged over
    /// what `merged` holds (later wins).
    pub(super) fn merge_own(&self, schema: &'a Schema, at: &str, merged: &mut Merged<'a>) {
        if let Some(object) = shape::object(schema) {
            for (wire, property) in object.properties {
                merged.properties.retain(|(w, _, _)| *w != wire.as_str());
                merged
                    .properties
                    .push((wire.as_str(), property, at.to_owned()));
            }
            for required in object.required {
                if !merged.required.contains(required) {
                    merged.required.push(required.clone());
                }
            }
            if let Some(additional) = object.additional {
                merged.additional = Some((additional, at.to_owned()));
            }
        }
    }
}
