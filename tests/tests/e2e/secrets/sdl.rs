//! `schema.graphql`, read with async-graphql's own SDL parser: the object
//! types and interfaces with their fields and arguments, the input objects,
//! the enums.

use super::*;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

/// `[ID!]!` -> `ID`.
pub(super) fn base_name(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

pub(super) fn parse_sdl(sdl: &str) -> Sdl {
    let doc = async_graphql::parser::parse_schema(sdl).expect("schema.graphql parses");
    let mut s = Sdl::default();
    let typed = |v: &async_graphql::parser::types::InputValueDefinition| {
        // The corpus builds every value itself: a default would go untested.
        assert!(
            v.default_value.is_none(),
            "{}: default values are not fuzzed",
            v.name.node
        );
        (v.name.node.to_string(), v.ty.node.to_string())
    };
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let name = t.name.node.to_string();
        match t.kind {
            TypeKind::Object(o) => {
                s.objects.insert(name, fields(o.fields, typed));
            }
            TypeKind::Interface(i) => {
                s.objects.insert(name, fields(i.fields, typed));
            }
            TypeKind::InputObject(i) => {
                let fs = i.fields.iter().map(|f| typed(&f.node)).collect();
                s.inputs.insert(name, fs);
            }
            TypeKind::Enum(e) => {
                let vs = e
                    .values
                    .iter()
                    .map(|v| v.node.value.node.to_string())
                    .collect();
                s.enums.insert(name, vs);
            }
            TypeKind::Scalar | TypeKind::Union(_) => {}
        }
    }
    s
}

fn fields(
    defs: Vec<async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>>,
    typed: impl Fn(&async_graphql::parser::types::InputValueDefinition) -> (String, String),
) -> Vec<FieldDef> {
    defs.into_iter()
        .map(|f| {
            let f = f.node;
            FieldDef {
                name: f.name.node.to_string(),
                args: f.arguments.iter().map(|a| typed(&a.node)).collect(),
                ty: f.ty.node.to_string(),
            }
        })
        .collect()
}

#[test]
fn the_schema_is_read_whole() {
    let s = parse_sdl(SDL);
    let account = &s.objects["Account"];
    let contacts = account.iter().find(|f| f.name == "contacts").unwrap();
    assert!(contacts.ty.ends_with('!'), "{}", contacts.ty);
    assert!(
        contacts
            .args
            .iter()
            .any(|(n, t)| n == "first" && t == "Int")
    );
    assert!(s.objects.contains_key("Node"), "interfaces are read");
    assert!(
        s.inputs["CreateAccountInput"]
            .iter()
            .any(|(n, t)| n == "name" && t == "String!")
    );
    assert!(s.enums["Tier"].iter().any(|v| v == "KEY"));
}
