//! Limits checked on the parsed document before anything executes, beside
//! async-graphql's own depth, complexity and directive limits.

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use std::collections::HashSet;

/// How many items a list without paging arguments counts for in the
/// complexity score (objectives of a plan, contacts of an activity, direct
/// reports, ...): its documented nominal size. A longer list still runs,
/// within the response ceiling (`response_budget`).
pub const LIST_SIZE: usize = 10;
/// `whiteSpace.cells`: business units times products.
pub const CELLS_SIZE: usize = 100;

/// How many items a list over a window of dates counts for: one per day,
/// `from` and `to` included (a window is at most 366 days; a reversed one
/// counts 1 and is refused when it runs).
pub fn window_size(from: chrono::NaiveDate, to: chrono::NaiveDate) -> usize {
    usize::try_from((to - from).num_days().clamp(0, 366)).unwrap_or(0) + 1
}

/// Most items in one list argument (`filter.tiers`, `contactIds`, ...),
/// given literally or in variables: more is `LIMIT_EXCEEDED` naming it.
pub const MAX_LIST_ITEMS: usize = 100;

/// Refuses a list longer than [`MAX_LIST_ITEMS`] anywhere in the request's
/// variables, naming it (`variables.i.tiers`).
pub fn check_variable_lists(variables: &serde_json::Value) -> ApiResult<()> {
    fn walk(v: &serde_json::Value, path: &mut String) -> ApiResult<()> {
        match v {
            serde_json::Value::Array(items) => {
                if items.len() > MAX_LIST_ITEMS {
                    return Err(list_too_long(path, items.len()));
                }
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!(".{i}"));
                    walk(item, path)?;
                    path.truncate(len);
                }
            }
            serde_json::Value::Object(fields) => {
                for (k, item) in fields {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    walk(item, path)?;
                    path.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(variables, &mut "variables".to_owned())
}

fn list_too_long(path: &str, n: usize) -> ApiError {
    ApiError::LimitExceeded(format!(
        "`{path}` has {n} items; a list argument may hold at most {MAX_LIST_ITEMS}"
    ))
}

/// Refuses a literal list argument longer than [`MAX_LIST_ITEMS`] in the
/// document (operations and fragments), naming the field and argument.
fn check_literal_lists(doc: &ExecutableDocument) -> ApiResult<()> {
    use async_graphql::Value as V;
    fn value(v: &V, path: &str) -> ApiResult<()> {
        match v {
            V::List(items) if items.len() > MAX_LIST_ITEMS => Err(list_too_long(path, items.len())),
            V::List(items) => items.iter().try_for_each(|i| value(i, path)),
            V::Object(fields) => fields
                .iter()
                .try_for_each(|(k, i)| value(i, &format!("{path}.{k}"))),
            _ => Ok(()),
        }
    }
    fn set(s: &SelectionSet) -> ApiResult<()> {
        for sel in &s.items {
            match &sel.node {
                Selection::Field(f) => {
                    for (name, v) in &f.node.arguments {
                        let path = format!("{}({})", f.node.name.node, name.node);
                        value(&v.node.clone().into_const().unwrap_or_default(), &path)?;
                    }
                    set(&f.node.selection_set.node)?;
                }
                Selection::InlineFragment(i) => set(&i.node.selection_set.node)?,
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }
    for (_, o) in doc.operations.iter() {
        set(&o.node.selection_set.node)?;
    }
    for f in doc.fragments.values() {
        set(&f.node.selection_set.node)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_aliases: usize,
    pub max_root_fields: usize,
    pub max_tokens: usize,
    pub max_query_bytes: usize,
}

impl Limits {
    pub fn from_config(c: &Config) -> Self {
        Self {
            max_aliases: c.max_aliases,
            max_root_fields: c.max_root_fields,
            max_tokens: c.max_tokens,
            max_query_bytes: c.max_query_bytes,
        }
    }
}

/// Checks the document's size and token count before it is parsed, so that
/// a huge or token-stuffed document costs no parser work.
pub fn check_text(query: &str, limits: &Limits) -> ApiResult<()> {
    if query.len() > limits.max_query_bytes {
        return Err(ApiError::LimitExceeded(format!(
            "the document has {} bytes; at most {} are allowed",
            query.len(),
            limits.max_query_bytes
        )));
    }
    let tokens = count_tokens(query, limits.max_tokens + 1);
    if tokens > limits.max_tokens {
        return Err(ApiError::LimitExceeded(format!(
            "the document has more than {} tokens",
            limits.max_tokens
        )));
    }
    Ok(())
}

/// Counts GraphQL lexical tokens (punctuators, names, numbers, strings),
/// skipping whitespace, commas and comments; stops counting at `stop`.
pub fn count_tokens(query: &str, stop: usize) -> usize {
    let b = query.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() && n < stop {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            0xEF if b[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => i += 3,
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' if b[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < b.len() && !b[i..].starts_with(b"\"\"\"") {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 3;
                n += 1;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                n += 1;
            }
            b'.' if b[i..].starts_with(b"...") => {
                i += 3;
                n += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'+' | b'-'))
                {
                    i += 1;
                }
                n += 1;
            }
            _ => {
                i += 1;
                n += 1;
            }
        }
    }
    n
}

/// Checks the limits and returns the type of the operation that will run.
pub fn check(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    limits: &Limits,
) -> ApiResult<Option<OperationType>> {
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => {
            ops.iter().find(|(n, _)| n.as_str() == name).map(|(_, o)| o)
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        (DocumentOperations::Multiple(_), None) => {
            return Err(ApiError::validation(
                "operationName",
                "the document has several operations: name the one to run",
            ));
        }
    };
    let Some(op) = op else {
        return Err(ApiError::validation(
            "operationName",
            "no operation of this name in the document",
        ));
    };

    let mut aliases = 0;
    for (_, o) in doc.operations.iter() {
        aliases += count_aliases(&o.node.selection_set.node);
    }
    for f in doc.fragments.values() {
        aliases += count_aliases(&f.node.selection_set.node);
    }
    if aliases > limits.max_aliases {
        return Err(ApiError::LimitExceeded(format!(
            "the document has {aliases} aliases; at most {} are allowed",
            limits.max_aliases
        )));
    }
    check_literal_lists(doc)?;
    if introspection_too_deep(doc, &op.node.selection_set.node, None, &mut Vec::new()) {
        return Err(ApiError::LimitExceeded(format!(
            "introspection may nest `fields`, `inputFields`, `interfaces` and `possibleTypes` \
             at most {} levels deep, and `ofType` at most {MAX_OF_TYPE_DEPTH}",
            MAX_INTROSPECTION_LISTS - 1
        )));
    }
    let mut seen = HashSet::new();
    let roots = count_root_fields(doc, &op.node.selection_set.node, &mut seen);
    if roots > limits.max_root_fields {
        return Err(ApiError::LimitExceeded(format!(
            "the operation selects {roots} root fields; at most {} are allowed",
            limits.max_root_fields
        )));
    }
    Ok(Some(op.node.ty))
}

/// Whether the operation only asks for the schema (`__schema`, `__type`,
/// `__typename` at the root): such operations touch no data, and the
/// standard introspection query of GraphiQL and code generators nests
/// deeper than data queries are allowed to.
pub fn is_introspection_only(doc: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    chosen(doc, operation_name).is_some_and(|op| {
        op.ty == OperationType::Query
            && only_root_fields(
                doc,
                &op.selection_set.node,
                &["__schema", "__type", "__typename"],
                0,
            )
    })
}

/// Whether the document (within the text limits) runs only `login` or
/// `refreshToken` mutations (and `__typename`): operations that take no
/// caller, so a stale access token sent beside them is ignored.
pub fn is_sign_in_only(query: &str, operation_name: Option<&str>, limits: &Limits) -> bool {
    if check_text(query, limits).is_err() {
        return false;
    }
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return false;
    };
    check(&doc, operation_name, limits).is_ok()
        && chosen(&doc, operation_name).is_some_and(|op| {
            op.ty == OperationType::Mutation
                && only_root_fields(
                    &doc,
                    &op.selection_set.node,
                    &["login", "refreshToken", "__typename"],
                    0,
                )
        })
}

/// The operation a request with `operation_name` runs, if the document
/// names exactly one (as [`check`] chooses it).
fn chosen<'a>(
    doc: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a async_graphql::parser::types::OperationDefinition> {
    match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, o)| &o.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|o| &o.node)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// Whether every root field of `set` (through fragments) is one of `allowed`.
