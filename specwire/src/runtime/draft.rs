//! What a generated request builder holds: its client, its options and the parameters given
//! so far, each checked and taken apart for writing when it is set. The operation's static
//! table ([`Operation::params`], [`Operation::path_parts`]) says where each one goes, so a
//! builder holds the draft (and its body, if it sends one) and writes no parameter itself:
//! the compiler checks this code once instead of once per operation.

use std::fmt;

use super::{Operation, Prepared, PreparedRequest, RequestOptions};
use crate::Client;
use crate::error::InvalidParameter;
use crate::wire::style::{ParamParts, Style};

use crate::wire::query::ParamValue;

/// Where a parameter is written, and in which style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// One path segment, percent-encoded (`simple` style, a single value).
    Segment,
    /// The path, in another style (`label`, `matrix`, or a list or object in `simple`).
    Path(Style),
    /// The query string.
    Query(Style),
    /// A request header.
    Header(Style),
    /// The `Cookie` header.
    Cookie(Style),
}

/// One parameter of an operation: its name on the wire and where it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// The name the specification gives it.
    pub name: &'static str,
    /// Where and how it is written.
    pub placement: Placement,
}

impl ParamSpec {
    /// A parameter written at `placement`.
    pub const fn new(name: &'static str, placement: Placement) -> Self {
        Self { name, placement }
    }

    /// A path parameter written as one segment.
    pub const fn segment(name: &'static str) -> Self {
        Self::new(name, Placement::Segment)
    }

    /// A query parameter in the default style (`form`, exploded).
    pub const fn query(name: &'static str) -> Self {
        Self::new(name, Placement::Query(Style::form(true)))
    }
}

/// A piece of an operation's path: fixed text, or the parameter at an index of
/// [`Operation::params`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece {
    /// Text written as it is.
    Literal(&'static str),
    /// The parameter at this index.
    Param(usize),
}

/// A parameter as the draft keeps it: taken apart for writing, or the rule it broke.
type Given = Result<ParamParts, InvalidParameter>;

/// A request being built: what a generated builder holds.
#[derive(Clone)]
pub struct Draft {
    client: Client,
    operation: &'static Operation,
    options: RequestOptions,
    /// The parameters set, by index into the operation's `params` (a few: most are
    /// optional and left out, so nothing is allocated for them).
    given: Vec<(usize, Given)>,
}

impl Draft {
    /// A request for `operation` with no parameter set.
    pub fn new(client: Client, operation: &'static Operation) -> Self {
        Self {
            client,
            operation,
            options: RequestOptions::default(),
            given: Vec::new(),
        }
    }

    /// Sets the parameter at `index` of the operation's `params` (replacing a value set
    /// before): a value, or the rule it broke, which [`finish`](Self::finish) reports.
    /// An index the operation does not have is ignored.
    pub fn set(&mut self, index: usize, value: &dyn ParamInput) {
        if index >= self.operation.params.len() {
            return;
        }
        let given = value
            .input()
            .map(|value| value.parts())
            .map_err(Clone::clone);
        match self.given.iter_mut().find(|(at, _)| *at == index) {
            Some((_, slot)) => *slot = given,
            None => self.given.push((index, given)),
        }
    }

    /// The per-request settings: timeout, `Accept`, extra headers, a raw or streamed body.
    pub fn options_mut(&mut self) -> &mut RequestOptions {
        &mut self.options
    }

    /// Where a list operation's walk starts: the page parameter at index `page` (written as
    /// 1 when it is not set, or is not a 32-bit page number) and the page size, the
    /// parameter at index `size` or `default_size`. A page or size that broke a rule stays
    /// as it is: the walk's first page reports it.
    pub fn start_walk(
        &mut self,
        page: usize,
        size: Option<usize>,
        default_size: i64,
    ) -> (i32, i64) {
        let number = |given: Option<&Given>| match given {
            Some(Ok(ParamParts::Single(text))) => text.parse::<i64>().ok(),
            _ => None,
        };
        let page_size = number(size.and_then(|size| self.get(size))).unwrap_or(default_size);
        let first_page = number(self.get(page)).and_then(|n| i32::try_from(n).ok());
        let broken = matches!(self.get(page), Some(Err(_)));
        match first_page {
            Some(first_page) => (first_page, page_size),
            None => {
                if !broken {
                    self.set(page, &1i64);
                }
                (1, page_size)
            }
        }
    }

