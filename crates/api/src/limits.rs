//! Limits checked on the parsed document before anything executes, beside
//! async-graphql's own depth, complexity and directive limits.

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
};
use std::collections::HashSet;

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
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), _) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => {
            match ops.iter().find(|(n, _)| n.as_str() == name) {
                Some((_, o)) => o,
                None => return false,
            }
        }
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => match ops.values().next() {
            Some(o) => o,
            None => return false,
        },
        _ => return false,
    };
    op.node.ty == OperationType::Query && only_meta_fields(doc, &op.node.selection_set.node, 0)
}

fn only_meta_fields(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> bool {
    depth < 8
        && set.items.iter().all(|s| match &s.node {
            Selection::Field(f) => matches!(
                f.node.name.node.as_str(),
                "__schema" | "__type" | "__typename"
            ),
            Selection::InlineFragment(i) => {
                only_meta_fields(doc, &i.node.selection_set.node, depth + 1)
            }
            Selection::FragmentSpread(sp) => doc
                .fragments
                .get(&sp.node.fragment_name.node)
                .is_some_and(|f| only_meta_fields(doc, &f.node.selection_set.node, depth + 1)),
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
    fn the_operation_type_is_reported() {
        let doc = async_graphql::parser::parse_query("query A { a } mutation B { b }").unwrap();
        assert_eq!(
            check(&doc, Some("B"), &limits()).unwrap(),
            Some(OperationType::Mutation)
        );
        assert!(check(&doc, None, &limits()).is_err());
    }
}
