//! `account.contactMap` on the compiled path (a relation of `rels.rs`
//! computed from the rows): the maps of a level of accounts are read
//! with the service the resolvers use (`services::influences::maps_of`,
//! two statements), the nodes' own relations fetched once for the level.

use super::compile::{Cc, Fs, Key, leaf, name, no_args, sub};
use super::exec::{Bail, R};
use super::rels::CONTACT;
use super::render::comma;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::common::enums::{ContactMapEdgeKind, InfluenceKind, InfluenceStrength};
use crate::graphql::common::ids::Kind;
use crate::graphql::common::json as w;
use domain::contact_map::EdgeKind;
use futures::future::BoxFuture;
use persistence::entity::{account, contact};
use std::collections::HashMap;

enum MapF {
    Typename,
    Nodes(SObj<contact::Model>),
    Edges(Vec<(Key, EdgeF)>),
    Mermaid,
    Dot,
}

enum EdgeF {
    Typename,
    Kind,
    FromId,
    ToId,
    Strength,
    InfluenceId,
}

struct ContactMap(Vec<(Key, MapF)>);

/// Compiles `contactMap { ... }`.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    no_args(f).then_some(())?;
    let mut out = Vec::new();
    for (key, f) in cc.fields(&sub(f)?, "ContactMap")? {
        let field = match name(&f) {
            "__typename" if leaf(&f) => MapF::Typename,
            "mermaid" if leaf(&f) => MapF::Mermaid,
            "dot" if leaf(&f) => MapF::Dot,
            "nodes" if no_args(&f) => MapF::Nodes(simple::object(cc, &sub(&f)?, &CONTACT)?),
            "edges" if no_args(&f) => {
                let mut edge = Vec::new();
                for (key, e) in cc.fields(&sub(&f)?, "ContactMapEdge")? {
                    if !leaf(&e) {
                        return None;
                    }
                    edge.push((
                        key,
                        match name(&e) {
                            "__typename" => EdgeF::Typename,
                            "kind" => EdgeF::Kind,
                            "fromId" => EdgeF::FromId,
                            "toId" => EdgeF::ToId,
                            "strength" => EdgeF::Strength,
                            "influenceId" => EdgeF::InfluenceId,
                            _ => return None,
                        },
                    ));
                }
                MapF::Edges(edge)
            }
            _ => return None,
        };
        out.push((key, field));
    }
    Some(Box::new(ContactMap(out)))
}

impl RowsOf<account::Model> for ContactMap {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let ids = simple::account_ids(rows);
            let maps = crate::services::influences::maps_of(rq.db, rq.tenant, &ids)
                .await
                .map_err(|_| Bail)?;
            let all: Vec<&contact::Model> = maps
                .values()
                .flat_map(|m| m.contacts.iter().map(|c| &**c))
                .collect();
            let mut got: HashMap<usize, simple::Got> = HashMap::new();
            for (i, (_, f)) in self.0.iter().enumerate() {
                if let MapF::Nodes(obj) = f {
                    got.insert(i, obj.fetch(rq, all.iter().copied()).await?);
                }
            }
            let mut out = HashMap::with_capacity(maps.len());
            for (account, map) in &maps {
                let mut o = Vec::with_capacity(1024);
                o.push(b'{');
                for (i, (key, f)) in self.0.iter().enumerate() {
                    comma(&mut o, i, key);
                    match f {
                        MapF::Typename => w::name(&mut o, "ContactMap"),
                        MapF::Mermaid => w::str(&mut o, &map.mermaid),
                        MapF::Dot => w::str(&mut o, &map.dot),
                        MapF::Nodes(obj) => {
                            let g = got.get(&i).ok_or(Bail)?;
                            obj.write_list(&mut o, map.contacts.iter().map(|c| &**c), g)?;
                        }
                        MapF::Edges(edge) => {
                            o.push(b'[');
                            for (n, (e, link)) in map.edges.iter().enumerate() {
                                if n > 0 {
                                    o.push(b',');
                                }
                                o.push(b'{');
                                for (j, (key, f)) in edge.iter().enumerate() {
                                    comma(&mut o, j, key);
                                    match f {
                                        EdgeF::Typename => w::name(&mut o, "ContactMapEdge"),
                                        EdgeF::Kind => w::enumeration(
                                            &mut o,
                                            match e.kind {
                                                EdgeKind::ReportsTo => {
                                                    ContactMapEdgeKind::ReportsTo
                                                }
                                                EdgeKind::Link(k) => InfluenceKind::from(k).into(),
                                            },
                                        ),
                                        EdgeF::FromId => w::id(&mut o, Kind::Contact, e.from),
                                        EdgeF::ToId => w::id(&mut o, Kind::Contact, e.to),
                                        EdgeF::Strength => match e.strength {
                                            Some(s) => {
                                                w::enumeration(&mut o, InfluenceStrength::from(s))
                                            }
                                            None => w::null(&mut o),
                                        },
                                        EdgeF::InfluenceId => match link {
                                            Some(l) => w::id(&mut o, Kind::ContactInfluence, *l),
                                            None => w::null(&mut o),
                                        },
                                    }
                                }
                                o.push(b'}');
                            }
                            o.push(b']');
                        }
                    }
                }
                o.push(b'}');
                out.insert(*account, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
