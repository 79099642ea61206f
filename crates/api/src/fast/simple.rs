//! Objects whose selected fields are all computed from their row alone
//! (leaves and embedded money or external references), compiled from the
//! type's field table (`graphql::fields`), and lists of such objects under
//! a parent: growth targets, reviews and contingencies of a plan, an
//! objective's progress, the parts of a white space. A list costs one
//! statement per level (the loaders' own batch read, by parent ids), and
//! its JSON is written as the rows arrive, so the list needs no type of its
//! own in the plan: adding one is a table, a batch read and a line here.

use super::compile::{Cc, Fs, Leaf, Obj, Sets, leaf, name, no_args, sub};
use super::render::comma;
use crate::graphql::common::json as w;
use crate::graphql::common::object::Embedded;
use crate::graphql::common::values::{ExternalRef, Money};
use crate::graphql::fields;
use domain::TenantId;
use futures::future::BoxFuture;
use persistence::{Db, StoreError};
use std::collections::HashMap;
use uuid::Uuid;

/// A type's field table, as `object!` makes it.
pub(super) struct Table<M> {
    pub ty: &'static str,
    pub leaf: fn(&str) -> Option<Leaf<M>>,
    pub value: fn(&str) -> Option<Embedded<M>>,
}

/// `Table` of a `graphql::fields` module: `table!(Type, fields::module)`.
macro_rules! table {
    ($ty:literal, $m:path) => {{
        use $m as m;
        $crate::fast::simple::Table {
            ty: $ty,
            leaf: m::leaf_of,
            value: m::value_of,
        }
    }};
}
pub(super) use table;

/// An embedded object, with the leaves selected under it.
pub(super) enum EmbedF<M> {
    Money(fn(&M) -> Money, Obj<Leaf<Money>>),
    OptMoney(fn(&M) -> Option<Money>, Obj<Leaf<Money>>),
    OptExternalRef(fn(&M) -> Option<ExternalRef>, Obj<Leaf<ExternalRef>>),
}

/// A field computed from the row alone.
pub(super) enum SimpleF<M> {
    Leaf(Leaf<M>),
    Embed(EmbedF<M>),
}

/// An object whose fields are all leaves (of a table's type).
pub(super) fn leaves<'d, R>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    ty: &str,
    leaf_of: fn(&str) -> Option<Leaf<R>>,
) -> Option<Obj<Leaf<R>>> {
    if !no_args(f) {
        return None;
    }
    let mut out = Vec::new();
    for (key, f) in cc.fields(&sub(f)?, ty)? {
        if !leaf(&f) {
            return None;
        }
        out.push((key, leaf_of(name(&f))?));
    }
    Some(out)
}

/// Field `f` of `t`'s type when it is a leaf or an embedded object (`None`
/// for anything else: a relation, arguments).
pub(super) fn field<'d, M>(cc: &Cc<'d>, f: &Fs<'d>, t: &Table<M>) -> Option<SimpleF<M>> {
    let n = name(f);
    if leaf(f) {
        return (t.leaf)(n).map(SimpleF::Leaf);
    }
    let money = |cc: &Cc<'d>| leaves(cc, f, "Money", fields::money::leaf_of);
    Some(SimpleF::Embed(match (t.value)(n)? {
        Embedded::Money(get) => EmbedF::Money(get, money(cc)?),
        Embedded::OptMoney(get) => EmbedF::OptMoney(get, money(cc)?),
        Embedded::OptExternalRef(get) => EmbedF::OptExternalRef(
            get,
            leaves(cc, f, "ExternalRef", fields::external_ref::leaf_of)?,
        ),
    }))
}

/// The selection on `t`'s type when every field is a leaf or embedded.
pub(super) fn object<'d, M>(cc: &Cc<'d>, sets: &Sets<'d>, t: &Table<M>) -> Option<Obj<SimpleF<M>>> {
    let mut out = Vec::new();
    for (key, f) in cc.fields(sets, t.ty)? {
        out.push((key, field(cc, &f, t)?));
    }
    Some(out)
}

