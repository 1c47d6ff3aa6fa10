//! Where each part of a document sits: the one description of a document's structure,
//! which both drivers of the walk follow.

use super::{Dialect, Position};
use crate::http::FIXED_METHODS;

/// A node of the walk: a visited position, or a container the walk passes through without
/// visiting (the document's root, `components`, a callback, an encoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Node {
    At(Position),
    Document,
    Swagger2Document,
    Components,
    /// A callback: a map of expressions to path items.
    Callback,
    /// An entry of a media type's `encoding`.
    Encoding,
    /// An object that is no position and holds none: a security scheme, a link.
    Leaf,
}

/// Where a node's children sit.
#[derive(Debug, Clone, Copy)]
pub(super) enum Key {
    /// Under this key.
    Named(&'static str),
    /// Every entry of the node itself (a callback's expressions).
    EveryEntry,
}

/// How the value under a key holds its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Arrangement {
    /// The value is the child, whatever it is.
    One,
    /// A subschema keyword: a boolean is a flag (`additionalProperties: true`, `items:
    /// false`), not visited; a list is draft 4's tuple, each item a child.
    Subschema,
    /// A map: each of its values is a child.
    Entries,
    /// A list: each of its items is a child.
    List,
}

/// One place a node's children sit.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub(super) key: Key,
    pub(super) arrangement: Arrangement,
    pub(super) node: Node,
}

const fn slot(key: &'static str, arrangement: Arrangement, node: Node) -> Slot {
    Slot {
        key: Key::Named(key),
        arrangement,
        node,
    }
}

use Arrangement::{Entries, List, One, Subschema};

const SCHEMA: Node = Node::At(Position::Schema);
const OPERATION: Node = Node::At(Position::Operation);
const PATH_ITEM: Node = Node::At(Position::PathItem);

const DOCUMENT: &[Slot] = &[
    slot("paths", Entries, PATH_ITEM),
    slot("webhooks", Entries, PATH_ITEM),
    slot("components", One, Node::Components),
];

const SWAGGER2_DOCUMENT: &[Slot] = &[
    slot("paths", Entries, PATH_ITEM),
    slot("definitions", Entries, SCHEMA),
    slot("parameters", Entries, Node::At(Position::Parameter)),
    slot("responses", Entries, Node::At(Position::Response)),
    // grpc-gateway v1 keeps the schemas of streamed results here.
    slot("x-stream-definitions", Entries, SCHEMA),
    slot("securityDefinitions", Entries, Node::Leaf),
    // A bundled document may already carry components (schemas brought in from files).
    slot("components", One, Node::Components),
];

const COMPONENTS: &[Slot] = &[
    slot("schemas", Entries, SCHEMA),
    slot("parameters", Entries, Node::At(Position::Parameter)),
    slot("responses", Entries, Node::At(Position::Response)),
    slot("requestBodies", Entries, Node::At(Position::RequestBody)),
    slot("headers", Entries, Node::At(Position::Header)),
    slot("pathItems", Entries, PATH_ITEM),
    slot("callbacks", Entries, Node::Callback),
    slot("securitySchemes", Entries, Node::Leaf),
    slot("links", Entries, Node::Leaf),
];

const SCHEMA_SLOTS: &[Slot] = &[
    // Maps of names to schemas.
    slot("properties", Entries, SCHEMA),
    slot("patternProperties", Entries, SCHEMA),
    slot("$defs", Entries, SCHEMA),
    slot("definitions", Entries, SCHEMA),
    slot("dependentSchemas", Entries, SCHEMA),
    // One schema each.
    slot("additionalProperties", Subschema, SCHEMA),
    slot("contentSchema", Subschema, SCHEMA),
    slot("items", Subschema, SCHEMA),
    slot("not", Subschema, SCHEMA),
    slot("if", Subschema, SCHEMA),
    slot("then", Subschema, SCHEMA),
    slot("else", Subschema, SCHEMA),
    slot("contains", Subschema, SCHEMA),
    slot("propertyNames", Subschema, SCHEMA),
    slot("unevaluatedProperties", Subschema, SCHEMA),
    slot("unevaluatedItems", Subschema, SCHEMA),
    slot("additionalItems", Subschema, SCHEMA),
    // Lists of schemas.
    slot("allOf", List, SCHEMA),
    slot("oneOf", List, SCHEMA),
    slot("anyOf", List, SCHEMA),
    slot("prefixItems", List, SCHEMA),
];

