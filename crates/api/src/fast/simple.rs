//! Objects whose selected fields are all computed from their row alone
//! (leaves and embedded money or external references), compiled from the
//! type's field table (`graphql::fields`), and lists of such objects under
//! a parent: growth targets, reviews and contingencies of a plan, an
//! objective's progress, the parts of a white space. A list costs one
//! statement per level (the loaders' own batch read, by parent ids), and
//! its JSON is written as the rows arrive, so the list needs no type of its
//! own in the plan: adding one is a table, a batch read and a line here.

use super::compile::{Cc, Fs, Leaf, Obj, Sets, leaf, name, no_args, sub};
use super::exec::{Bail, R};
use super::render::comma;
use crate::graphql::common::json as w;
use crate::graphql::common::object::Embedded;
use crate::graphql::common::values::{ExternalRef, Money};
use crate::graphql::fields;
use domain::TenantId;
use futures::future::BoxFuture;
use persistence::{Db, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// A type's field table, as `object!` makes it, and its relations
/// (`rels.rs`).
pub(super) struct Table<M> {
    pub ty: &'static str,
    pub leaf: fn(&str) -> Option<Leaf<M>>,
    pub value: fn(&str) -> Option<Embedded<M>>,
    pub rel: fn(&str) -> Option<Relation<M>>,
}

/// `Table` of a `graphql::fields` module: `table!(Type, fields::module)`,
/// with the type's relations: `table!(Type, fields::module, rels::module)`.
macro_rules! table {
    ($ty:literal, $m:path) => {{
        use $m as m;
        $crate::fast::simple::Table {
            ty: $ty,
            leaf: m::leaf_of,
            value: m::value_of,
            rel: |_| None,
        }
    }};
    ($ty:literal, $m:path, $r:path) => {{
        use $m as m;
        $crate::fast::simple::Table {
            ty: $ty,
            leaf: m::leaf_of,
            value: m::value_of,
            rel: $r,
        }
    }};
}
pub(super) use table;

/// A relation of a row to other rows: how to find them (the key each row
/// carries: a foreign key for a to-one relation, the row's own id for a
/// list), and how to compile the selection under it into a batch read.
pub(super) struct Relation<M> {
    pub key: fn(&M) -> Option<Uuid>,
    pub to: To,
    pub kids: Kids<M>,
}

/// How a relation's selection compiles: into a batch read by the rows'
/// keys, or into a computation over the rows themselves.
pub(super) enum Kids<M> {
    ByKey(for<'d> fn(&Cc<'d>, &Fs<'d>) -> Option<Box<dyn Children>>),
    ByRow(ByRow<M>),
}

/// Compiles a field computed from the rows (see [`RowsOf`]).
pub(super) type ByRow<M> = for<'d> fn(&Cc<'d>, &Fs<'d>) -> Option<Box<dyn RowsOf<M>>>;

/// A field computed for a level of rows from the rows themselves (and
/// what it reads for all of them at once), written as JSON per row key.
pub(super) trait RowsOf<M>: Send + Sync {
    fn fetch<'a>(&'a self, rq: Rq<'a>, rows: &'a [&'a M]) -> BoxFuture<'a, R<Rendered>>;
}

/// What a relation gives a row.
#[derive(Clone, Copy)]
pub(super) enum To {
    /// A nullable object (`null` when the key is null or the row is gone).
    One,
    /// A non-null object: a missing row gives way to async-graphql (which
    /// reports the error).
    Required,
    /// A list (`[]` when there are no rows).
    Many,
}

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
pub(super) fn leaves<'d, T>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    ty: &str,
    leaf_of: fn(&str) -> Option<Leaf<T>>,
) -> Option<Obj<Leaf<T>>> {
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

/// A field of a row-backed object: computed from the row, or one of the
/// object's relations (an index into `SObj::rels`).
pub(super) enum ObjF<M> {
    Row(SimpleF<M>),
    Rel(usize),
}

/// The selection on a row-backed type: fields from the row and relations,
/// each relation compiled into its own batch read.
pub(super) struct SObj<M> {
    fields: Obj<ObjF<M>>,
    rels: Vec<Rel<M>>,
}

/// A compiled relation: the key of each row, what it gives, the read.
type Rel<M> = (fn(&M) -> Option<Uuid>, To, Compiled<M>);

enum Compiled<M> {
    Key(Box<dyn Children>),
    Row(Box<dyn RowsOf<M>>),
}

/// The selection on `t`'s type when every field is a leaf, an embedded
/// object or a relation of `t` whose selection compiles too.
pub(super) fn object<'d, M>(cc: &Cc<'d>, sets: &Sets<'d>, t: &Table<M>) -> Option<SObj<M>> {
    let mut out = SObj {
        fields: Vec::new(),
        rels: Vec::new(),
    };
    for (key, f) in cc.fields(sets, t.ty)? {
        let field = match field(cc, &f, t) {
            Some(s) => ObjF::Row(s),
            None => {
                out.rels.push(relation(cc, &f, t)?.0);
                ObjF::Rel(out.rels.len() - 1)
            }
        };
        out.fields.push((key, field));
    }
    Some(out)
}

/// What the relations of an object selected for some rows found: per
/// relation, the JSON of each key's object or list.
pub(super) struct Got(Vec<Rendered>);

impl Got {
    /// Nothing fetched (an object without relations).
    pub(super) fn none() -> Self {
        Got(Vec::new())
    }
}

impl<M> SObj<M> {
    /// Reads the relations of `rows` (one batch read per relation, all at
    /// once; nothing when no relation is selected).
    pub(super) async fn fetch<'r>(&self, rq: Rq<'_>, rows: impl Iterator<Item = &'r M>) -> R<Got>
    where
        M: 'r,
    {
        if self.rels.is_empty() {
            return Ok(Got::none());
        }
        let all: Vec<&M> = rows.collect();
        // One relation after the other, in selection order: what the memo
        // holds when a read starts does not depend on timing, so neither
        // does the number of statements.
        let mut got = Vec::with_capacity(self.rels.len());
        for rel in &self.rels {
            got.push(fetch_rel(rel, rq, &all).await?);
        }
        Ok(Got(got))
    }

    /// Writes `row` with its relations from `got`.
    pub(super) fn write(&self, o: &mut Vec<u8>, row: &M, got: &Got) -> R<()> {
        o.push(b'{');
        for (i, (key, f)) in self.fields.iter().enumerate() {
            comma(o, i, key);
            match f {
                ObjF::Row(f) => write_field(o, f, row),
                ObjF::Rel(r) => write_rel(&self.rels[*r], o, row, &got.0[*r])?,
            }
        }
        o.push(b'}');
        Ok(())
    }

    /// Writes rows as a JSON list, their relations from `got`.
    pub(super) fn write_list<'r>(
        &self,
        o: &mut Vec<u8>,
        rows: impl IntoIterator<Item = &'r M>,
        got: &Got,
    ) -> R<()>
    where
        M: 'r,
    {
        o.push(b'[');
        for (i, r) in rows.into_iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            self.write(o, r, got)?;
        }
        o.push(b']');
        Ok(())
    }
}

