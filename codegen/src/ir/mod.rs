//! The generator's own model of the API. Lowering fills it from the specification; every
//! emitter reads only this.

mod int;
mod refs;
mod renames;
mod sunset;
mod table;
mod types;

pub use self::int::Int;
pub use self::renames::{FormerNames, Renames};
pub use self::sunset::{Replacement, Sunset};
pub use self::table::Types;
pub(crate) use self::table::resolve;
pub use self::types::{
    Additional, Field, Fit, MAX_ALIAS_DEPTH, Shown, TaggedVariant, TypeDef, TypeId, TypeKind,
    TypeNames, TypeRef,
};

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// Tags with their operations, ordered by module name.
    pub tags: Vec<Tag>,
    /// Named types (component schemas and named inline schemas), ordered by Rust name: the
    /// table every [`TypeRef::Named`] points into.
    pub types: Types,
    /// Parameters defined once in `#/components/parameters` and used by the operations
    /// generated, with `type_name` set to their shared name; ordered by it.
    pub shared_params: Vec<Param>,
    /// Things the generator handled in a degraded way (for example a pattern it cannot
    /// compile, whose check it skipped).
    pub diagnostics: Vec<Diagnostic>,
    /// What the specification holds and how much of it the IR represents.
    pub coverage: Coverage,
    /// The servers the document lists (variables at their defaults).
    pub servers: Vec<Server>,
    /// The document's security schemes and how the runtime's client is set up for each.
    pub security: Vec<SecuritySetup>,
    /// Webhooks whose payload is JSON: requests the API sends to its callers, read with one
    /// generated function each. Ordered by function name.
    pub webhooks: Vec<Webhook>,
}

/// A webhook: a request the API sends to its callers, whose JSON body the generated code
/// decodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Its name in the document, e.g. `newPet`.
    pub name: String,
    /// The method it is sent with, upper case.
    pub method: String,
    /// The decoding function's name, e.g. `new_pet`.
    pub fn_name: String,
    /// The summary or description the document gives.
    pub description: Option<String>,
    /// The payload's media type.
    pub media_type: String,
    /// The payload's type.
    pub ty: TypeRef,
    /// The first Cargo feature-relevant tag, if the webhook's operation names one.
    pub tag: Option<String>,
}

/// A server the document lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// Its URL, variables replaced by their defaults, without a trailing slash.
    pub url: String,
    /// Whether the URL is absolute (`http(s)://…`); relative ones cannot be a base URL.
    pub absolute: bool,
    /// The spec's description.
    pub description: Option<String>,
}

/// A security scheme and the `ClientBuilder` call that satisfies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecuritySetup {
    /// The scheme's name in `components/securitySchemes`.
    pub name: String,
    /// What it is, in words.
    pub kind: String,
    /// The builder call, when the runtime has one.
    pub setup: Option<String>,
}

/// How completely the IR represents the specification.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    /// Operations in the specification (within the tag filter).
    pub operations_in_spec: usize,
    /// Operations generated (the rest were excluded by `--api-version`, with a diagnostic).
    pub operations_generated: usize,
    /// Component schemas in the specification (within the tag filter's reference closure).
    pub schemas_in_spec: usize,
    /// Component schemas generated as types.
    pub schemas_generated: usize,
    /// Types invented for inline schemas (objects, enums, unions).
    pub inline_types: usize,
    /// Values typed loosely (as JSON), with the reason.
    pub loose: Vec<Loose>,
    /// Webhook operations in the specification (within the tag filter).
    #[serde(skip_serializing_if = "is_zero")]
    pub webhooks_in_spec: usize,
    /// Webhooks with a decoding function (those with a JSON payload).
    #[serde(skip_serializing_if = "is_zero")]
    pub webhooks_generated: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A value the SDK types as JSON rather than as a specific Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Loose {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// The Rust type used.
    pub representation: String,
    /// Why.
    pub reason: String,
}

