//! Types in the IR: named type definitions and the references between them.

/// A named type's place in its API's type table ([`Types`]): an index, valid only in the
/// table of the [`Api`] whose lowering made it. The table is ordered by Rust name, so ids
/// order as names do.
///
/// [`Types`]: super::Types
/// [`Api`]: super::Api
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub(crate) usize);

impl TypeId {
    /// Its position in the table.
    pub fn index(self) -> usize {
        self.0
    }
}

/// A reference to a type from a field, a body or an alias.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A named type in the models module: its place in the type table ([`Types`]).
    ///
    /// [`Types`]: super::Types
    Named(TypeId),
    /// A type written by hand instead of generated, by full path ([`Options::runtime_types`]:
    /// an SDK's `crate::ApiError`).
    ///
    /// [`Options::runtime_types`]: crate::Options::runtime_types
    Runtime(String),
    /// `bool`.
    Bool,
    /// An integer: `i64`, or the type its `format` names (`u64`, `i32`, …).
    Int(super::Int),
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// An RFC 3339 date-time.
    DateTime,
    /// Any JSON value.
    Json,
    /// A JSON object of unknown shape.
    JsonObject,
    /// A list.
    Vec(Box<TypeRef>),
    /// An object with arbitrary keys.
    Map(Box<TypeRef>),
    /// A list item or map value that may be `null` (`Option`). Only ever inside a
    /// [`TypeRef::Vec`] or [`TypeRef::Map`]: a field says it is nullable on the field.
    OrNull(Box<TypeRef>),
    /// A tuple (JSON Schema's `prefixItems` with no further items) of scalars: `(f64, f64)`.
    /// Its members are never named types, so a reference holds at most one named type.
    Tuple(Vec<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name, e.g. `ApiMongoDBAccessLogsView`.
    pub name: String,
    /// Module (file) name, e.g. `api_mongo_db_access_logs_view`.
    pub module: String,
    /// Where the spec defines it.
    pub pointer: String,
    /// The spec's description.
    pub description: Option<String>,
    /// Its shape.
    pub kind: TypeKind,
    /// Whether a request can carry it (a request body or a parameter reaches it). Such
    /// structs get a constructor and setters, since users build them; the others are only
    /// read.
    pub sent: bool,
}

impl TypeRef {
    /// The named type this reference reaches, through lists and maps.
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) => inner.named(),
            _ => None,
        }
    }

    /// The named type this reference is, if it is one (not through lists and maps).
    pub fn id(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// How reports, notes and docs name the type (`` `MongoDBAccessLogs` ``, `list of
    /// int32`, …), with named types named by `names`. The one printer of a type.
    pub fn show<'a, N: TypeNames + ?Sized>(&'a self, names: &'a N) -> Shown<'a, N> {
        Shown { ty: self, names }
    }

    /// [`TypeRef::named`], to change it (renumbering).
    pub(crate) fn named_mut(&mut self) -> Option<&mut TypeId> {
        match self {
            TypeRef::Named(id) => Some(id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::OrNull(inner) => inner.named_mut(),
            _ => None,
        }
    }
}

/// The names of types by id: what [`TypeRef::show`] needs to print a reference.
pub trait TypeNames {
    /// The Rust name of the type `id`.
    fn type_name(&self, id: TypeId) -> &str;
}

/// Names indexed by id (the lowering's table while types are still being made).
impl TypeNames for [String] {
    fn type_name(&self, id: TypeId) -> &str {
        self.get(id.0).map_or("", String::as_str)
    }
}

/// A [`TypeRef`] with the names to print it: see [`TypeRef::show`].
pub struct Shown<'a, N: ?Sized> {
    ty: &'a TypeRef,
    names: &'a N,
}

impl<N: TypeNames + ?Sized> std::fmt::Display for Shown<'_, N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ty {
            TypeRef::Named(id) => write!(f, "`{}`", self.names.type_name(*id)),
            TypeRef::Runtime(path) => write!(f, "`{path}`"),
            TypeRef::Vec(item) => write!(f, "list of {}", item.show(self.names)),
            TypeRef::Map(value) => write!(f, "map of {}", value.show(self.names)),
            TypeRef::OrNull(value) => write!(f, "{} or null", value.show(self.names)),
            TypeRef::Bool => f.write_str("boolean"),
            TypeRef::Int(int) => f.write_str(int.format()),
            TypeRef::F64 => f.write_str("number"),
            TypeRef::String => f.write_str("string"),
            TypeRef::DateTime => f.write_str("date-time"),
            TypeRef::Json => f.write_str("any JSON"),
            TypeRef::JsonObject => f.write_str("JSON object"),
            TypeRef::Tuple(members) => {
                f.write_str("tuple of (")?;
                for (i, member) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", member.show(self.names))?;
                }
                f.write_str(")")
            }
        }
    }
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Properties in spec order.
        fields: Vec<Field>,
        /// `additionalProperties`: kept in a map beside the named fields, when declared.
        additional: Option<Additional>,
        /// `additionalProperties: false`: no property but the fields is allowed (which only
        /// an untagged union checks, to rule a variant out).
        closed: bool,
        /// Whether the struct derives `Default`: every field is optional, or it is the type
        /// of a required field that decodes as its default when absent
        /// ([`Field::default_when_absent`]).
        derive_default: bool,
    },
    /// A string with a fixed set of values; unknown values are kept, not rejected.
    StringEnum {
        /// (variant name, wire value).
        variants: Vec<(String, String)>,
        /// An enum of the same values, which this one is written as another name of
        /// (`lower/shared_enums.rs`): one set of values, one Rust type to compile.
        same_as: Option<TypeRef>,
    },
    /// One of several object types, chosen by the value of a property (`discriminator`).
    /// Values naming no known variant are kept as JSON.
    TaggedUnion {
        /// The discriminating property.
        property: String,
        /// Variants in mapping order.
        variants: Vec<TaggedVariant>,
    },
    /// One of several types without a discriminator (`oneOf`/`anyOf`): the first that
    /// decodes wins; anything else is kept as JSON.
    Union {
        /// (variant name, type), in the specification's order.
        variants: Vec<(String, TypeRef)>,
        /// Per variant, in the same order: what an object must be for the variant to fit,
        /// beyond decoding as it. A default fills in a type already chosen, and an open enum
        /// keeps any value; in a union, a missing required property or a value outside an
        /// enum is what tells the variants apart.
        fits: Vec<Fit>,
    },
    /// Another name for a type.
    Alias(TypeRef),
    /// A type the runtime provides (re-exported under the spec's name).
    Runtime(String),
}