/// Reads a relation's rows for a level of rows.
async fn fetch_rel<M>(rel: &Rel<M>, rq: Rq<'_>, all: &[&M]) -> R<Rendered> {
    let (key, _, kids) = rel;
    match kids {
        Compiled::Key(kids) => {
            let mut keys: Vec<Uuid> = all.iter().filter_map(|r| key(r)).collect();
            keys.sort_unstable();
            keys.dedup();
            kids.fetch(rq, keys).await
        }
        Compiled::Row(kids) => kids.fetch(rq, all).await,
    }
}

/// Writes a relation of `row` from what [`fetch_rel`] found.
fn write_rel<M>(rel: &Rel<M>, o: &mut Vec<u8>, row: &M, got: &Rendered) -> R<()> {
    let (key, to, _) = rel;
    match (key(row).and_then(|k| got.0.get(&k)), to) {
        (Some(json), _) => o.extend_from_slice(json),
        (None, To::One) => o.extend_from_slice(b"null"),
        (None, To::Many) => o.extend_from_slice(b"[]"),
        (None, To::Required) => return Err(Bail),
    }
    Ok(())
}

/// One relation of `t`'s type (`rels.rs`), compiled on its own: the
/// fallback of the types whose objects `compile.rs` builds by hand
/// (accounts), for the relations they do not read themselves.
pub(super) struct RelF<M>(Rel<M>);