fn only_root_fields(
    doc: &ExecutableDocument,
    set: &SelectionSet,
    allowed: &[&str],
    depth: usize,
) -> bool {
    depth < 8
        && set.items.iter().all(|s| match &s.node {
            Selection::Field(f) => allowed.contains(&f.node.name.node.as_str()),
            Selection::InlineFragment(i) => {
                only_root_fields(doc, &i.node.selection_set.node, allowed, depth + 1)
            }
            Selection::FragmentSpread(sp) => doc
                .fragments
                .get(&sp.node.fragment_name.node)
                .is_some_and(|f| {
                    only_root_fields(doc, &f.node.selection_set.node, allowed, depth + 1)
                }),
        })
}

/// Nesting of the introspection lists (`fields`, `inputFields`,
/// `interfaces`, `possibleTypes`) refused from this level on, as graphql-js's
/// `MaxIntrospectionDepthRule` does: each level multiplies the response by
/// the schema's size, and the standard introspection query needs one.
const MAX_INTROSPECTION_LISTS: usize = 3;
/// Deepest `ofType` chain accepted (GraphiQL's introspection query nests 9;
/// a wrapped type is at most a few levels deep).
const MAX_OF_TYPE_DEPTH: usize = 12;

/// Whether a `__schema` / `__type` selection of `set` nests introspection
/// lists [`MAX_INTROSPECTION_LISTS`] deep or `ofType` beyond
/// [`MAX_OF_TYPE_DEPTH`], through fragments (each spread followed once per
/// path). `inside` is `None` outside introspection, else (lists, ofType).
fn introspection_too_deep<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    inside: Option<(usize, usize)>,
    spreads: &mut Vec<&'a str>,
) -> bool {
    set.items.iter().any(|s| match &s.node {
        Selection::Field(f) => {
            let name = f.node.name.node.as_str();
            let inside = match (inside, name) {
                (None, "__schema" | "__type") => Some((0, 0)),
                (None, _) => None,
                (Some((lists, of)), "fields" | "inputFields" | "interfaces" | "possibleTypes") => {
                    Some((lists + 1, of))
                }
                (Some((lists, of)), "ofType") => Some((lists, of + 1)),
                (Some(d), _) => Some(d),
            };
            if inside.is_some_and(|(lists, of)| {
                lists >= MAX_INTROSPECTION_LISTS || of > MAX_OF_TYPE_DEPTH
            }) {
                return true;
            }
            introspection_too_deep(doc, &f.node.selection_set.node, inside, spreads)
        }
        Selection::InlineFragment(i) => {
            introspection_too_deep(doc, &i.node.selection_set.node, inside, spreads)
        }
        Selection::FragmentSpread(sp) => {
            let name = sp.node.fragment_name.node.as_str();
            if spreads.contains(&name) {
                return false; // a cycle: refused by validation
            }
            let Some(f) = doc.fragments.get(&sp.node.fragment_name.node) else {
                return false;
            };
            spreads.push(name);
            let deep = introspection_too_deep(doc, &f.node.selection_set.node, inside, spreads);
            spreads.pop();
            deep
        }
    })
}

