//! Field errors as the spec handles them ("Handling Execution Errors"): an
//! errored field is present as `null`, and when its type is non-null the
//! `null` goes to the nearest nullable position above it (a field or a list
//! item), up to `"data": null`.
//!
//! async-graphql 7 leaves an errored field out of its object instead
//! (`resolver_utils::container`), so a client finds neither the value nor a
//! `null`: Relay's refetch throws, Apollo's cache refetches in a loop, typed
//! clients read a key their types promise. This completes the response after
//! execution from the errors' paths, the document and the schema's types.

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet, Type,
    TypeKind,
};
use async_graphql::{PathSegment, ServerError, Value};
use std::collections::HashMap;

/// The declared type of every field of the schema's object and interface
/// types, by type and field name.
pub struct FieldTypes {
    fields: HashMap<String, HashMap<String, Type>>,
    /// Per object type, the interfaces it implements and the unions it is a
    /// member of (what a fragment's type condition may name).
    supertypes: HashMap<String, Vec<String>>,
    /// Interface and union names.
    abstract_types: std::collections::HashSet<String>,
}

impl FieldTypes {
    /// From the schema's SDL (`Schema::sdl`); unparsable SDL gives no types,
    /// and then nothing is completed.
    pub fn from_sdl(sdl: &str) -> Self {
        use async_graphql::parser::types::TypeSystemDefinition;
        let mut fields = HashMap::new();
        let mut supertypes: HashMap<String, Vec<String>> = HashMap::new();
        let mut abstract_types = std::collections::HashSet::new();
        if let Ok(doc) = async_graphql::parser::parse_schema(sdl) {
            for def in doc.definitions {
                let TypeSystemDefinition::Type(t) = def else {
                    continue;
                };
                let name = t.node.name.node.to_string();
                match &t.node.kind {
                    TypeKind::Object(o) => supertypes
                        .entry(name.clone())
                        .or_default()
                        .extend(o.implements.iter().map(|i| i.node.to_string())),
                    TypeKind::Interface(_) => {
                        abstract_types.insert(name.clone());
                    }
                    TypeKind::Union(u) => {
                        abstract_types.insert(name.clone());
                        for m in &u.members {
                            supertypes
                                .entry(m.node.to_string())
                                .or_default()
                                .push(name.clone());
                        }
                    }
                    _ => {}
                }
                let defs = match &t.node.kind {
                    TypeKind::Object(o) => &o.fields,
                    TypeKind::Interface(i) => &i.fields,
                    _ => continue,
                };
                let by_name: HashMap<String, Type> = defs
                    .iter()
                    .map(|f| (f.node.name.node.to_string(), f.node.ty.node.clone()))
                    .collect();
                fields.insert(t.node.name.node.to_string(), by_name);
            }
        }
        Self {
            fields,
            supertypes,
            abstract_types,
        }
    }

    fn field(&self, parent: &str, name: &str) -> Option<&Type> {
        self.fields.get(parent)?.get(name)
    }

    /// The named type of field `name` of `parent`.
    pub(crate) fn field_type(&self, parent: &str, name: &str) -> Option<&str> {
        self.field(parent, name).map(named)
    }

    /// Whether `ty` is an interface or a union.
    pub(crate) fn is_abstract(&self, ty: &str) -> bool {
        self.abstract_types.contains(ty)
    }

    /// Whether a fragment on `cond` applies to an object of type `ty`.
    pub(crate) fn applies(&self, ty: &str, cond: &str) -> bool {
        ty == cond
            || self
                .supertypes
                .get(ty)
                .is_some_and(|s| s.iter().any(|t| t == cond))
    }
}

/// Puts `null` where each error of `errors` left its field out, and moves
/// it up past non-null positions. Errors without a path (request errors)
/// and paths the document does not explain are left alone.
pub fn complete(
    types: &FieldTypes,
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    data: &mut Value,
    errors: &[ServerError],
) {
    let Some((root, set)) = operation(doc, operation_name) else {
        return;
    };
    for e in errors.iter().filter(|e| !e.path.is_empty()) {
        if let Some(nullable) = positions(types, doc, root, set, &e.path) {
            null_at(data, &e.path, &nullable);
        }
    }
}

fn operation<'a>(
    doc: &'a ExecutableDocument,
    name: Option<&str>,
) -> Option<(&'static str, &'a SelectionSet)> {
    let op = match (&doc.operations, name) {
        (DocumentOperations::Single(op), _) => &op.node,
        (DocumentOperations::Multiple(ops), Some(n)) => &ops.get(n)?.node,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => &ops.values().next()?.node,
        _ => return None,
    };
    let root = match op.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    Some((root, &op.selection_set.node))
}

