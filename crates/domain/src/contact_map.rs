//! The key contact map of an account: its contacts and the lines between
//! them (reporting lines and influence links), and the same graph rendered
//! as Mermaid and as Graphviz DOT.
//!
//! Influence links join two different contacts of one account; a link of a
//! kind between the same two contacts exists once.

use crate::contact::BuyingRole;
use crate::error::ValidationError;
use crate::text::optional_text;
use crate::text_enum;
use std::collections::HashMap;
use uuid::Uuid;

text_enum!(
    /// How one contact bears on another.
    InfluenceKind {
        /// `from` sways `to`'s decisions.
        Influences => "INFLUENCES",
        /// The two work together.
        Ally => "ALLY",
        /// The two work against each other.
        Rival => "RIVAL",
    }
);

text_enum!(
    /// How strong an influence link is.
    InfluenceStrength {
        Weak => "WEAK",
        Medium => "MEDIUM",
        Strong => "STRONG",
    }
);

/// Longest note on a link.
pub const MAX_NOTE: usize = 500;

/// A link to add, checked: not from a contact to themselves, a note of
/// bounded length. (That both are live contacts of one account is checked
/// against the data.)
pub fn check_link(
    from: Uuid,
    to: Uuid,
    note: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    if from == to {
        return Err(ValidationError::new(
            "toContactId",
            "a contact cannot influence themselves",
        ));
    }
    optional_text("note", note, MAX_NOTE)
}

/// A contact on the map.
#[derive(Debug, Clone)]
pub struct MapNode {
    pub id: Uuid,
    pub name: String,
    pub title: Option<String>,
    pub role: Option<BuyingRole>,
    /// Left the customer: drawn dashed and grey.
    pub left: bool,
}

/// What a line on the map is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    ReportsTo,
    Link(InfluenceKind),
}

/// A line on the map: `from` reports to, influences, or is allied with or
/// rival to `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEdge {
    pub from: Uuid,
    pub to: Uuid,
    pub kind: EdgeKind,
    pub strength: Option<InfluenceStrength>,
}

fn label(e: &MapEdge) -> String {
    let base = match e.kind {
        EdgeKind::ReportsTo => "reports to",
        EdgeKind::Link(InfluenceKind::Influences) => "influences",
        EdgeKind::Link(InfluenceKind::Ally) => "ally",
        EdgeKind::Link(InfluenceKind::Rival) => "rival",
    };
    match e.strength {
        Some(s) => format!("{base} ({})", s.as_str().to_lowercase()),
        None => base.to_owned(),
    }
}

/// Short stable names for the nodes, in the nodes' order: `c1`, `c2`, ...
fn short_ids(nodes: &[MapNode]) -> HashMap<Uuid, String> {
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, format!("c{}", i + 1)))
        .collect()
}

fn lines(n: &MapNode) -> Vec<String> {
    let mut l = vec![n.name.clone()];
    l.extend(n.title.clone());
    l.extend(n.role.map(|r| r.as_str().to_owned()));
    if n.left {
        l.push("left the company".into());
    }
    l
}

/// The map as a Mermaid flowchart: one node per contact (departed ones in
/// the `left` class), one line per edge (solid for reporting lines,
/// dotted for influence, both ways for allies and rivals).
pub fn mermaid(nodes: &[MapNode], edges: &[MapEdge]) -> String {
    let ids = short_ids(nodes);
    let esc = |s: &str| {
        s.replace('&', "#amp;")
            .replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
    };
    let mut out = String::from("flowchart BT\n");
    for n in nodes {
        let text: Vec<String> = lines(n).iter().map(|l| esc(l)).collect();
        out.push_str(&format!("  {}[\"{}\"]", ids[&n.id], text.join("<br/>")));
        if n.left {
            out.push_str(":::left");
        }
        out.push('\n');
    }
    for e in edges {
        let (Some(f), Some(t)) = (ids.get(&e.from), ids.get(&e.to)) else {
            continue;
        };
        let arrow = match e.kind {
            EdgeKind::ReportsTo => "-->",
            EdgeKind::Link(InfluenceKind::Influences) => "-.->",
            EdgeKind::Link(InfluenceKind::Ally) => "<-.->",
            EdgeKind::Link(InfluenceKind::Rival) => "x-.-x",
        };
        out.push_str(&format!("  {f} {arrow}|{}| {t}\n", esc(&label(e))));
    }
    out.push_str("  classDef left stroke-dasharray: 5 5,color:#888\n");
    out
}