/// Field `f` as a relation of `t`'s type, when it is one and its selection
/// compiles.
pub(super) fn relation<'d, M>(cc: &Cc<'d>, f: &Fs<'d>, t: &Table<M>) -> Option<RelF<M>> {
    let rel = (t.rel)(name(f))?;
    let kids = match rel.kids {
        Kids::ByKey(c) => Compiled::Key(c(cc, f)?),
        Kids::ByRow(c) => Compiled::Row(c(cc, f)?),
    };
    Some(RelF((rel.key, rel.to, kids)))
}

impl<M> RelF<M> {
    /// Reads the relation for a level of rows (one batch read).
    pub(super) async fn fetch(&self, rq: Rq<'_>, rows: &[&M]) -> R<Rendered> {
        fetch_rel(&self.0, rq, rows).await
    }

    /// Writes the relation of `row`.
    pub(super) fn write(&self, o: &mut Vec<u8>, row: &M, got: &Rendered) -> R<()> {
        write_rel(&self.0, o, row, got)
    }
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

/// One request's reads through the compiled path: the database, the
/// caller's tenant, and what the batch reads found so far.
#[derive(Clone, Copy)]
pub(super) struct Rq<'a> {
    pub db: &'a Db,
    pub tenant: TenantId,
    pub memo: &'a Memo,
}

/// Rows one request's batch reads found, by read and key: a relation read
/// again at another level (an owner who also owns the account) or by
/// another field (a plan's growth and its growth targets) costs no second
/// statement, as with the resolvers' loaders. Reads through the memo run
/// one after the other (`SObj::fetch` in selection order; the executor's
/// entry points in turn), so the statements a request costs do not depend
/// on timing.
#[derive(Default)]
pub(super) struct Memo(std::sync::Mutex<MemoMap>);

type MemoMap = HashMap<(usize, Uuid), Arc<dyn std::any::Any + Send + Sync>>;

impl Rq<'_> {
    /// The rows of `load` for each of `keys` (in `keys`' order; rows in
    /// the read's order within a key, grouped by `group`); keys read
    /// before in this request come from the memo, the others in one
    /// statement.
    pub(super) async fn read<M: Send + Sync + 'static>(
        &self,
        load: Load<M>,
        group: fn(&M) -> Uuid,
        keys: &[Uuid],
    ) -> R<Vec<Arc<Vec<M>>>> {
        let read = load as usize;
        let mut found: HashMap<Uuid, Arc<Vec<M>>> = HashMap::with_capacity(keys.len());
        let mut missing = Vec::new();
        {
            let memo = self.memo.0.lock().map_err(|_| Bail)?;
            for k in keys {
                match memo
                    .get(&(read, *k))
                    .and_then(|v| v.clone().downcast::<Vec<M>>().ok())
                {
                    Some(rows) => {
                        found.insert(*k, rows);
                    }
                    None => missing.push(*k),
                }
            }
        }
        if !missing.is_empty() {
            let rows = load(self.db, self.tenant, missing.clone()).await?;
            let mut grouped: HashMap<Uuid, Vec<M>> =
                missing.iter().map(|k| (*k, Vec::new())).collect();
            for r in rows {
                grouped.entry(group(&r)).or_default().push(r);
            }
            let mut memo = self.memo.0.lock().map_err(|_| Bail)?;
            for (k, rows) in grouped {
                let rows = Arc::new(rows);
                memo.insert((read, k), rows.clone());
                found.insert(k, rows);
            }
        }
        Ok(keys.iter().filter_map(|k| found.get(k).cloned()).collect())
    }
}

/// The batch read of related rows: every row for these keys (parent ids
/// for a list, in list order within each parent; ids for a to-one
/// relation), as the resolvers' loaders read them.
pub(super) type Load<M> =
    for<'a> fn(&'a Db, TenantId, Vec<Uuid>) -> BoxFuture<'a, Result<Vec<M>, StoreError>>;

/// The rows related to a level of rows, fetched for the whole level at
/// once and written as JSON per key.
pub(super) trait Children: Send + Sync {
    fn fetch<'a>(&'a self, rq: Rq<'a>, keys: Vec<Uuid>) -> BoxFuture<'a, R<Rendered>>;
}

/// Each key's object or list, as JSON (keys without rows are absent).
pub(super) struct Rendered(HashMap<Uuid, Vec<u8>>);

impl Rendered {
    /// Each key's JSON.
    pub(super) fn of(json: HashMap<Uuid, Vec<u8>>) -> Self {
        Rendered(json)
    }

    /// Writes a parent's list (`[]` when it has no rows).
    pub(super) fn write(&self, o: &mut Vec<u8>, parent: Uuid) {
        match self.0.get(&parent) {
            Some(list) => o.extend_from_slice(list),
            None => o.extend_from_slice(b"[]"),
        }
    }
}

