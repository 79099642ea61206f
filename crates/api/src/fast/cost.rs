//! The complexity of a compiled operation, computed as async-graphql's
//! validation computes it, so that the compiled path refuses exactly what
//! async-graphql would: every field as written (a key selected twice counts
//! twice, fragments are counted where they are spread, skipped fields
//! count), 1 plus its children, except fields with a complexity formula in
//! the schema (connections: `first` or `last` or 20 times their selection
//! plus 1; unpaged lists (`objectives`, `growthTargets`, ...):
//! `limits::LIST_SIZE` times plus 1, `whiteSpace.cells` `CELLS_SIZE`).
//!
//! The multipliers depend on the request's variables, so compiling keeps a
//! tree of [`Cost`]s and each request evaluates it (`exec`).

use super::compile::Arg;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

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
}

/// The costs of the fields of an operation's root selection.
pub(super) fn cost_of(doc: &ExecutableDocument, root: &SelectionSet) -> Vec<Cost> {
    let mut out = Vec::new();
    walk(doc, root, "Query", &mut out);
    out
}

fn walk(doc: &ExecutableDocument, set: &SelectionSet, ty: &str, out: &mut Vec<Cost>) {
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => {
                let f = &f.node;
                let name = f.name.node.as_str();
                let (child, mul) = field_type(ty, name);
                let mul = match mul {
                    Weight::One => Mul::One,
                    Weight::List => Mul::List(crate::limits::LIST_SIZE),
                    Weight::Cells => Mul::List(crate::limits::CELLS_SIZE),
                    Weight::Page => {
                        let arg = |n: &str| f.get_argument(n).map(|v| v.node.clone());
                        Mul::Page {
                            first: arg("first"),
                            last: arg("last"),
                        }
                    }
                };
                let mut kids = Vec::new();
                walk(doc, &f.selection_set.node, &child, &mut kids);
                out.push(Cost { mul, kids });
            }
            Selection::FragmentSpread(spread) => {
                if let Some(frag) = doc.fragments.get(&spread.node.fragment_name.node) {
                    let on = frag.node.type_condition.node.on.node.as_str();
                    walk(doc, &frag.node.selection_set.node, on, out);
                }
            }
            Selection::InlineFragment(inline) => {
                let on = inline
                    .node
                    .type_condition
                    .as_ref()
                    .map_or(ty, |c| c.node.on.node.as_str());
                walk(doc, &inline.node.selection_set.node, on, out);
            }
        }
    }
}

enum Weight {
    One,
    Page,
    List,
    /// `whiteSpace.cells`.
    Cells,
}

/// The type of field `name` of `ty` and how it weighs, for the types the
/// compiled path reads (other fields never reach a plan).
fn field_type(ty: &str, name: &str) -> (String, Weight) {
    let (t, w) = match (ty, name) {
        ("Query", "account") | ("Contact" | "Plan", "account") => ("Account", Weight::One),
        ("Query", "accounts") => ("AccountConnection", Weight::Page),
        ("Query", "plans") => ("PlanConnection", Weight::Page),
        ("Query", "users") => ("UserConnection", Weight::Page),
        ("Query", "overdueActions") => ("OccurrenceConnection", Weight::Page),
        ("Occurrence", "actionItem") => ("ActionItem", Weight::One),
        ("Occurrence", "assessment") => ("Assessment", Weight::One),
        ("Query", "contact") | ("Contact", "reportsTo") => ("Contact", Weight::One),
        ("Query", "node") => ("Node", Weight::One),
        ("Query", "viewer") => ("Viewer", Weight::One),
        ("Viewer", "user") => ("User", Weight::One),
        ("Viewer", "tenant") => ("Tenant", Weight::One),
        ("Account", "contacts") => ("ContactConnection", Weight::Page),
        ("Account", "plans") => ("PlanConnection", Weight::Page),
        ("Account", "activities") => ("ActivityConnection", Weight::Page),
        ("Contact", "directReports") => ("Contact", Weight::List),
        ("Activity", "loggedBy") => ("User", Weight::One),
        ("Activity", "account") => ("Account", Weight::One),
        ("Activity", "contacts") => ("Contact", Weight::List),
        ("Account" | "Plan" | "Objective", "owner") | ("Contact", "relationshipOwner") => {
            ("User", Weight::One)
        }
        ("Account", "annualRevenue" | "walletEstimate") => ("Money", Weight::One),
        (_, "externalRef") => ("ExternalRef", Weight::One),
        ("Plan", "objectives") => ("Objective", Weight::List),
        ("Plan", "growthTargets") => ("GrowthTarget", Weight::List),
        ("Plan", "reviews") => ("PlanReview", Weight::List),
        ("Plan", "contingencies") => ("Contingency", Weight::List),
        ("Plan", "actionItems") => ("ActionItem", Weight::List),
        ("PlanReview", "revisions") => ("String", Weight::List),
        ("Objective", "progress") => ("ProgressPoint", Weight::List),
        ("Objective", "plan") => ("Plan", Weight::One),
        ("Account", "whiteSpace") => ("WhiteSpace", Weight::One),
        ("WhiteSpace", "rows") => ("BusinessUnit", Weight::List),
        ("WhiteSpace", "columns") => ("Product", Weight::List),
        ("WhiteSpace", "cells") => ("WhiteSpaceCell", Weight::Cells),
        ("WhiteSpace", "totals") => ("WhiteSpaceTotals", Weight::List),
        ("GrowthTarget", "target" | "actual" | "variance")
        | ("WhiteSpaceCell", "estimatedValue") => ("Money", Weight::One),
        (_, "pageInfo") => ("PageInfo", Weight::One),
        _ => {
            if let Some(node) = ty.strip_suffix("Connection") {
                match name {
                    "nodes" => return (node.to_owned(), Weight::One),
                    "edges" => return (format!("{node}Edge"), Weight::One),
                    _ => {}
                }
            }
            if let (Some(node), "node") = (ty.strip_suffix("Edge"), name) {
                return (node.to_owned(), Weight::One);
            }
            ("", Weight::One)
        }
    };
    (t.to_owned(), w)
}