impl TypeKind {
    /// Every type reference the shape holds: fields, map values, variants, an alias target.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct {
                fields, additional, ..
            } => fields
                .iter()
                .map(|f| &f.ty)
                .chain(additional.iter().map(|a| &a.ty))
                .collect(),
            TypeKind::TaggedUnion { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Union { variants, .. } => variants.iter().map(|(_, ty)| ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::StringEnum { same_as, .. } => same_as.iter().collect(),
            TypeKind::Runtime(_) => Vec::new(),
        }
    }

    /// [`TypeKind::refs`], to change them.
    pub(crate) fn refs_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            TypeKind::Struct {
                fields, additional, ..
            } => fields
                .iter_mut()
                .map(|f| &mut f.ty)
                .chain(additional.iter_mut().map(|a| &mut a.ty))
                .collect(),
            TypeKind::TaggedUnion { variants, .. } => {
                variants.iter_mut().map(|v| &mut v.ty).collect()
            }
            TypeKind::Union { variants, .. } => variants.iter_mut().map(|(_, ty)| ty).collect(),
            TypeKind::Alias(target) => vec![target],
            TypeKind::StringEnum { same_as, .. } => same_as.iter_mut().collect(),
            TypeKind::Runtime(_) => Vec::new(),
        }
    }
}

/// One variant of a [`TypeKind::TaggedUnion`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedVariant {
    /// Variant name.
    pub name: String,
    /// Discriminator values that select it.
    pub values: Vec<String>,
    /// The variant's type.
    pub ty: TypeRef,
}

/// The map that holds an object's `additionalProperties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Additional {
    /// Its field name.
    pub rust_name: String,
    /// The type of each value.
    pub ty: TypeRef,
}

/// What an object must be for an untagged union's variant (a struct) to fit it: decoding
/// alone would accept it with invented zero values or an enum's unknown value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fit {
    /// Properties it must have: the variant's required properties.
    pub required: Vec<String>,
    /// Properties whose value, when present as a string, must be one of these: the
    /// variant's string enums and `const`s.
    pub values: Vec<(String, Vec<String>)>,
    /// The properties the variant declares, when it keeps no others (a struct without a map
    /// of additional properties): a value with others fits it only after every variant that
    /// keeps them all. `None` for a variant that keeps every property, or is no object.
    pub known: Option<Vec<String>>,
    /// `additionalProperties: false`: a property outside `known` rules the variant out.
    pub closed: bool,
}

impl Fit {
    /// Whether it asks nothing beyond decoding.
    pub fn is_empty(&self) -> bool {
        self.required.is_empty() && self.values.is_empty() && self.known.is_none()
    }
}

/// A property of an object.
#[derive(Debug, Clone)]
pub struct Field {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// Its type (without the `Option` for optional fields).
    pub ty: TypeRef,
    /// Whether the property is listed in `required`.
    pub required: bool,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Whether only the server sets it (never serialized, optional).
    pub read_only: bool,
    /// Whether only the client sends it (optional when decoding).
    pub write_only: bool,
    /// Whether it is deprecated.
    pub deprecated: bool,
    /// Whether it refers back to its own type and needs a `Box`.
    pub boxed: bool,
    /// The spec's description.
    pub description: Option<String>,
    /// `default`, as JSON (documentation only).
    pub default: Option<String>,
    /// Whether a single value is accepted where the list is expected, as a one-element list
    /// (the schema is an array with an `enum` of its own, which no list can equal).
    pub single_as_list: bool,
    /// Whether the field, required and not an `Option`, decodes as its type's zero value
    /// (`Default`) when a response leaves it out, instead of failing the whole response.
    pub default_when_absent: bool,
}

impl Field {
    /// Whether the field is an `Option`: not required, nullable, or only sent one way (a
    /// read-only field is never in a request, a write-only one never in a response).
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }

    /// Whether the constructor of a struct a request carries takes it: a request must send
    /// it ([`TypeDef::sent`]).
    pub fn is_constructor_argument(&self) -> bool {
        self.required && !self.read_only
    }
}

/// Aliases followed before giving up: chains in real specs are one or two long, and a cycle
/// of aliases must not loop forever.
pub const MAX_ALIAS_DEPTH: usize = 16;

/// Builders for the lowering passes' unit tests: a plain field and a component type.
#[cfg(test)]
impl Field {
    pub(crate) fn test(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            wire_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            required,
            nullable: false,
            read_only: false,
            write_only: false,
            deprecated: false,
            boxed: false,
            description: None,
            default: None,
            single_as_list: false,
            default_when_absent: false,
        }
    }
}

#[cfg(test)]
impl TypeDef {
    pub(crate) fn test(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            module: name.to_lowercase(),
            pointer: format!("#/components/schemas/{name}"),
            description: None,
            kind,
            sent: false,
        }
    }
}