/// A note about something the generator could not honour fully.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer of the construct.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
    /// What kind of construct it is about (`--strict` fails on chosen kinds).
    pub kind: NoteKind,
}

/// The kinds of notes, for reports and `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// A `pattern` that does not compile as a JavaScript regular expression: not checked.
    Pattern,
    /// A parameter default that is ignored (wrong type, or it breaks its own rules).
    Default,
    /// A parameter left out (an ignored header) or sent in a degraded form.
    Parameter,
    /// A request body without a schema or media type.
    Body,
    /// A response shape degraded (no success documented, bodies of different types, an
    /// unusable status or header).
    Response,
    /// A schema read loosely (an `enum` on an array).
    Schema,
    /// A name the document does not give (an operation without `operationId`).
    Naming,
    /// A security scheme the runtime cannot satisfy.
    Security,
    /// An operation left out by `--api-version`.
    Version,
    /// A construct documented but not generated (callbacks, links, per-path servers).
    Unused,
    /// A mistake in the document repaired the way a careful reader would (a duplicate
    /// `operationId`, an undeclared path parameter, a `$ref` that points nowhere, a keyword
    /// of another OpenAPI version).
    Repair,
    /// A file read outside the root document's directory (a `$ref` to `../common/types.yaml`):
    /// said, since a vendor's document decides which of the user's files are read.
    File,
}

impl NoteKind {
    /// Every kind, in report order.
    pub const ALL: [NoteKind; 12] = [
        NoteKind::Pattern,
        NoteKind::Default,
        NoteKind::Parameter,
        NoteKind::Body,
        NoteKind::Response,
        NoteKind::Schema,
        NoteKind::Naming,
        NoteKind::Security,
        NoteKind::Version,
        NoteKind::Unused,
        NoteKind::Repair,
        NoteKind::File,
    ];

    /// The kind's name in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Pattern => "pattern",
            NoteKind::Default => "default",
            NoteKind::Parameter => "parameter",
            NoteKind::Body => "body",
            NoteKind::Response => "response",
            NoteKind::Schema => "schema",
            NoteKind::Naming => "naming",
            NoteKind::Security => "security",
            NoteKind::Version => "version",
            NoteKind::Unused => "unused",
            NoteKind::Repair => "repair",
            NoteKind::File => "file",
        }
    }

    /// The kind named `name`, if any.
    pub fn parse(name: &str) -> Option<NoteKind> {
        NoteKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl std::fmt::Display for NoteKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A group of operations: one module and one accessor on the client.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as the spec names it, e.g. `Access Tracking`.
    pub name: String,
    /// Module and accessor name, e.g. `access_tracking`.
    pub module: String,
    /// Type of the accessor, e.g. `AccessTracking`.
    pub type_name: String,
    /// The tag's description.
    pub description: Option<String>,
    /// Operations, in path order.
    pub operations: Vec<Operation>,
    /// Waiters from the waiter table ([`crate::Options::waiters`]) that poll its operations.
    pub waiters: Vec<crate::waiters::Waiter>,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` as written.
    pub id: String,
    /// Method and module name, e.g. `list_access_logs_by_cluster_name`.
    pub fn_name: String,
    /// Builder type name, e.g. `ListAccessLogsByClusterNameRequest`.
    pub builder_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as written, e.g. `/api/atlas/v2/groups/{groupId}`.
    pub path: String,
    /// The path split into literals and parameters.
    pub path_parts: Vec<PathPart>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Link to more documentation.
    pub external_docs: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// When the API stops serving the operation (`x-sunset`), and what replaces it.
    pub sunset: Option<Sunset>,
    /// Parameters in the order the spec lists them.
    pub params: Vec<Param>,
    /// The media type sent in `Accept`.
    pub accept: String,
    /// What a successful call returns.
    pub success: Success,
    /// Documented error statuses, with the types of their bodies.
    pub errors: Vec<ErrorResponse>,
    /// Sentences about what the operation documents but the SDK does not generate
    /// (callbacks, links), for its docs.
    pub not_generated: Vec<String>,
    /// Whether the operation documents only redirects (3xx) as its outcome: then a 3xx is a
    /// success, returned with its headers (`Location`), never followed.
    pub redirect_success: bool,
    /// For list operations (`pageNum` and a `results` array): how to walk every page.
    pub pagination: Option<Pagination>,
    /// The request body, if the operation takes one.
    pub body: Option<RequestBody>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type sent in `Content-Type` (for JSON, the operation's versioned type).
    pub media_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's type: a model for JSON and form bodies, `String` for text,
    /// [`TypeRef::Runtime`] bytes for binary bodies.
    pub ty: TypeRef,
    /// Other media types the specification offers for this body, each typed, with the setter
    /// that sends it (`raw_body` sends any of them as bytes too).
    pub alternatives: Vec<BodyAlternative>,
    /// Whether the body must be given (then it is an argument, else a setter).
    pub required: bool,
    /// The spec's description.
    pub description: Option<String>,
}

/// A media type a request body is offered in besides the one [`RequestBody`] types.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyAlternative {
    /// The media type sent in `Content-Type`.
    pub media_type: String,
    /// How the body is encoded in it.
    pub encoding: BodyEncoding,
    /// The body's type in it.
    pub ty: TypeRef,
    /// The builder's setter that sends it (`body_form`, `body_multipart`, `body_xml`).
    pub method: String,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded`: one pair per property, as `encoding` says.
    Form(Vec<PropertyEncoding>),
    /// `multipart/form-data`, built by the caller as a `specwire::Multipart`; the parts
    /// the specification describes, for the docs: (name, what it holds, required).
    Multipart(Vec<(String, String, bool)>),
    /// Bytes as they are (`application/octet-stream`, `format: binary`, `*/*`, …).
    Binary,
    /// A string as UTF-8 (`text/*`).
    Text,
}