const PARAMETER: &[Slot] = &[
    slot("schema", One, SCHEMA),
    slot("content", Entries, Node::At(Position::Media)),
];

/// Swagger 2.0: a body parameter's `schema`; another's `items` describes its elements.
const SWAGGER2_PARAMETER: &[Slot] = &[slot("schema", One, SCHEMA), slot("items", One, SCHEMA)];

const REQUEST_BODY: &[Slot] = &[slot("content", Entries, Node::At(Position::Media))];

const RESPONSE: &[Slot] = &[
    slot("headers", Entries, Node::At(Position::Header)),
    slot("content", Entries, Node::At(Position::Media)),
    slot("links", Entries, Node::Leaf),
];

const SWAGGER2_RESPONSE: &[Slot] = &[
    slot("schema", One, SCHEMA),
    slot("headers", Entries, Node::At(Position::Header)),
];

const MEDIA: &[Slot] = &[
    slot("schema", One, SCHEMA),
    slot("itemSchema", One, SCHEMA),
    slot("encoding", Entries, Node::Encoding),
];

const ENCODING: &[Slot] = &[slot("headers", Entries, Node::At(Position::Header))];

const PATH_ITEM_SLOTS: &[Slot] = &[
    slot("parameters", List, Node::At(Position::Parameter)),
    slot(FIXED_METHODS[0], One, OPERATION),
    slot(FIXED_METHODS[1], One, OPERATION),
    slot(FIXED_METHODS[2], One, OPERATION),
    slot(FIXED_METHODS[3], One, OPERATION),
    slot(FIXED_METHODS[4], One, OPERATION),
    slot(FIXED_METHODS[5], One, OPERATION),
    slot(FIXED_METHODS[6], One, OPERATION),
    slot(FIXED_METHODS[7], One, OPERATION),
    slot(FIXED_METHODS[8], One, OPERATION),
    slot("additionalOperations", Entries, OPERATION),
];

const OPERATION_SLOTS: &[Slot] = &[
    slot("parameters", List, Node::At(Position::Parameter)),
    slot("requestBody", One, Node::At(Position::RequestBody)),
    slot("responses", Entries, Node::At(Position::Response)),
    slot("callbacks", Entries, Node::Callback),
];

const CALLBACK: &[Slot] = &[Slot {
    key: Key::EveryEntry,
    arrangement: One,
    node: PATH_ITEM,
}];

/// Where the children of `node` sit in a document of `dialect`: the one description of a
/// document's structure.
pub(super) fn slots(node: Node, dialect: Dialect) -> &'static [Slot] {
    let swagger2 = dialect == Dialect::Swagger2;
    match node {
        Node::Document => DOCUMENT,
        Node::Swagger2Document => SWAGGER2_DOCUMENT,
        Node::Components => COMPONENTS,
        Node::Callback => CALLBACK,
        Node::Encoding => ENCODING,
        Node::Leaf => &[],
        Node::At(position) => match position {
            Position::Schema => SCHEMA_SLOTS,
            Position::Parameter if swagger2 => SWAGGER2_PARAMETER,
            Position::Parameter | Position::Header => PARAMETER,
            Position::RequestBody => REQUEST_BODY,
            Position::Response if swagger2 => SWAGGER2_RESPONSE,
            Position::Response => RESPONSE,
            Position::Media => MEDIA,
            Position::PathItem => PATH_ITEM_SLOTS,
            Position::Operation => OPERATION_SLOTS,
        },
    }
}