/// For each segment of `path`, whether that position may be `null`.
fn positions(
    types: &FieldTypes,
    doc: &ExecutableDocument,
    root: &str,
    set: &SelectionSet,
    path: &[PathSegment],
) -> Option<Vec<bool>> {
    let mut parent = root.to_owned();
    let mut sets: Vec<&SelectionSet> = vec![set];
    let mut current: Option<&Type> = None;
    let mut out = Vec::with_capacity(path.len());
    for seg in path {
        let ty = match seg {
            PathSegment::Field(key) => {
                let (ty, subs) = find(types, doc, &sets, &parent, key)?;
                sets = subs;
                ty
            }
            PathSegment::Index(_) => match &current?.base {
                BaseType::List(item) => item,
                BaseType::Named(_) => return None,
            },
        };
        out.push(ty.nullable);
        parent = named(ty).to_owned();
        current = Some(ty);
    }
    Some(out)
}

fn named(t: &Type) -> &str {
    match &t.base {
        BaseType::Named(n) => n.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// The type of the field with response key `key` in `sets` (on `parent`, or
/// on the type condition of the fragment it is in), and the selection sets
/// under that key.
fn find<'t, 'd>(
    types: &'t FieldTypes,
    doc: &'d ExecutableDocument,
    sets: &[&'d SelectionSet],
    parent: &str,
    key: &str,
) -> Option<(&'t Type, Vec<&'d SelectionSet>)> {
    let mut found: Option<&'t Type> = None;
    let mut subs = Vec::new();
    for set in sets {
        walk(types, doc, set, parent, key, &mut found, &mut subs, 0);
    }
    found.map(|t| (t, subs))
}

#[allow(clippy::too_many_arguments)]
fn walk<'t, 'd>(
    types: &'t FieldTypes,
    doc: &'d ExecutableDocument,
    set: &'d SelectionSet,
    parent: &str,
    key: &str,
    found: &mut Option<&'t Type>,
    subs: &mut Vec<&'d SelectionSet>,
    depth: usize,
) {
    // Validated documents have no fragment cycles; the bound is a backstop.
    if depth > 64 {
        return;
    }
    for item in &set.items {
        match &item.node {
            Selection::Field(f) if f.node.response_key().node.as_str() == key => {
                if found.is_none() {
                    *found = types.field(parent, f.node.name.node.as_str());
                }
                subs.push(&f.node.selection_set.node);
            }
            Selection::Field(_) => {}
            Selection::InlineFragment(i) => {
                let on = i
                    .node
                    .type_condition
                    .as_ref()
                    .map_or(parent, |c| c.node.on.node.as_str());
                walk(
                    types,
                    doc,
                    &i.node.selection_set.node,
                    on,
                    key,
                    found,
                    subs,
                    depth + 1,
                );
            }
            Selection::FragmentSpread(s) => {
                if let Some(frag) = doc.fragments.get(&s.node.fragment_name.node) {
                    let on = frag.node.type_condition.node.on.node.as_str();
                    walk(
                        types,
                        doc,
                        &frag.node.selection_set.node,
                        on,
                        key,
                        found,
                        subs,
                        depth + 1,
                    );
                }
            }
        }
    }
}

/// Sets `null` at the deepest nullable position of `path` at or above its
/// end (`nullable[i]` for segment `i`), or makes `data` null.
fn null_at(data: &mut Value, path: &[PathSegment], nullable: &[bool]) {
    let mut end = path.len();
    loop {
        let Some(target) = nullable[..end].iter().rposition(|n| *n) else {
            *data = Value::Null;
            return;
        };
        match set_null(data, &path[..=target]) {
            // A non-null position on the way is already null (an earlier
            // error, or async-graphql nulled an object whose fields all
            // failed): the null belongs above it.
            Err(at) if !nullable[at] => end = at,
            _ => return,
        }
    }
}

/// Sets the value at `path` to `null`, inserting the key if it is missing.
/// `Err(i)`: segment `i` on the way is `null` (nothing below to set).
fn set_null(data: &mut Value, path: &[PathSegment]) -> Result<(), usize> {
    let mut v = data;
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        v = match (v, seg) {
            (Value::Object(map), PathSegment::Field(k)) => {
                let name = async_graphql::Name::new(k);
                if last {
                    map.insert(name, Value::Null);
                    return Ok(());
                }
                match map.get_mut(&name) {
                    Some(Value::Null) => return Err(i),
                    Some(child) => child,
                    // The key is missing above the error: nothing to complete.
                    None => return Ok(()),
                }
            }
            (Value::List(items), PathSegment::Index(n)) => match items.get_mut(*n) {
                Some(Value::Null) if !last => return Err(i),
                Some(item) if last => {
                    *item = Value::Null;
                    return Ok(());
                }
                Some(item) => item,
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    const SDL: &str = "
        type Query { viewer: Viewer! node(id: ID!): Node account(id: ID!): Account! accounts: [Account!]! maybe: [Account] }
        type Viewer { name: String! }
        interface Node { id: ID! }
        type Account implements Node { id: ID! name: String! note: String contacts: Conn! }
        type Conn { nodes: [Contact!]! }
        type Contact { id: ID! boss: Contact }
    ";

    fn run(query: &str, data: &str, paths: &[&[PathSegment]]) -> String {
        let types = FieldTypes::from_sdl(SDL);
        let doc = parse_query(query).unwrap();
        let mut data = Value::from_json(serde_json::from_str(data).unwrap()).unwrap();
        let errors: Vec<ServerError> = paths
            .iter()
            .map(|p| {
                let mut e = ServerError::new("boom", None);
                e.path = p.to_vec();
                e
            })
            .collect();
        complete(&types, &doc, None, &mut data, &errors);
        serde_json::to_string(&data).unwrap()
    }

    /// Equal as JSON (the test data's maps come from serde_json, sorted).
    fn eq(got: &str, want: &str) {
        let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(parse(got), parse(want), "{got}");
    }

    fn f(s: &str) -> PathSegment {
        PathSegment::Field(s.into())
    }

    #[test]
    fn an_errored_nullable_field_is_null() {
        let got = run(
            "{ viewer { name } node(id: 1) { id } }",
            r#"{"viewer":{"name":"a"}}"#,
            &[&[f("node")]],
        );
        eq(&got, r#"{"viewer":{"name":"a"},"node":null}"#);
        // Through an alias and a fragment on the interface.
        let got = run(
            "{ n: node(id: 1) { ... on Account { note } } }",
            r#"{"n":{}}"#,
            &[&[f("n"), f("note")]],
        );
        eq(&got, r#"{"n":{"note":null}}"#);
    }

    #[test]
    fn a_non_null_root_field_nulls_data() {
        let got = run(
            "{ viewer { name } account(id: 1) { id } }",
            r#"{"viewer":{"name":"a"}}"#,
            &[&[f("account")]],
        );
        eq(&got, "null");
    }

    #[test]
    fn non_null_errors_travel_up_through_lists_to_a_nullable_position() {
        // contacts (non-null) of account (non-null) of a nullable list item.
        let got = run(
            "{ maybe { id contacts { nodes { id } } } }",
            r#"{"maybe":[{"id":"1"},{"id":"2","contacts":{"nodes":[]}}]}"#,
            &[&[f("maybe"), PathSegment::Index(0), f("contacts")]],
        );
        eq(
            &got,
            r#"{"maybe":[null,{"id":"2","contacts":{"nodes":[]}}]}"#,
        );
        // In a list of non-null items the whole (non-null) list field goes,
        // and with it data.
        let got = run(
            "{ accounts { id name } viewer { name } }",
            r#"{"accounts":[{"id":"1"}],"viewer":{"name":"a"}}"#,
            &[&[f("accounts"), PathSegment::Index(0), f("name")]],
        );
        eq(&got, "null");
        // A nullable field deep down stops it.
        let got = run(
            "query { node(id: 1) { ...A } } fragment A on Account { contacts { nodes { id boss { id } } } }",
            r#"{"node":{"contacts":{"nodes":[{"id":"c","boss":{}}]}}}"#,
            &[&[
                f("node"),
                f("contacts"),
                f("nodes"),
                PathSegment::Index(0),
                f("boss"),
                f("id"),
            ]],
        );
        eq(
            &got,
            r#"{"node":{"contacts":{"nodes":[{"id":"c","boss":null}]}}}"#,
        );
    }

    #[test]
    fn an_object_already_nulled_below_a_non_null_position_moves_up() {
        // async-graphql nulls an object whose only field failed; its field
        // `contacts` is non-null, so the account (nullable node) is null.
        let got = run(
            "{ node(id: 1) { ... on Account { contacts { nodes { id } } } } }",
            r#"{"node":{"contacts":null}}"#,
            &[&[f("node"), f("contacts"), f("nodes")]],
        );
        eq(&got, r#"{"node":null}"#);
    }

    #[test]
    fn request_errors_and_unknown_paths_change_nothing() {
        let got = run("{ viewer { name } }", r#"{"viewer":{"name":"a"}}"#, &[&[]]);
        eq(&got, r#"{"viewer":{"name":"a"}}"#);
        let got = run(
            "{ viewer { name } }",
            r#"{"viewer":{"name":"a"}}"#,
            &[&[f("nope")]],
        );
        eq(&got, r#"{"viewer":{"name":"a"}}"#);
    }
}