/// Rows grouped by `group`, read with `load`, written as an object per key
/// (`list: false`) or as a list per key.
struct Related<M> {
    load: Load<M>,
    group: fn(&M) -> Uuid,
    list: bool,
    obj: SObj<M>,
}

impl<M: Send + Sync + 'static> Children for Related<M> {
    fn fetch<'a>(&'a self, rq: Rq<'a>, keys: Vec<Uuid>) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            if keys.is_empty() {
                return Ok(Rendered(HashMap::new()));
            }
            let read = rq.read(self.load, self.group, &keys).await?;
            let rows = read.iter().flat_map(|v| v.iter());
            let got = self.obj.fetch(rq, rows.clone()).await?;
            let mut out: HashMap<Uuid, Vec<u8>> = HashMap::new();
            for r in rows {
                let json = out.entry((self.group)(r)).or_default();
                if !self.list {
                    self.obj.write(json, r, &got)?;
                    continue;
                }
                json.push(if json.is_empty() { b'[' } else { b',' });
                self.obj.write(json, r, &got)?;
            }
            if self.list {
                for list in out.values_mut() {
                    list.push(b']');
                }
            }
            Ok(Rendered(out))
        })
    }
}

/// The selection under a field without arguments, on `t`'s type.
fn selection<'d, M>(cc: &Cc<'d>, f: &Fs<'d>, t: &Table<M>) -> Option<SObj<M>> {
    no_args(f).then_some(())?;
    object(cc, &sub(f)?, t)
}

/// A list field without arguments whose items are objects of `t`'s type,
/// read with `load` by parent ids and grouped by `parent`.
pub(super) fn list<'d, M: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<M>,
    load: Load<M>,
    parent: fn(&M) -> Uuid,
) -> Option<Box<dyn Children>> {
    Some(Box::new(Related {
        load,
        group: parent,
        list: true,
        obj: selection(cc, f, t)?,
    }))
}

/// A to-one field without arguments whose object is of `t`'s type, read
/// with `load` by ids (`id` of each row).
pub(super) fn one<'d, M: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<M>,
    load: Load<M>,
    id: fn(&M) -> Uuid,
) -> Option<Box<dyn Children>> {
    Some(Box::new(Related {
        load,
        group: id,
        list: false,
        obj: selection(cc, f, t)?,
    }))
}

/// A list through link rows: `pairs` gives (parent, target) by parent ids,
/// in link order; the targets are read with `load` by ids (a target not
/// found is left out, as the resolvers do) and, with `order`, sorted.
struct Linked<M> {
    pairs: Load<(Uuid, Uuid)>,
    load: Load<M>,
    id: fn(&M) -> Uuid,
    order: Option<fn(&M, &M) -> std::cmp::Ordering>,
    obj: SObj<M>,
}

impl<M: Send + Sync + 'static> Children for Linked<M> {
    fn fetch<'a>(&'a self, rq: Rq<'a>, keys: Vec<Uuid>) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            if keys.is_empty() {
                return Ok(Rendered(HashMap::new()));
            }
            let pairs = rq.read(self.pairs, |(p, _)| *p, &keys).await?;
            let pairs: Vec<&(Uuid, Uuid)> = pairs.iter().flat_map(|v| v.iter()).collect();
            let mut ids: Vec<Uuid> = pairs.iter().map(|(_, t)| *t).collect();
            ids.sort_unstable();
            ids.dedup();
            let read = rq.read(self.load, self.id, &ids).await?;
            let rows = read.iter().flat_map(|v| v.iter());
            let got = self.obj.fetch(rq, rows.clone()).await?;
            let by_id: HashMap<Uuid, &M> = rows.map(|r| ((self.id)(r), r)).collect();
            let mut lists: HashMap<Uuid, Vec<&M>> = HashMap::new();
            for (parent, target) in pairs {
                let list = lists.entry(*parent).or_default();
                if let Some(r) = by_id.get(target) {
                    list.push(r);
                }
            }
            let mut out = HashMap::with_capacity(lists.len());
            for (parent, mut list) in lists {
                if let Some(order) = self.order {
                    list.sort_by(|a, b| order(a, b));
                }
                let mut json = vec![b'['];
                for (i, r) in list.into_iter().enumerate() {
                    if i > 0 {
                        json.push(b',');
                    }
                    self.obj.write(&mut json, r, &got)?;
                }
                json.push(b']');
                out.insert(parent, json);
            }
            Ok(Rendered(out))
        })
    }
}