/// The `encoding` of one property of a form body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyEncoding {
    /// The property's wire name.
    pub property: String,
    /// `style` (`form` unless the spec says otherwise).
    pub style: ParamStyle,
    /// `explode`.
    pub explode: bool,
    /// What joins an unexploded list's items instead of the style's delimiter (see
    /// [`Param::delimiter`]).
    pub delimiter: Option<char>,
    /// Sent as JSON text (its `contentType` is JSON).
    pub json: bool,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Index of the `pageNum` parameter.
    pub page_num: usize,
    /// Index of the `itemsPerPage` parameter and its default, when the operation has one.
    pub items_per_page: Option<(usize, i64)>,
    /// Rust name of the `results` field of the response.
    pub results_field: String,
    /// Whether `results` is optional in the response type.
    pub results_optional: bool,
    /// Rust name of the `totalCount` field and whether it is optional.
    pub total_count_field: Option<(String, bool)>,
    /// Whether `totalCount` is 32-bit (it is widened to `i64`).
    pub total_count_i32: bool,
    /// The item type.
    pub item: TypeRef,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is.
    Literal(String),
    /// The path parameter at this index of [`Operation::params`].
    Param(usize),
}

/// The successful response of an operation.
#[derive(Debug, Clone)]
pub struct Success {
    /// The documented status, e.g. 200 (the first, when several are documented).
    pub status: StatusMatch,
    /// What the status means.
    pub description: String,
    /// The body, if any.
    pub body: SuccessBody,
    /// Further documented success statuses and what they mean (their bodies have the same
    /// type, or none; see [`SuccessBody::OptionalJson`]).
    pub other_statuses: Vec<(StatusMatch, String)>,
    /// Other media types the success response is documented in, each with a send method of
    /// its own that asks for it.
    pub alternatives: Vec<Alternative>,
    /// Headers the success responses document, decoded on `send_with_response`.
    pub headers: Vec<ResponseHeader>,
}

