//! Relay connections of row-backed objects (`simple::Table` types) as root
//! fields: the connection's own fields (`totalCount`, `pageInfo`, `edges`
//! with `cursor` and `node`, `nodes`), each node selection compiled with
//! `simple::object` (leaves, embedded values and relations at any depth).
//! The page itself is read by the root field's own code (the resolver's
//! repository read); this module compiles, fetches the nodes' relations
//! and writes.

use super::compile::{Cc, Key, Obj, PageInfoF, Sets, leaf, name, no_args, page_info, sub};
use super::exec::{Bail, R};
use super::render::comma;
use super::simple::{self, Got, Rq, SObj, Table};
use crate::graphql::common::json as w;
use persistence::repo::page::Page;

/// A field of the connection.
pub(super) enum SConnF<M> {
    Typename(&'static str),
    TotalCount,
    PageInfo(Obj<PageInfoF>),
    Nodes(SObj<M>),
    Edges(Vec<(Key, SEdgeF<M>)>),
}

/// A field of an edge.
pub(super) enum SEdgeF<M> {
    Typename(&'static str),
    Cursor,
    Node(SObj<M>),
}

/// A compiled connection of `t`'s type, named `conn_type` / `edge_type`.
pub(super) struct SConn<M> {
    fields: Vec<(Key, SConnF<M>)>,
}

/// What a connection's fields fetched: the count (when selected) and the
/// relations of each node selection, by field index.
pub(super) struct SConnGot {
    pub count: Option<i64>,
    nodes: Vec<Vec<Got>>,
}

/// Compiles the selection `sets` on a connection of `t`'s type.
pub(super) fn compile<'d, M>(
    cc: &Cc<'d>,
    sets: &Sets<'d>,
    t: &Table<M>,
    (conn_type, edge_type): (&'static str, &'static str),
) -> Option<SConn<M>> {
    let mut fields = Vec::new();
    for (key, f) in cc.fields(sets, conn_type)? {
        let field = match name(&f) {
            "__typename" if leaf(&f) => SConnF::Typename(conn_type),
            "totalCount" if leaf(&f) => SConnF::TotalCount,
            "pageInfo" if no_args(&f) => SConnF::PageInfo(page_info(cc, &sub(&f)?)?),
            "nodes" if no_args(&f) => SConnF::Nodes(simple::object(cc, &sub(&f)?, t)?),
            "edges" if no_args(&f) => {
                let mut edge = Vec::new();
                for (key, e) in cc.fields(&sub(&f)?, edge_type)? {
                    let ef = match name(&e) {
                        "__typename" if leaf(&e) => SEdgeF::Typename(edge_type),
                        "cursor" if leaf(&e) => SEdgeF::Cursor,
                        "node" if no_args(&e) => SEdgeF::Node(simple::object(cc, &sub(&e)?, t)?),
                        _ => return None,
                    };
                    edge.push((key, ef));
                }
                SConnF::Edges(edge)
            }
            _ => return None,
        };
        fields.push((key, field));
    }
    Some(SConn { fields })
}

impl<M> SConn<M> {
    /// Whether `totalCount` is selected (the caller counts then).
    pub(super) fn counts(&self) -> bool {
        self.fields
            .iter()
            .any(|(_, f)| matches!(f, SConnF::TotalCount))
    }

    /// Reads the relations of the page's rows, for each node selection.
    pub(super) async fn fetch(&self, rq: Rq<'_>, rows: &[&M], count: Option<i64>) -> R<SConnGot> {
        let mut nodes = Vec::with_capacity(self.fields.len());
        for (_, f) in &self.fields {
            let mut got = Vec::new();
            match f {
                SConnF::Nodes(obj) => got.push(obj.fetch(rq, rows.iter().copied()).await?),
                SConnF::Edges(edge) => {
                    for (_, e) in edge {
                        got.push(match e {
                            SEdgeF::Node(obj) => obj.fetch(rq, rows.iter().copied()).await?,
                            _ => Got::none(),
                        });
                    }
                }
                _ => {}
            }
            nodes.push(got);
        }
        Ok(SConnGot { count, nodes })
    }