    /// The request with every parameter written, before a body is added, and the client
    /// that sends it.
    pub fn into_parts(self) -> (PreparedRequest, Client) {
        let Self {
            client,
            operation,
            options,
            given,
        } = self;
        let mut request = PreparedRequest::new(operation, options);
        let parameter = |index: usize| {
            let spec = operation.params.get(index)?;
            Some((spec, given_at(&given, index)?))
        };
        // The path first, in the template's order, then the others in the specification's:
        // the order their broken rules are reported in.
        for piece in operation.path_parts {
            match *piece {
                PathPiece::Literal(text) => request.push_literal(text),
                PathPiece::Param(index) => {
                    if let Some((spec, given)) = parameter(index) {
                        write(&mut request, spec, given);
                    }
                }
            }
        }
        for (index, spec) in operation.params.iter().enumerate() {
            if let (false, Some(given)) = (spec.is_path(), given_at(&given, index)) {
                write(&mut request, spec, given);
            }
        }
        (request, client)
    }

    /// The parameter at `index`, when it is set.
    fn get(&self, index: usize) -> Option<&Given> {
        given_at(&self.given, index)
    }

    /// The request to send, or the first rule a parameter broke.
    ///
    /// # Errors
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) for that parameter.
    pub fn finish(self) -> Prepared {
        let (request, client) = self.into_parts();
        request.finish(client)
    }
}

impl ParamSpec {
    fn is_path(&self) -> bool {
        matches!(self.placement, Placement::Segment | Placement::Path(_))
    }
}

/// The parameter at `index` among those `given`, when it is set.
fn given_at(given: &[(usize, Given)], index: usize) -> Option<&Given> {
    given
        .iter()
        .find_map(|(at, value)| (*at == index).then_some(value))
}

/// Writes one given parameter where its spec says.
fn write(request: &mut PreparedRequest, spec: &ParamSpec, given: &Given) {
    let parts = match given {
        Ok(parts) => parts,
        Err(error) => return request.record(Err(error.clone())),
    };
    let name = spec.name;
    let written = match spec.placement {
        Placement::Segment => match parts {
            ParamParts::Single(text) => request.push_segment(name, text),
            other => request.push_segment(name, &other.joined()),
        },
        Placement::Path(style) => request.push_path_styled(name, parts, style),
        Placement::Query(style) => {
            request.push_query_styled(name, parts, style);
            Ok(())
        }
        Placement::Header(style) => request.push_header(name, parts, style),
        Placement::Cookie(style) => {
            request.push_cookie(name, parts, style);
            Ok(())
        }
    };
    request.record(written);
}

/// The operation and the parameters set, by name (the client and options as they are).
impl fmt::Debug for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parameters = self
            .operation
            .params
            .iter()
            .enumerate()
            .filter_map(|(index, spec)| Some((spec.name, self.get(index)?)));
        f.debug_struct("Draft")
            .field("operation", &self.operation.operation_id)
            .field("parameters", &DebugMap(parameters))
            .field("options", &self.options)
            .field("client", &self.client)
            .finish()
    }
}

/// A map's `Debug` from an iterator of pairs that can be walked again.
struct DebugMap<I>(I);

impl<'a, I> fmt::Debug for DebugMap<I>
where
    I: Iterator<Item = (&'static str, &'a Given)> + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.clone()).finish()
    }
}

/// A parameter's value as a builder's setter gives it: a value ([`ParamValue`]), or a
/// `Result` of one when its rules are checked as it is given. What [`Draft::set`] takes.
pub trait ParamInput {
    /// The value, or the rule it broke.
    ///
    /// # Errors
    /// The [`InvalidParameter`] the value's type reported.
    fn input(&self) -> Result<&dyn ParamValue, &InvalidParameter>;
}

impl<T: ParamValue> ParamInput for T {
    fn input(&self) -> Result<&dyn ParamValue, &InvalidParameter> {
        Ok(self)
    }
}

