//! The one structural walk over a document's JSON form: it knows what each position holds
//! (a schema, a parameter, a response, …) from where it sits, so passes never guess from key
//! names, and never look inside examples or `x-` extensions, which are data.
//!
//! What sits where is written once, in `slots.rs`; two drivers follow it, one that may rewrite
//! what it visits ([`walk`], [`walk_document`], [`walk_at`]) and one that only reads
//! ([`read_at`]). Every pass that looks for schemas or references uses them: the upgrade's
//! rewrites, the `$ref` resolver and follower ([`crate::refs`]), Swagger 2.0's conversion,
//! the command's bundler and the benchmark's subset cutter.
//!
//! The walk does not follow `$ref`s: a position holding one is visited as it is. Depth is
//! bounded ([`MAX_DEPTH`]), so no document can exhaust the stack.

use serde_json::Value;

use crate::error::escape_token;

mod slots;

use slots::Arrangement::{Entries, List, One, Subschema};
use slots::{Arrangement, Key, Node, slots};

/// Nesting levels walked below the root. The parsers stop at 128 levels of JSON or YAML, so
/// this is never reached by a parsed document; it bounds the walk on its own all the same.
pub const MAX_DEPTH: usize = 256;

/// What a position in the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Position {
    /// A schema (JSON Schema, or OpenAPI 3.0's dialect of it).
    Schema,
    /// A parameter.
    Parameter,
    /// A request body.
    RequestBody,
    /// A response.
    Response,
    /// A header of a response or of an encoding.
    Header,
    /// A path item (under `paths`, `webhooks`, a callback or `components/pathItems`).
    PathItem,
    /// An operation of a path item.
    Operation,
    /// A media type of a `content` map.
    Media,
}

/// Which shape the document has: OpenAPI 3.x, or Swagger 2.0 before it is converted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAPI 3.0, 3.1 or 3.2.
    OpenApi3,
    /// Swagger 2.0: `definitions`, body parameters with a `schema`, responses with a
    /// `schema`, and grpc-gateway's `x-stream-definitions`.
    Swagger2,
}

impl Dialect {
    /// The dialect of a document's root: Swagger 2.0 when it declares `swagger`.
    pub fn of(root: &Value) -> Self {
        if root.get("swagger").is_some() {
            Self::Swagger2
        } else {
            Self::OpenApi3
        }
    }
}

/// What a pass does at each position.
pub trait Visit {
    /// Called before the position's children are walked; it may rewrite `value`, and the
    /// walk then descends into what `value` holds afterwards. Returns whether to descend.
    fn enter(&mut self, _position: Position, _value: &mut Value, _at: &str) -> bool {
        true
    }

    /// Called after the position's children were walked.
    fn leave(&mut self, _position: Position, _value: &mut Value, _at: &str) {}

    /// Called with each object the walk passes through without it being a position, before
    /// what it holds is walked: the document's root, `components`, each map of positions
    /// (`properties`, `responses`, `components/schemas`, …), a callback, an entry of an
    /// `encoding`, and the objects that hold no position (a security scheme, a link). It may
    /// rewrite the object (a map written as a `$ref` to another file, replaced by the map):
    /// the walk goes on with what it holds afterwards.
    fn container(&mut self, _value: &mut Value, _at: &str) {}
}

/// What a reading pass does at each position: returns whether to descend.
pub trait Read {
    /// Called before the position's children are read.
    fn enter(&mut self, position: Position, value: &Value, at: &str) -> bool;
}

/// Walks every position of the OpenAPI 3 document `root`.
pub fn walk(root: &mut Value, visit: &mut impl Visit) {
    walk_document(root, Dialect::OpenApi3, visit);
}

/// Walks every position of the document `root`, of `dialect`.
pub fn walk_document(root: &mut Value, dialect: Dialect, visit: &mut impl Visit) {
    let node = match dialect {
        Dialect::OpenApi3 => Node::Document,
        Dialect::Swagger2 => Node::Swagger2Document,
    };
    Walker::new("#", dialect, visit).node(node, root);
}

/// Walks `value`, a `position` of a document of `dialect` found at `at`, and everything in it.
pub fn walk_at(
    value: &mut Value,
    position: Position,
    at: &str,
    dialect: Dialect,
    visit: &mut impl Visit,
) {
    Walker::new(at, dialect, visit).node(Node::At(position), value);
}

/// Reads `value`, a `position` of a document of `dialect` found at `at`, and everything in
/// it, without changing anything.
pub fn read_at(
    value: &Value,
    position: Position,
    at: &str,
    dialect: Dialect,
    read: &mut impl Read,
) {
    Reader {
        walk: Walk::new(at, dialect),
        read,
    }
    .node(Node::At(position), value);
}

/// How the value under a slot's key holds the slot's children.
enum Held {
    /// None: a flag, or not the container the slot expects.
    Nothing,
    /// The value itself.
    Itself,
    /// Each item of the list.
    Items,
    /// Each value of the map.
    Entries,
}