fn count_aliases(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(f) => {
                usize::from(f.node.alias.is_some()) + count_aliases(&f.node.selection_set.node)
            }
            Selection::InlineFragment(i) => count_aliases(&i.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

fn count_root_fields<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashSet<&'a str>,
) -> usize {
    set.items
        .iter()
        .map(|s| match &s.node {
            Selection::Field(_) => 1,
            Selection::InlineFragment(i) => {
                count_root_fields(doc, &i.node.selection_set.node, seen)
            }
            Selection::FragmentSpread(sp) => {
                let name = sp.node.fragment_name.node.as_str();
                if !seen.insert(name) {
                    return 0;
                }
                doc.fragments
                    .get(&sp.node.fragment_name.node)
                    .map_or(0, |f| {
                        count_root_fields(doc, &f.node.selection_set.node, seen)
                    })
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_aliases: 3,
            max_root_fields: 2,
            max_tokens: 1000,
            max_query_bytes: 10_000,
        }
    }

    #[test]
    fn aliases_and_root_fields_are_counted() {
        let doc =
            async_graphql::parser::parse_query("{ a: viewer { id } b: viewer { id } }").unwrap();
        assert!(check(&doc, None, &limits()).is_ok());
        let doc =
            async_graphql::parser::parse_query("{ a: viewer { x: id y: id } b: viewer { id } }")
                .unwrap();
        assert!(matches!(
            check(&doc, None, &limits()),
            Err(ApiError::LimitExceeded(_))
        ));
        let doc =
            async_graphql::parser::parse_query("{ ...F } fragment F on Query { a b c }").unwrap();
        assert!(matches!(
            check(&doc, None, &limits()),
            Err(ApiError::LimitExceeded(_))
        ));
    }

    #[test]
    fn tokens_are_counted_like_the_lexer_does() {
        assert_eq!(count_tokens("{ a b }", 100), 4);
        assert_eq!(
            count_tokens("query Q($x: Int = -1.5e3) { a(x: $x) }", 100),
            19
        );
        assert_eq!(count_tokens("# comment\n{ a(s: \"x, y { }\") }", 100), 8);
        assert_eq!(count_tokens("{ ...F } fragment F on Q { a }", 100), 11);
        assert_eq!(count_tokens(&"{ a }".repeat(1000), 10), 10, "stops early");
        let l = Limits {
            max_aliases: 10,
            max_root_fields: 10,
            max_tokens: 5,
            max_query_bytes: 100,
        };
        assert!(check_text("{ a b }", &l).is_ok());
        assert!(matches!(
            check_text("{ a b c d }", &l),
            Err(ApiError::LimitExceeded(_))
        ));
        assert!(matches!(
            check_text(&"a".repeat(101), &l),
            Err(ApiError::LimitExceeded(_))
        ));
    }

    #[test]
    fn introspection_only_operations_are_recognised() {
        let doc =
            async_graphql::parser::parse_query("query I { __schema { types { name } } }").unwrap();
        assert!(is_introspection_only(&doc, None));
        let doc = async_graphql::parser::parse_query(
            "{ __schema { types { name } } viewer { user { id } } }",
        )
        .unwrap();
        assert!(!is_introspection_only(&doc, None));
        let doc = async_graphql::parser::parse_query(
            "{ ...F } fragment F on Query { __type(name: \"X\") { name } }",
        )
        .unwrap();
        assert!(is_introspection_only(&doc, None));
    }

    #[test]
    fn introspection_nests_lists_at_most_two_levels_deep() {
        let deep = |q: &str| {
            let doc = async_graphql::parser::parse_query(q).unwrap();
            matches!(
                check(&doc, None, &limits()),
                Err(ApiError::LimitExceeded(_))
            )
        };
        // The standard introspection query's shapes.
        assert!(!deep(
            "{ __schema { types { fields { type { ofType { ofType { name } } } } interfaces { name } possibleTypes { name } inputFields { name } } } }"
        ));
        assert!(!deep(
            "{ __type(name: \"Node\") { possibleTypes { interfaces { name } } } }"
        ));
        assert!(deep(
            "{ __type(name: \"Node\") { possibleTypes { interfaces { possibleTypes { name } } } } }"
        ));
        assert!(deep(
            "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
        ));
        // Through fragments, named and inline.
        assert!(deep(
            "{ __type(name: \"Node\") { ...A } } fragment A on __Type { possibleTypes { ... on __Type { interfaces { ...B } } } } fragment B on __Type { possibleTypes { name } }"
        ));
        let of_type = |n: usize| {
            format!(
                "{{ __type(name: \"X\") {{ {} name {} }} }}",
                "ofType { ".repeat(n),
                "} ".repeat(n)
            )
        };
        assert!(!deep(&of_type(MAX_OF_TYPE_DEPTH)));
        assert!(deep(&of_type(MAX_OF_TYPE_DEPTH + 1)));
        // Data fields that happen to be called `fields` do not count.
        assert!(!deep("{ a { fields { fields { fields { x } } } } }"));
    }

    #[test]
    fn sign_in_only_documents_are_recognised() {
        let l = limits();
        assert!(is_sign_in_only(
            "mutation { login(input: {}) { accessToken } }",
            None,
            &l
        ));
        assert!(is_sign_in_only(
            "mutation R { refreshToken(input: {}) { accessToken } } query Q { viewer { id } }",
            Some("R"),
            &l
        ));
        assert!(!is_sign_in_only(
            "mutation R { refreshToken(input: {}) { accessToken } } query Q { viewer { id } }",
            Some("Q"),
            &l
        ));
        assert!(!is_sign_in_only(
            "mutation { login(input: {}) { accessToken } deleteAccount(input: {}) { id } }",
            None,
            &l
        ));
        assert!(!is_sign_in_only("{ viewer { id } }", None, &l));
    }

    #[test]
    fn the_operation_type_is_reported() {
        let doc = async_graphql::parser::parse_query("query A { a } mutation B { b }").unwrap();
        assert_eq!(
            check(&doc, Some("B"), &limits()).unwrap(),
            Some(OperationType::Mutation)
        );
        assert!(check(&doc, None, &limits()).is_err());
    }
}