impl<T: ParamValue> ParamInput for Result<T, InvalidParameter> {
    fn input(&self) -> Result<&dyn ParamValue, &InvalidParameter> {
        self.as_ref().map(|value| value as &dyn ParamValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, Rule};

    /// `GET /groups/{groupId}/logs/{kind}` with a query, a header and a cookie.
    static LOGS: Operation = Operation {
        operation_id: "listLogs",
        path: "/groups/{groupId}/logs/{kind}",
        params: &[
            ParamSpec::query("pageNum"),
            ParamSpec::segment("groupId"),
            ParamSpec::new("kind", Placement::Path(Style::label(false))),
            ParamSpec::new("tags", Placement::Query(Style::pipe_delimited(false))),
            ParamSpec::new("X-Trace", Placement::Header(Style::simple(false))),
            ParamSpec::new("session", Placement::Cookie(Style::form(true))),
            ParamSpec::query("itemsPerPage"),
        ],
        path_parts: &[
            PathPiece::Literal("/groups/"),
            PathPiece::Param(1),
            PathPiece::Literal("/logs/"),
            PathPiece::Param(2),
        ],
        ..Operation::DEFAULT
    };

    fn draft() -> Draft {
        let client = Client::builder()
            .base_url("https://api.example.com")
            .build()
            .expect("a client");
        Draft::new(client, &LOGS)
    }

    fn broken(parameter: &'static str) -> Result<i64, InvalidParameter> {
        Err(InvalidParameter::new(
            parameter,
            Rule::Minimum {
                limit: crate::error::Number::Int(1),
                exclusive: false,
            },
            0,
        ))
    }

    #[test]
    fn writes_each_parameter_where_its_spec_says() {
        let mut draft = draft();
        draft.set(6, &50i64);
        draft.set(1, &"a b/c");
        draft.set(2, &"audit");
        draft.set(5, &"s1");
        draft.set(4, &"t-1");
        draft.set(3, &ParamsList(vec!["x", "y"]));
        let (request, _) = draft.into_parts();
        assert_eq!(request.path, "/groups/a%20b%2Fc/logs/.audit");
        assert_eq!(request.query, ["tags=x|y", "itemsPerPage=50"]);
        assert_eq!(request.headers.len(), 1);
        assert_eq!(request.headers[0].0.as_str(), "x-trace");
        assert_eq!(request.headers[0].1, "t-1");
        assert_eq!(request.cookies, ["session=s1"]);
        assert!(request.error.is_none());
    }

    #[test]
    fn a_value_set_again_replaces_the_first_even_a_broken_one() {
        let mut draft = draft();
        draft.set(1, &"g");
        draft.set(0, &broken("pageNum"));
        draft.set(0, &2i64);
        draft.set(6, &10i64);
        draft.set(6, &20i64);
        let (request, _) = draft.into_parts();
        assert_eq!(request.query, ["pageNum=2", "itemsPerPage=20"]);
        assert!(request.error.is_none());
    }

    #[test]
    fn reports_the_first_broken_rule_path_first() {
        let mut draft = draft();
        draft.set(0, &broken("pageNum"));
        draft.set(1, &"..");
        let Err(Error::InvalidRequest(error)) = draft.finish() else {
            panic!("the request must not be sent");
        };
        assert_eq!(error.parameter, "groupId");
        assert_eq!(error.rule, Rule::PathSegment);

        let mut draft = self::draft();
        draft.set(1, &"g");
        draft.set(6, &broken("itemsPerPage"));
        draft.set(0, &broken("pageNum"));
        let Err(Error::InvalidRequest(error)) = draft.finish() else {
            panic!("the request must not be sent");
        };
        assert_eq!(error.parameter, "pageNum", "the specification's order");
    }

    #[test]
    fn an_index_the_operation_lacks_is_ignored() {
        let mut draft = draft();
        draft.set(1, &"g");
        draft.set(99, &broken("nothing"));
        assert!(draft.finish().is_ok());
    }

    #[test]
    fn a_walk_starts_at_the_page_given_or_the_first() {
        let mut draft = draft();
        assert_eq!(draft.start_walk(0, Some(6), 100), (1, 100));
        let (request, _) = draft.into_parts();
        assert_eq!(
            request.query,
            ["pageNum=1"],
            "the first page is asked for by number"
        );

        let mut draft = self::draft();
        draft.set(0, &3i64);
        draft.set(6, &25i64);
        assert_eq!(draft.start_walk(0, Some(6), 100), (3, 25));
        assert_eq!(draft.start_walk(0, None, 100), (3, 100));

        let mut draft = self::draft();
        draft.set(0, &(i64::from(i32::MAX) + 1));
        assert_eq!(draft.start_walk(0, Some(6), 7), (1, 7));
        let (request, _) = draft.into_parts();
        assert_eq!(request.query, ["pageNum=1"]);

        let mut draft = self::draft();
        draft.set(0, &broken("pageNum"));
        assert_eq!(draft.start_walk(0, Some(6), 7), (1, 7));
        let (request, _) = draft.into_parts();
        assert_eq!(
            request.error.map(|e| e.parameter),
            Some("pageNum"),
            "a broken page is reported, not replaced"
        );
    }

    #[test]
    fn debug_names_the_operation_and_the_parameters_set() {
        let mut draft = draft();
        draft.set(1, &"g1");
        draft.set(0, &broken("pageNum"));
        let text = format!("{draft:?}");
        assert!(
            text.starts_with(r#"Draft { operation: "listLogs", parameters: {"pageNum": Err("#),
            "{text}"
        );
        assert!(text.contains(r#""groupId": Ok(Single("g1"))"#), "{text}");
        assert!(!text.contains("itemsPerPage"), "{text}");
    }

    /// A list parameter, as a generated array parameter type writes it.
    struct ParamsList(Vec<&'static str>);

    impl ParamValue for ParamsList {
        fn to_param_string(&self) -> String {
            self.0.join(",")
        }

        fn parts(&self) -> ParamParts {
            ParamParts::List(self.0.iter().map(|s| (*s).to_owned()).collect())
        }
    }
}
