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
//! appearance, fragments expanded where they are spread and where their type
//! condition applies to the object: its type is known from the schema, or
//! from `__typename` under an interface or a union).

use crate::field_errors::FieldTypes;
use async_graphql::Value;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};

/// Reorders `data` (the result of operation `operation_name` of `doc`).
pub fn reorder(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    types: &FieldTypes,
    data: &mut Value,
) {
    if let Some(op) = operation(doc, operation_name) {
        let root = match op.ty {
            OperationType::Query => "Query",
            OperationType::Mutation => "Mutation",
            OperationType::Subscription => "Subscription",
        };
        let cx = Cx { doc, types };
        cx.reorder_value(&[&op.selection_set.node], Some(root), data, 0);
    }
}

struct Cx<'a> {
    doc: &'a ExecutableDocument,
    types: &'a FieldTypes,
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

/// Response keys in order of first appearance, each with its field name and
/// the selection sets merged under it.
type Collected<'a> = Vec<(&'a str, &'a str, Vec<&'a SelectionSet>)>;

impl<'a> Cx<'a> {
    /// Whether a fragment on `cond` applies to an object of type `ty`
    /// (unknown type: every fragment does, as before types were known).
    fn applies(&self, ty: Option<&str>, cond: Option<&str>) -> bool {
        match (ty, cond) {
            (Some(ty), Some(cond)) => self.types.applies(ty, cond),
            _ => true,
        }
    }

    fn collect(
        &self,
        set: &'a SelectionSet,
        ty: Option<&str>,
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
                    match out.iter_mut().find(|(k, _, _)| *k == key) {
                        Some((_, _, subs)) => subs.push(sub),
                        None => out.push((key, f.name.node.as_str(), vec![sub])),
                    }
                }
                Selection::InlineFragment(i) => {
                    let cond = i
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str());
                    if self.applies(ty, cond) {
                        self.collect(&i.node.selection_set.node, ty, out, depth + 1);
                    }
                }
                Selection::FragmentSpread(s) => {
                    if let Some(frag) = self.doc.fragments.get(&s.node.fragment_name.node) {
                        let cond = frag.node.type_condition.node.on.node.as_str();
                        if self.applies(ty, Some(cond)) {
                            self.collect(&frag.node.selection_set.node, ty, out, depth + 1);
                        }
                    }
                }
            }
        }
    }

    /// Reorders `v`, the value of a position of declared type `ty` (`None`:
    /// unknown).
    fn reorder_value(
        &self,
        sets: &[&'a SelectionSet],
        ty: Option<&str>,
        v: &mut Value,
        depth: usize,
    ) {
        if depth > 256 {
            return;
        }
        match v {
            Value::List(items) => {
                for i in items {
                    self.reorder_value(sets, ty, i, depth + 1);
                }
            }
            Value::Object(map) => {
                // Under an interface or a union the object's own type is its
                // `__typename`, when selected.
                let own = match ty {
                    Some(t) if self.types.is_abstract(t) => match map.get("__typename") {
                        Some(Value::String(n)) => Some(n.clone()),
                        _ => None,
                    },
                    other => other.map(str::to_owned),
                };
                let own = own.as_deref();
                let mut keys: Collected<'_> = Vec::new();
                for s in sets {
                    self.collect(s, own, &mut keys, 0);
                }
                map.sort_by_cached_key(|k, _| {
                    keys.iter()
                        .position(|(n, _, _)| *n == k.as_str())
                        .unwrap_or(usize::MAX)
                });
                for (k, child) in map.iter_mut() {
                    if let Some((_, field, subs)) = keys.iter().find(|(n, _, _)| *n == k.as_str())
                        && subs.iter().any(|s| !s.items.is_empty())
                    {
                        let child_ty = own.and_then(|t| self.types.field_type(t, field));
                        self.reorder_value(subs, child_ty, child, depth + 1);
                    }
                }
            }
            _ => {}
        }
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
        let types = FieldTypes::from_sdl(
            "type Query { b: Int a: [T] c: Int } type T { x: T y: Int z: Int w: Int }",
        );
        reorder(&doc, None, &types, &mut data);
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            r#"{"b":null,"a":[{"y":4,"w":3,"y2":2,"z":1},{"y":2,"w":1,"y2":4,"z":3}],"c":1}"#
        );
    }

    /// A key selected in fragments on other types first comes where the
    /// fragments that apply put it: by the declared type, or by
    /// `__typename` under an interface.
    #[test]
    fn fragments_on_other_types_do_not_place_keys() {
        let types = FieldTypes::from_sdl(
            "interface Node { id: ID! } type A implements Node { id: ID! k: Int n: Int } \
             type B implements Node { id: ID! k: Int n: Int } type Query { node: Node a: A }",
        );
        let doc = parse_query(
            "{ node { __typename ... on A { k n } ... on B { n k } } a { ... on B { n } ... F } } \
             fragment F on A { k n }",
        )
        .unwrap();
        let mut data: Value = serde_json::from_str::<serde_json::Value>(
            r#"{"a":{"n":2,"k":1},"node":{"k":1,"n":2,"__typename":"B"}}"#,
        )
        .map(|j| Value::from_json(j).unwrap())
        .unwrap();
        reorder(&doc, None, &types, &mut data);
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            r#"{"node":{"__typename":"B","n":2,"k":1},"a":{"k":1,"n":2}}"#
        );
    }
}