impl Held {
    fn of(arrangement: Arrangement, value: &Value) -> Self {
        match (arrangement, value) {
            (Subschema, Value::Bool(_)) => Self::Nothing,
            (Subschema | List, Value::Array(_)) => Self::Items,
            (Entries, Value::Object(_)) => Self::Entries,
            (List | Entries, _) => Self::Nothing,
            (One | Subschema, _) => Self::Itself,
        }
    }
}

/// The pointer and depth both drivers keep.
struct Walk {
    at: String,
    depth: usize,
    dialect: Dialect,
}

impl Walk {
    fn new(at: &str, dialect: Dialect) -> Self {
        Self {
            at: at.to_owned(),
            depth: 0,
            dialect,
        }
    }

    /// Appends a token to the pointer; returns the length to cut it back to.
    fn push(&mut self, token: &str) -> usize {
        let len = self.at.len();
        self.at.push('/');
        self.at.push_str(&escape_token(token));
        len
    }
}

/// The driver that may rewrite what it visits.
struct Walker<'v, V> {
    walk: Walk,
    visit: &'v mut V,
}

impl<'v, V: Visit> Walker<'v, V> {
    fn new(at: &str, dialect: Dialect, visit: &'v mut V) -> Self {
        Self {
            walk: Walk::new(at, dialect),
            visit,
        }
    }

    fn node(&mut self, node: Node, value: &mut Value) {
        if self.walk.depth >= MAX_DEPTH {
            return;
        }
        let Node::At(position) = node else {
            if value.is_object() {
                self.visit.container(value, &self.walk.at);
            }
            self.children(node, value);
            return;
        };
        let at = self.walk.at.clone();
        if !self.visit.enter(position, value, &at) {
            return;
        }
        if value.get("$ref").is_none() {
            self.walk.depth += 1;
            self.children(node, value);
            self.walk.depth -= 1;
        }
        self.visit.leave(position, value, &at);
    }

    /// `value` as `node`, under `token` (`None`: at the current pointer).
    fn child(&mut self, token: Option<&str>, node: Node, value: &mut Value) {
        match token {
            Some(token) => {
                let len = self.walk.push(token);
                self.node(node, value);
                self.walk.at.truncate(len);
            }
            None => self.node(node, value),
        }
    }

    fn children(&mut self, node: Node, value: &mut Value) {
        let Value::Object(map) = value else {
            return;
        };
        for slot in slots(node, self.walk.dialect) {
            let key = match slot.key {
                Key::EveryEntry => {
                    for (name, child) in map.iter_mut() {
                        self.child(Some(name), slot.node, child);
                    }
                    continue;
                }
                Key::Named(key) => key,
            };
            let Some(held) = map.get_mut(key) else {
                continue;
            };
            let len = self.walk.push(key);
            if slot.arrangement == Entries && held.is_object() {
                self.visit.container(held, &self.walk.at);
            }
            match (Held::of(slot.arrangement, held), held) {
                (Held::Itself, held) => self.node(slot.node, held),
                (Held::Items, Value::Array(items)) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        self.child(Some(&i.to_string()), slot.node, item);
                    }
                }
                (Held::Entries, Value::Object(entries)) => {
                    for (name, entry) in entries.iter_mut() {
                        self.child(Some(name), slot.node, entry);
                    }
                }
                _ => {}
            }
            self.walk.at.truncate(len);
        }
    }
}

/// The driver that only reads.
struct Reader<'r, R> {
    walk: Walk,
    read: &'r mut R,
}

impl<R: Read> Reader<'_, R> {
    fn node(&mut self, node: Node, value: &Value) {
        if self.walk.depth >= MAX_DEPTH {
            return;
        }
        let Node::At(position) = node else {
            self.children(node, value);
            return;
        };
        if !self.read.enter(position, value, &self.walk.at) || value.get("$ref").is_some() {
            return;
        }
        self.walk.depth += 1;
        self.children(node, value);
        self.walk.depth -= 1;
    }

    fn child(&mut self, token: &str, node: Node, value: &Value) {
        let len = self.walk.push(token);
        self.node(node, value);
        self.walk.at.truncate(len);
    }

    fn children(&mut self, node: Node, value: &Value) {
        let Value::Object(map) = value else {
            return;
        };
        for slot in slots(node, self.walk.dialect) {
            let key = match slot.key {
                Key::EveryEntry => {
                    for (name, child) in map {
                        self.child(name, slot.node, child);
                    }
                    continue;
                }
                Key::Named(key) => key,
            };
            let Some(held) = map.get(key) else {
                continue;
            };
            let len = self.walk.push(key);
            match (Held::of(slot.arrangement, held), held) {
                (Held::Itself, held) => self.node(slot.node, held),
                (Held::Items, Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        self.child(&i.to_string(), slot.node, item);
                    }
                }
                (Held::Entries, Value::Object(entries)) => {
                    for (name, entry) in entries {
                        self.child(name, slot.node, entry);
                    }
                }
                _ => {}
            }
            self.walk.at.truncate(len);
        }
    }
}

#[cfg(test)]
mod tests;
