//! How a model's field is written: its Rust type, whether `null` is kept apart from absent,
//! the encoder method and the value decoder. The codec (`object.rs`), the constructors and
//! setters (`constructors.rs`) and the serde twins (`twins.rs`) all take it from here, so
//! they state one set of rules.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::Models;
use crate::ir::Field;
use crate::runtime_contract::RT;

/// How a field is written: its Rust type (with any `Option`), and whether `null` is kept
/// apart from absent.
pub(crate) struct FieldShape {
    ty: TokenStream,
    /// What the field's decoder slot holds: `ty`, or for a patchable field `ty` without its
    /// `Option` (the slot keeps `null` apart from absent).
    slot_value: TokenStream,
    /// The type a value is given as: `ty` without `Option`, `Box` or `Nullable`.
    value: TokenStream,
    pub(crate) optional: bool,
    pub(crate) patchable: bool,
    /// The `object::FieldVisitor` method that walks it (`read_only…` for a read-only optional field:
    /// never in a request, only in a body encoded as a server sends it, as mocks answer).
    pub(crate) write: &'static str,
    /// The decoder of its value when it is not the type's own `Deserialize`.
    pub(crate) seed: Option<Seed>,
}

/// A value decoder of `runtime::object` (the seed of a `FieldWith` or `OptionalWith` slot). The codec and its serde twins
/// (`twins.rs`) both take it from [`field_shape`], so they state one set of rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Seed {
    /// A list, or one item alone, `null` as `Nullable::Null`.
    NullableOneOrMany,
    /// A list, or one item alone, `null` as `None`.
    OptionalOneOrMany,
    /// A list, or one item alone.
    OneOrMany,
    /// An RFC 3339 date-time or `null`.
    OptionalRfc3339,
    /// An RFC 3339 date-time.
    Rfc3339,
}

impl FieldShape {
    /// The field's Rust type, `Option` included.
    pub(crate) fn ty(&self) -> &TokenStream {
        &self.ty
    }

    /// The type a value is given as (to `new` and the setters): the field's type without
    /// `Option`, `Box` or `Nullable`.
    pub(crate) fn value(&self) -> &TokenStream {
        &self.value
    }

    /// The value type of the field's decoder slot.
    pub(crate) fn slot_value(&self) -> &TokenStream {
        &self.slot_value
    }
}

/// How `field` is written, its types named in `models`.
pub(crate) fn field_shape(field: &Field, models: &Models) -> FieldShape {
    // `null` distinct from absent: a field that may be left out *and* set to null.
    let patchable = field.nullable && !field.required && !field.read_only;
    let value = if patchable {
        models.nested(&field.ty)
    } else {
        models.rust_type(&field.ty)
    };
    let mut ty = if patchable {
        quote!(#RT::Nullable<#value>)
    } else {
        value.clone()
    };
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    let optional = field.is_optional();
    let unwrapped = ty.clone();
    if optional {
        ty = quote!(::std::option::Option<#ty>);
    }
    let slot_value = if patchable { unwrapped } else { ty.clone() };
    let date_time = models.is_date_time(&field.ty) && !patchable;
    // Optional fields are left out when unset, except required nullable ones (`null`).
    let skip_none = optional && (!field.required || field.write_only);
    let write = match (date_time, optional, skip_none) {
        (true, true, _) if field.read_only => "read_only_date_time",
        (false, true, _) if field.read_only => "read_only",
        (true, true, true) => "optional_date_time",
        (true, true, false) => "nullable_date_time",
        (true, false, _) => "date_time",
        (false, true, true) => "optional",
        (false, _, _) => "entry",
    };
    let seed = match (field.single_as_list, patchable, optional) {
        (true, true, _) => Some(Seed::NullableOneOrMany),
        (true, false, true) => Some(Seed::OptionalOneOrMany),
        (true, false, false) => Some(Seed::OneOrMany),
        (false, _, true) if date_time => Some(Seed::OptionalRfc3339),
        (false, _, false) if date_time => Some(Seed::Rfc3339),
        _ => None,
    };
    FieldShape {
        ty,
        slot_value,
        value,
        optional,
        patchable,
        write,
        seed,
    }
}
