//! The complexity of a compiled operation, computed as async-graphql's
//! validation computes it, so that the compiled path refuses exactly what
//! async-graphql would: every field as written (a key selected twice counts
//! twice, fragments are counted where they are spread, skipped fields
//! count), 1 plus its children, except fields with a complexity formula in
//! the schema (connections: `first` or `last` or 20 times their selection
//! plus 1; unpaged lists (`objectives`, `growthTargets`, ...):
//! `limits::LIST_SIZE` times plus 1, `whiteSpace.cells` `CELLS_SIZE`; lists
//! over a window of dates (`occurrences`, `agenda`): `limits::window_size`
//! times plus 1).
//!
//! Which fields have a formula, and each field's type, come from the
//! schema's registry (what async-graphql itself counts with), not from a
//! list kept here; a formula of another shape makes the document not
//! compile, so async-graphql counts it.
//!
//! The multipliers depend on the request's variables, so compiling keeps a
//! tree of [`Cost`]s and each request evaluates it (`exec`).

use super::compile::Arg;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::registry::{MetaField, MetaType, Registry};
use std::collections::HashMap;
use std::sync::LazyLock;

/// One field as written, with the fields under it.
pub(super) struct Cost {
    pub mul: Mul,
    pub kids: Vec<Cost>,
}

/// How a field's children count.
pub(super) enum Mul {
    /// 1 plus the children.
    One,
    /// A connection: `first` (or `last`, or 20) times the children, plus 1.
    Page { first: Arg, last: Arg },
    /// A list without paging: a fixed weight times the children, plus 1.
    List(usize),
    /// A list over a window of dates: `limits::window_size(from, to)` times
    /// the children, plus 1.
    Window { from: Arg, to: Arg },
}

/// The costs of the fields of an operation's root selection (`None`: a
/// field whose weight is not known here).
pub(super) fn cost_of(doc: &ExecutableDocument, root: &SelectionSet) -> Option<Vec<Cost>> {
    let mut out = Vec::new();
    walk(doc, root, "Query", &mut out)?;
    Some(out)
}

fn walk(doc: &ExecutableDocument, set: &SelectionSet, ty: &str, out: &mut Vec<Cost>) -> Option<()> {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let name = f.name.node.as_str();
                let arg = |n: &str| f.get_argument(n).map(|v| v.node.clone());
                let (child, mul) = match name {
                    "__typename" => ("", Mul::One),
                    _ => {
                        let (child, weight) = weights().get(&(ty.to_owned(), name.to_owned()))?;
                        let mul = match weight {
                            Weight::One => Mul::One,
                            Weight::List => Mul::List(crate::limits::LIST_SIZE),
                            Weight::Cells => Mul::List(crate::limits::CELLS_SIZE),
                            Weight::Page => Mul::Page {
                                first: arg("first"),
                                last: arg("last"),
                            },
                            Weight::Window => Mul::Window {
                                from: arg("from"),
                                to: arg("to"),
                            },
                            Weight::Unknown => return None,
                        };
                        (child.as_str(), mul)
                    }
                };
                let mut kids = Vec::new();
                walk(doc, &f.selection_set.node, child, &mut kids)?;
                out.push(Cost { mul, kids });
            }
            Selection::FragmentSpread(spread) => {
                let frag = doc.fragments.get(&spread.node.fragment_name.node)?;
                let on = frag.node.type_condition.node.on.node.as_str();
                walk(doc, &frag.node.selection_set.node, on, out)?;
            }
            Selection::InlineFragment(inline) => {
                let on = inline
                    .node
                    .type_condition
                    .as_ref()
                    .map_or(ty, |c| c.node.on.node.as_str());
                walk(doc, &inline.node.selection_set.node, on, out)?;
            }
        }
    }
    Some(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    /// No formula: 1 plus the children.
    One,
    /// A connection.
    Page,
    /// An unpaged list with a formula (`limits::LIST_SIZE`).
    List,
    /// `whiteSpace.cells` (`limits::CELLS_SIZE`).
    Cells,
    /// A list over `from`..`to`.
    Window,
    /// A formula of another shape: not compiled.
    Unknown,
}

type Weights = HashMap<(String, String), (String, Weight)>;

/// Every field of the schema's object and interface types: its named type
/// and how async-graphql weighs it, from the registry the schema is built
/// from.
fn weights() -> &'static Weights {
    static WEIGHTS: LazyLock<Weights> = LazyLock::new(|| {
        let mut registry = Registry::default();
        <crate::graphql::Query as async_graphql::OutputType>::create_type_info(&mut registry);
        let mut out = HashMap::new();
        for (name, ty) in &registry.types {
            let fields = match ty {
                MetaType::Object { fields, .. } | MetaType::Interface { fields, .. } => fields,
                _ => continue,
            };
            for (field, meta) in fields {
                let named = meta
                    .ty
                    .trim_matches(|c| matches!(c, '[' | ']' | '!'))
                    .to_owned();
                let weight = weight_of(meta, &named);
                out.insert((name.clone(), field.clone()), (named, weight));
            }
        }
        out
    });
    &WEIGHTS
}

/// How a field with its registry entry weighs (see [`Weight`]).
fn weight_of(meta: &MetaField, named: &str) -> Weight {
    let list = meta.ty.trim_end_matches('!').starts_with('[');
    match meta.compute_complexity {
        None => Weight::One,
        Some(_) if named.ends_with("Connection") && !list => Weight::Page,
        Some(_) if list && meta.args.contains_key("from") && meta.args.contains_key("to") => {
            Weight::Window
        }
        Some(_) if list && named == "WhiteSpaceCell" => Weight::Cells,
        Some(_) if list => Weight::List,
        Some(_) => Weight::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The weights found in the registry: spot checks of each kind, and no
    /// formula of an unknown shape in the schema (such a field would keep
    /// every document selecting it off the compiled path).
    #[test]
    fn weights_come_from_the_schema() {
        let w = |t: &str, f: &str| weights().get(&(t.to_owned(), f.to_owned())).cloned();
        assert_eq!(
            w("Query", "accounts"),
            Some(("AccountConnection".into(), Weight::Page))
        );
        assert_eq!(
            w("Account", "contacts"),
            Some(("ContactConnection".into(), Weight::Page))
        );
        assert_eq!(w("Account", "owner"), Some(("User".into(), Weight::One)));
        assert_eq!(
            w("Plan", "objectives"),
            Some(("Objective".into(), Weight::List))
        );
        assert_eq!(
            w("Plan", "growth"),
            Some(("GrowthRollup".into(), Weight::List))
        );
        assert_eq!(
            w("PlanReview", "reviewers"),
            Some(("User".into(), Weight::List))
        );
        assert_eq!(
            w("ActionItem", "contacts"),
            Some(("Contact".into(), Weight::List))
        );
        assert_eq!(
            w("WhiteSpace", "cells"),
            Some(("WhiteSpaceCell".into(), Weight::Cells))
        );
        assert_eq!(
            w("Viewer", "agenda"),
            Some(("Occurrence".into(), Weight::Window))
        );
        assert_eq!(
            w("ActionItem", "occurrences"),
            Some(("Occurrence".into(), Weight::Window))
        );
        assert_eq!(w("Node", "id"), Some(("ID".into(), Weight::One)));
        assert_eq!(
            w("Query", "products"),
            Some(("Product".into(), Weight::List))
        );
        let unknown: Vec<_> = weights()
            .iter()
            .filter(|(_, (_, w))| *w == Weight::Unknown)
            .map(|(k, _)| k)
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
    }
}