/// A media type a success response is documented in besides the one `send()` decodes: a
/// stream of events beside JSON, audio as WAV beside MP3, ….
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// The media type, sent as `Accept`, e.g. `text/event-stream`.
    pub media_type: String,
    /// What it carries: a stream, text or bytes (JSON is the primary body's).
    pub body: SuccessBody,
    /// The builder method that sends it, e.g. `send_events`, `send_wav`.
    pub method: String,
}

/// A header a response documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHeader {
    /// Its name as the spec writes it, e.g. `RateLimit-Remaining`.
    pub wire_name: String,
    /// Field name, e.g. `rate_limit_remaining`.
    pub rust_name: String,
    /// Its type: [`TypeRef::Bool`], [`TypeRef::Int`], [`TypeRef::F64`] or
    /// [`TypeRef::String`] (anything else is kept as text).
    pub ty: TypeRef,
    /// The spec's description.
    pub description: Option<String>,
}

/// What a success body decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessBody {
    /// No body.
    Empty,
    /// JSON decoded into this type.
    Json(TypeRef),
    /// JSON decoded into this type for the statuses that document a body; `None` for those
    /// that document none (e.g. 200 with a body, 204 without).
    OptionalJson(TypeRef),
    /// Text (`+csv`), read whole.
    Text,
    /// Bytes (`+gzip` and other binary types), handed back as a stream.
    Bytes,
    /// A stream of items decoded as they arrive (server-sent events, JSON lines).
    Stream(StreamBody),
}

/// A success body that is a stream of items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamBody {
    /// How the items are framed.
    pub framing: Framing,
    /// Each item's type; for server-sent events, the type of each event's `data`
    /// ([`TypeRef::String`]: the data as text).
    pub item: TypeRef,
}

/// How the items of a streamed response are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// `text/event-stream`: server-sent events.
    ServerSentEvents,
    /// `application/jsonl`, `application/x-ndjson`: one JSON value per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464): JSON values after record separators.
    JsonSeq,
}

impl Framing {
    /// The framing of a streaming media type, if it is one.
    pub fn of(media_type: &str) -> Option<Framing> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        Some(match essence.as_str() {
            "text/event-stream" => Framing::ServerSentEvents,
            "application/jsonl"
            | "application/x-ndjson"
            | "application/x-jsonlines"
            | "application/jsonlines" => Framing::JsonLines,
            "application/json-seq" => Framing::JsonSeq,
            _ => return None,
        })
    }
}

/// A documented error status.
#[derive(Debug, Clone)]
pub struct ErrorResponse {
    /// The status.
    pub status: StatusMatch,
    /// What it means.
    pub description: String,
    /// The type of its JSON body, when it documents one.
    pub body: Option<TypeRef>,
}

/// Which statuses a documented response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status, e.g. 404.
    Code(u16),
    /// A class, e.g. `4XX` (the hundreds digit).
    Class(u16),
    /// `default`: every status no other entry names.
    Default,
}

impl std::fmt::Display for StatusMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusMatch::Code(code) => write!(f, "{code}"),
            StatusMatch::Class(class) => write!(f, "{class}XX"),
            StatusMatch::Default => f.write_str("default"),
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, in the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The word the OpenAPI document uses (`in: header`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a parameter's value is written (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`: `name=value` (query, cookie; the default there).
    Form,
    /// `simple`: `a,b` (path, header; the default there).
    Simple,
    /// `label`: `.a.b` in a path.
    Label,
    /// `matrix`: `;name=a` in a path.
    Matrix,
    /// `spaceDelimited`: `name=a%20b` in a query.
    SpaceDelimited,
    /// `pipeDelimited`: `name=a|b` in a query.
    PipeDelimited,
    /// `deepObject`: `name[key]=value` in a query.
    DeepObject,
}