/// The link rows, the read of the targets by ids, a target's id.
pub(super) type Link<M> = (Load<(Uuid, Uuid)>, Load<M>, fn(&M) -> Uuid);

/// A list field without arguments through link rows (see `Linked`).
pub(super) fn linked<'d, M: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<M>,
    (pairs, load, id): Link<M>,
    order: Option<fn(&M, &M) -> std::cmp::Ordering>,
) -> Option<Box<dyn Children>> {
    Some(Box::new(Linked {
        pairs,
        load,
        id,
        order,
        obj: selection(cc, f, t)?,
    }))
}

/// A list computed per parent from its related rows (a plan's growth
/// rolled up from its targets): the rows read with `load` by parent ids,
/// grouped by `parent`, turned into objects by `compute` (the resolver's
/// own function).
struct Computed<M, T> {
    load: Load<M>,
    parent: fn(&M) -> Uuid,
    compute: fn(&[&M]) -> Vec<T>,
    obj: SObj<T>,
}

impl<M: Send + Sync + 'static, T: Send + Sync + 'static> Children for Computed<M, T> {
    fn fetch<'a>(&'a self, rq: Rq<'a>, keys: Vec<Uuid>) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            if keys.is_empty() {
                return Ok(Rendered(HashMap::new()));
            }
            let read = rq.read(self.load, self.parent, &keys).await?;
            let computed: Vec<(Uuid, Vec<T>)> = keys
                .iter()
                .zip(&read)
                .filter(|(_, rows)| !rows.is_empty())
                .map(|(p, rows)| (*p, (self.compute)(&rows.iter().collect::<Vec<_>>())))
                .collect();
            let got = self
                .obj
                .fetch(rq, computed.iter().flat_map(|(_, v)| v.iter()))
                .await?;
            let mut out = HashMap::with_capacity(computed.len());
            for (p, list) in &computed {
                let mut json = Vec::new();
                self.obj.write_list(&mut json, list, &got)?;
                out.insert(*p, json);
            }
            Ok(Rendered(out))
        })
    }
}

/// A list field without arguments computed per parent (see `Computed`).
pub(super) fn computed<'d, M: Send + Sync + 'static, T: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<T>,
    (load, parent): (Load<M>, fn(&M) -> Uuid),
    compute: fn(&[&M]) -> Vec<T>,
) -> Option<Box<dyn Children>> {
    Some(Box::new(Computed {
        load,
        parent,
        compute,
        obj: selection(cc, f, t)?,
    }))
}

/// A list of objects computed from each row alone (a profile's approval
/// thresholds, kept in the row): no statement of its own; written per
/// row key.
struct Derived<M, T> {
    key: fn(&M) -> Uuid,
    derive: fn(&M) -> Vec<T>,
    obj: SObj<T>,
}

impl<M: Send + Sync, T: Send + Sync> RowsOf<M> for Derived<M, T> {
    fn fetch<'a>(&'a self, rq: Rq<'a>, rows: &'a [&'a M]) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let lists: Vec<(Uuid, Vec<T>)> = rows
                .iter()
                .map(|r| ((self.key)(r), (self.derive)(r)))
                .collect();
            let got = self
                .obj
                .fetch(rq, lists.iter().flat_map(|(_, v)| v.iter()))
                .await?;
            let mut out = HashMap::with_capacity(lists.len());
            for (k, list) in &lists {
                let mut json = Vec::new();
                self.obj.write_list(&mut json, list, &got)?;
                out.insert(*k, json);
            }
            Ok(Rendered(out))
        })
    }
}

/// A list field without arguments derived from each row (see `Derived`);
/// `key` is the relation's key of the row.
pub(super) fn derived<'d, M: Send + Sync + 'static, T: Send + Sync + 'static>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    t: &Table<T>,
    key: fn(&M) -> Uuid,
    derive: fn(&M) -> Vec<T>,
) -> Option<Box<dyn RowsOf<M>>> {
    Some(Box::new(Derived {
        key,
        derive,
        obj: selection(cc, f, t)?,
    }))
}

/// The distinct ids of a level of accounts, sorted (the keys of what is
/// computed for the level).
pub(super) fn account_ids(rows: &[&persistence::entity::account::Model]) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