    /// A nested connection for each of `parents` (`account.signals`,
    /// `contact.activities`, ...): the nodes' relations read once for every
    /// page, then each parent's connection written with its own count.
    pub(super) async fn per_parent(
        &self,
        rq: Rq<'_>,
        parents: Vec<uuid::Uuid>,
        pages: &std::collections::HashMap<uuid::Uuid, Page<M>>,
        counts: Option<std::collections::HashMap<uuid::Uuid, i64>>,
        cursor: fn(&M) -> String,
    ) -> R<super::simple::Rendered> {
        let all: Vec<&M> = pages.values().flat_map(|p| p.rows.iter()).collect();
        let mut got = self.fetch(rq, &all, None).await?;
        let empty = Page {
            rows: Vec::new(),
            has_next: false,
            has_previous: false,
        };
        let mut out = std::collections::HashMap::with_capacity(parents.len());
        for id in parents {
            got.count = counts.as_ref().map(|c| c.get(&id).copied().unwrap_or(0));
            let mut o = Vec::with_capacity(256);
            self.write(&mut o, pages.get(&id).unwrap_or(&empty), &got, &cursor)?;
            out.insert(id, o);
        }
        Ok(super::simple::Rendered::of(out))
    }

    /// Writes the connection of `page`, with each row's cursor.
    pub(super) fn write(
        &self,
        o: &mut Vec<u8>,
        page: &Page<M>,
        got: &SConnGot,
        cursor: &dyn Fn(&M) -> String,
    ) -> R<()> {
        o.push(b'{');
        for (i, ((key, f), g)) in self.fields.iter().zip(&got.nodes).enumerate() {
            comma(o, i, key);
            match f {
                SConnF::Typename(t) => w::name(o, t),
                SConnF::TotalCount => w::int(o, got.count.ok_or(Bail)?),
                SConnF::PageInfo(s) => {
                    o.push(b'{');
                    for (i, (key, f)) in s.iter().enumerate() {
                        comma(o, i, key);
                        match f {
                            PageInfoF::Typename => w::name(o, "PageInfo"),
                            PageInfoF::HasNextPage => w::boolean(o, page.has_next),
                            PageInfoF::HasPreviousPage => w::boolean(o, page.has_previous),
                            PageInfoF::StartCursor => {
                                w::opt(o, page.rows.first(), |r, o| w::str(o, &cursor(r)));
                            }
                            PageInfoF::EndCursor => {
                                w::opt(o, page.rows.last(), |r, o| w::str(o, &cursor(r)));
                            }
                        }
                    }
                    o.push(b'}');
                }
                SConnF::Nodes(obj) => obj.write_list(o, &page.rows, g.first().ok_or(Bail)?)?,
                SConnF::Edges(edge) => {
                    o.push(b'[');
                    for (i, r) in page.rows.iter().enumerate() {
                        if i > 0 {
                            o.push(b',');
                        }
                        o.push(b'{');
                        for (j, ((key, e), g)) in edge.iter().zip(g).enumerate() {
                            comma(o, j, key);
                            match e {
                                SEdgeF::Typename(t) => w::name(o, t),
                                SEdgeF::Cursor => w::str(o, &cursor(r)),
                                SEdgeF::Node(obj) => obj.write(o, r, g)?,
                            }
                        }
                        o.push(b'}');
                    }
                    o.push(b']');
                }
            }
        }
        o.push(b'}');
        Ok(())
    }
}

/// Implements `RowsOf` for accounts and contacts through the type's
/// `render(rq, parent ids)` (nested connections of either parent).
macro_rules! rows_of_accounts_and_contacts {
    ($ty:ty) => {
        impl super::simple::RowsOf<persistence::entity::account::Model> for $ty {
            fn fetch<'a>(
                &'a self,
                rq: super::simple::Rq<'a>,
                rows: &'a [&'a persistence::entity::account::Model],
            ) -> futures::future::BoxFuture<'a, super::exec::R<super::simple::Rendered>> {
                Box::pin(self.render(rq, rows.iter().map(|a| a.id).collect()))
            }
        }

        impl super::simple::RowsOf<persistence::entity::contact::Model> for $ty {
            fn fetch<'a>(
                &'a self,
                rq: super::simple::Rq<'a>,
                rows: &'a [&'a persistence::entity::contact::Model],
            ) -> futures::future::BoxFuture<'a, super::exec::R<super::simple::Rendered>> {
                Box::pin(self.render(rq, rows.iter().map(|c| c.id).collect()))
            }
        }
    };
}
pub(super) use rows_of_accounts_and_contacts;
