//! Response maps in selection order.
//!
//! The GraphQL spec (Response, "Serialized Map Ordering") says the fields
//! of a result map should be written in the order the selection set asked for
//! them. async-graphql 7 resolves the fields of an object concurrently and
//! inserts each result as it completes, so a field that waits for the
//! database (a loader) lands after its siblings: the order of keys depends on
//! timing. Clients that hash, diff or snapshot responses, and the compiled
//! read path's byte-for-byte differential test, need one order: this puts
//! every object of `data` back into selection order (fields by first
//! appearance, fragments expanded where they are spread).

use async_graphql::Value;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, Selection, SelectionSet,
};

/// Reorders `data` (the result of operation `operation_name` of `doc`).
pub fn reorder(doc: &ExecutableDocument, operation_name: Option<&str>, data: &mut Value) {
    if let Some(op) = operation(doc, operation_name) {
        reorder_value(doc, &[&op.selection_set.node], data, 0);
    }
}

fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(n)) => ops.get(n).map(|o| &o.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|o| &o.node)
        }
        _ => None,
    }
}

/// Response keys in order of first appearance, each with the selection sets
/// merged under it.
type Collected<'a> = Vec<(&'a str, Vec<&'a SelectionSet>)>;

fn collect<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    out: &mut Collected<'a>,
    depth: usize,
) {
    // Validated documents have no fragment cycles; the bound is a backstop.
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let key = f.response_key().node.as_str();
                let sub = &f.selection_set.node;
                match out.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, subs)) => subs.push(sub),
                    None => out.push((key, vec![sub])),
                }
            }
            Selection::InlineFragment(i) => {
                collect(doc, &i.node.selection_set.node, out, depth + 1)
            }
            Selection::FragmentSpread(s) => {
                if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                    collect(doc, &frag.node.selection_set.node, out, depth + 1);
                }
            }
        }
    }
}

fn reorder_value(doc: &ExecutableDocument, sets: &[&SelectionSet], v: &mut Value, depth: usize) {
    if depth > 256 {
        return;
    }
    match v {
        Value::List(items) => {
            for i in items {
                reorder_value(doc, sets, i, depth + 1);
            }
        }
        Value::Object(map) => {
            let mut keys: Collected<'_> = Vec::new();
            for s in sets {
                collect(doc, s, &mut keys, 0);
            }
            map.sort_by_cached_key(|k, _| {
                keys.iter()
                    .position(|(n, _)| *n == k.as_str())
                    .unwrap_or(usize::MAX)
            });
            for (k, child) in map.iter_mut() {
                if let Some((_, subs)) = keys.iter().find(|(n, _)| *n == k.as_str())
                    && subs.iter().any(|s| !s.items.is_empty())
                {
                    reorder_value(doc, subs, child, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    #[test]
    fn objects_follow_the_selection_with_fragments_and_aliases() {
        let doc = parse_query(
            "query Q { b a: x { ...F z } c } fragment F on T { y ... on T { w } y2: y }",
        )
        .unwrap();
        let mut data: Value = serde_json::from_str::<serde_json::Value>(
            r#"{"c":1,"a":[{"z":1,"y2":2,"w":3,"y":4},{"w":1,"y":2,"z":3,"y2":4}],"b":null}"#,
        )
        .map(|j| Value::from_json(j).unwrap())
        .unwrap();
        reorder(&doc, None, &mut data);
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            r#"{"b":null,"a":[{"y":4,"w":3,"y2":2,"z":1},{"y":2,"w":1,"y2":4,"z":3}],"c":1}"#
        );
    }
}