pub(super) fn write_leaves<T>(o: &mut Vec<u8>, obj: &Obj<Leaf<T>>, row: &T) {
    o.push(b'{');
    for (i, (key, leaf)) in obj.iter().enumerate() {
        comma(o, i, key);
        leaf(row, o);
    }
    o.push(b'}');
}

/// Writes one field computed from the row.
pub(super) fn write_field<M>(o: &mut Vec<u8>, f: &SimpleF<M>, row: &M) {
    match f {
        SimpleF::Leaf(leaf) => leaf(row, o),
        SimpleF::Embed(EmbedF::Money(get, s)) => write_leaves(o, s, &get(row)),
        SimpleF::Embed(EmbedF::OptMoney(get, s)) => {
            w::opt(o, get(row).as_ref(), |m, o| write_leaves(o, s, m));
        }
        SimpleF::Embed(EmbedF::OptExternalRef(get, s)) => {
            w::opt(o, get(row).as_ref(), |e, o| write_leaves(o, s, e));
        }
    }
}

pub(super) fn write_object<M>(o: &mut Vec<u8>, obj: &Obj<SimpleF<M>>, row: &M) {
    o.push(b'{');
    for (i, (key, f)) in obj.iter().enumerate() {
        comma(o, i, key);
        write_field(o, f, row);
    }
    o.push(b'}');
}

/// Writes rows as a JSON list.
pub(super) fn write_list<'r, M: 'r>(
    o: &mut Vec<u8>,
    obj: &Obj<SimpleF<M>>,
    rows: impl IntoIterator<Item = &'r M>,
) {
    o.push(b'[');
    for (i, r) in rows.into_iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        write_object(o, obj, r);
    }
    o.push(b']');
}

/// The batch read of a list: every row for these parents, in list order
/// within each parent (the loaders' own read).
pub(super) type Load<M> =
    for<'a> fn(&'a Db, TenantId, Vec<Uuid>) -> BoxFuture<'a, Result<Vec<M>, StoreError>>;

/// A list of simple objects under each parent, fetched for a level of
/// parents at once and written as JSON per parent.
pub(super) trait Children: Send + Sync {
    fn fetch<'a>(
        &'a self,
        db: &'a Db,
        tenant: TenantId,
        parents: Vec<Uuid>,
    ) -> BoxFuture<'a, Result<Rendered, StoreError>>;
}

/// Each parent's list, as JSON (parents without rows are absent: `[]`).
pub(super) struct Rendered(HashMap<Uuid, Vec<u8>>);

impl Rendered {
    pub(super) fn write(&self, o: &mut Vec<u8>, parent: Uuid) {
        match self.0.get(&parent) {
            Some(list) => o.extend_from_slice(list),
            None => o.extend_from_slice(b"[]"),
        }
    }
}

struct ListOf<M> {
    load: Load<M>,
    parent: fn(&M) -> Uuid,
    obj: Obj<SimpleF<M>>,
}

impl<M: Send + Sync + 'static> Children for ListOf<M> {
    fn fetch<'a>(
        &'a self,
        db: &'a Db,
        tenant: TenantId,
        parents: Vec<Uuid>,
    ) -> BoxFuture<'a, Result<Rendered, StoreError>> {
        Box::pin(async move {
            let rows = (self.load)(db, tenant, parents).await?;
            let mut out: HashMap<Uuid, Vec<u8>> = HashMap::new();
            for r in &rows {
                let list = out.entry((self.parent)(r)).or_insert_with(|| vec![b'[']);
                if list.len() > 1 {
                    list.push(b',');
                }
                write_object(list, &self.obj, r);
            }
            for list in out.values_mut() {
                list.push(b']');
            }
            Ok(Rendered(out))
        })
    }
}

/// A list field without arguments whose items are simple objects of `t`'s
/// type, read with `load` and grouped by `parent`.
pub(super) fn list<'d, M: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<M>,
    load: Load<M>,
    parent: fn(&M) -> Uuid,
) -> Option<Box<dyn Children>> {
    if !no_args(f) {
        return None;
    }
    Some(Box::new(ListOf {
        load,
        parent,
        obj: object(cc, &sub(f)?, t)?,
    }))
}