/// The map as a Graphviz DOT digraph (`dot -Tsvg` draws it).
pub fn dot(nodes: &[MapNode], edges: &[MapEdge]) -> String {
    let ids = short_ids(nodes);
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let mut out = String::from(
        "digraph contact_map {\n  rankdir=BT;\n  node [shape=box, fontname=\"Helvetica\"];\n",
    );
    for n in nodes {
        let text: Vec<String> = lines(n).iter().map(|l| esc(l)).collect();
        out.push_str(&format!(
            "  \"{}\" [label=\"{}\"",
            ids[&n.id],
            text.join("\\n")
        ));
        if n.left {
            out.push_str(", style=dashed, fontcolor=gray");
        }
        out.push_str("];\n");
    }
    for e in edges {
        let (Some(f), Some(t)) = (ids.get(&e.from), ids.get(&e.to)) else {
            continue;
        };
        let style = match e.kind {
            EdgeKind::ReportsTo => "",
            EdgeKind::Link(InfluenceKind::Influences) => ", style=dashed",
            EdgeKind::Link(InfluenceKind::Ally) => ", style=dashed, dir=both, color=darkgreen",
            EdgeKind::Link(InfluenceKind::Rival) => ", style=dashed, dir=both, color=red",
        };
        out.push_str(&format!(
            "  \"{f}\" -> \"{t}\" [label=\"{}\"{style}];\n",
            esc(&label(e))
        ));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, left: bool) -> MapNode {
        MapNode {
            id: Uuid::now_v7(),
            name: name.into(),
            title: Some("VP \"Ops\"".into()),
            role: Some(BuyingRole::Coach),
            left,
        }
    }

    #[test]
    fn a_contact_does_not_influence_themselves() {
        let a = Uuid::now_v7();
        assert_eq!(check_link(a, a, None).unwrap_err().field, "toContactId");
        assert_eq!(
            check_link(a, Uuid::now_v7(), Some(&"x".repeat(501)))
                .unwrap_err()
                .field,
            "note"
        );
    }

    #[test]
    fn both_renderings_hold_every_node_and_edge_escaped() {
        let (a, b, c) = (
            node("Dana", false),
            node("Marcus", true),
            node("Elena", false),
        );
        let edges = vec![
            MapEdge {
                from: b.id,
                to: a.id,
                kind: EdgeKind::ReportsTo,
                strength: None,
            },
            MapEdge {
                from: c.id,
                to: a.id,
                kind: EdgeKind::Link(InfluenceKind::Influences),
                strength: Some(InfluenceStrength::Strong),
            },
        ];
        let nodes = [a, b, c];
        let m = mermaid(&nodes, &edges);
        assert!(m.starts_with("flowchart BT\n"));
        assert!(
            m.contains(
                "c2[\"Marcus<br/>VP #quot;Ops#quot;<br/>COACH<br/>left the company\"]:::left"
            ),
            "{m}"
        );
        assert!(m.contains("  c2 -->|reports to| c1\n"), "{m}");
        assert!(m.contains("  c3 -.->|influences (strong)| c1\n"), "{m}");
        let d = dot(&nodes, &edges);
        assert!(
            d.contains("\"c1\" [label=\"Dana\\nVP \\\"Ops\\\"\\nCOACH\"];"),
            "{d}"
        );
        assert!(
            d.contains("\"c3\" -> \"c1\" [label=\"influences (strong)\", style=dashed];"),
            "{d}"
        );
        assert_eq!(d.matches(" -> ").count(), 2);
    }
}