impl ParamStyle {
    /// The default style of a location.
    pub fn default_for(location: ParamLocation) -> Self {
        match location {
            ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
            ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
        }
    }

    /// The name the OpenAPI document uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamStyle::Form => "form",
            ParamStyle::Simple => "simple",
            ParamStyle::Label => "label",
            ParamStyle::Matrix => "matrix",
            ParamStyle::SpaceDelimited => "spaceDelimited",
            ParamStyle::PipeDelimited => "pipeDelimited",
            ParamStyle::DeepObject => "deepObject",
        }
    }
}

/// One parameter of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire, e.g. `nLogs`.
    pub wire_name: String,
    /// Setter / argument name, e.g. `n_logs`.
    pub rust_name: String,
    /// Name of its schema type in the operation's module, e.g. `NLogsSchema`.
    pub type_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// The spec's description.
    pub description: Option<String>,
    /// Whether the parameter is deprecated.
    pub deprecated: bool,
    /// `style`.
    pub style: ParamStyle,
    /// `explode` (the spec's default: true for `form`, false otherwise).
    pub explode: bool,
    /// `allowReserved`: reserved characters of a query value are sent as they are.
    pub allow_reserved: bool,
    /// What joins an unexploded list's items instead of the style's delimiter: Swagger
    /// 2.0's `tsv` (a tab), and its `ssv` and `pipes` outside the query, which no 3.x style
    /// spells.
    pub delimiter: Option<char>,
    /// Its type and rules.
    pub schema: ParamSchema,
    /// For a parameter defined once in `#/components/parameters`: the name of its type in
    /// the shared `parameters` module (the operation's module re-exports it).
    pub shared: Option<String>,
}

/// The value a parameter carries, with the rules the spec states for it.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamSchema {
    /// `boolean`.
    Bool {
        /// `default`.
        default: Option<bool>,
    },
    /// `integer`.
    Integer {
        /// Its Rust type, from the `format`.
        int: Int,
        /// Bounds.
        bounds: IntBounds,
        /// `default`.
        default: Option<i64>,
    },
    /// `number`.
    Number {
        /// Bounds.
        bounds: FloatBounds,
        /// `default`.
        default: Option<f64>,
    },
    /// `string` with `format: date-time`.
    DateTime,
    /// A string with a fixed set of values: a string enum type in the models module.
    Enum {
        /// The enum's type (a [`TypeRef::Named`] string enum).
        ty: TypeRef,
        /// `default`, as the wire value.
        default: Option<String>,
    },
    /// A list, sent as one `name=value` pair per item (`style: form`, `explode: true`).
    Array {
        /// The items' schema.
        item: Box<ParamSchema>,
    },
    /// Any other schema (an object, a union, a list of lists, …), or a parameter whose
    /// `content` gives its media type: a value of the model type `ty`. With `json` it is sent
    /// as JSON text; otherwise an object's properties are written as the style says.
    Value {
        /// The value's type.
        ty: TypeRef,
        /// Sent as JSON text (`content: {application/json: …}`).
        json: bool,
        /// Sent as the fields of a form (OpenAPI 3.2's `in: querystring`): a list property
        /// as one pair per item.
        form: bool,
    },
    /// Any other `string`.
    String {
        /// Length limits (characters).
        min_length: Option<u64>,
        /// Length limits (characters).
        max_length: Option<u64>,
        /// `pattern`, when it compiles with JavaScript semantics.
        pattern: Option<String>,
        /// `format` as written (documentation only).
        format: Option<String>,
        /// `default`.
        default: Option<String>,
    },
}

/// Integer bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IntBounds {
    /// `minimum`, and whether it is exclusive.
    pub min: Option<(i64, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub max: Option<(i64, bool)>,
}

/// Fractional bounds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FloatBounds {
    /// `minimum`, and whether it is exclusive.
    pub min: Option<(f64, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub max: Option<(f64, bool)>,
}
