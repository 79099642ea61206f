//! `node(id:)` of the row-backed kinds read through `simple` (objectives,
//! activities, growth targets, plan reviews, contingencies, products,
//! business units, white-space cells, action items, assessments, the
//! caller's tenant):
//! found by the resolvers' own lookups (`Loaders`, so the same liveness
//! rules: a review of a deleted plan is not found on either path), written
//! from the types' tables with their relations (`rels.rs`). A kind whose
//! selection reads a field not in its table is not in the list: such an id
//! gives way to async-graphql.

use super::compile::{Cc, Sets};
use super::exec::{Bail, R};
use super::rels::{
    ACTION_ITEM, ACTIVITY, ASSESSMENT, CELL, CONTINGENCY, CONTRACT, GROWTH_TARGET, OBJECTIVE, PLAN,
    PRODUCT, REVIEW, TENANT, UNIT, USER,
};
use super::simple::{self, Rq, SObj, Table};
use crate::error::ApiResult;
use crate::graphql::common::ids::Kind;
use crate::loaders::Loaders;
use domain::TenantId;
use futures::future::BoxFuture;
use persistence::Db;
use std::sync::Arc;
use uuid::Uuid;

/// A node kind's lookup and its selection, written as JSON.
pub(super) trait NodeOf: Send + Sync {
    fn render<'a>(
        &'a self,
        l: &'a Loaders,
        rq: Rq<'a>,
        id: Uuid,
    ) -> BoxFuture<'a, R<Option<Vec<u8>>>>;
}

/// The row of a kind by id, as the resolver finds it (`None`: not found).
type Find<M> =
    for<'a> fn(&'a Loaders, &'a Db, TenantId, Uuid) -> BoxFuture<'a, ApiResult<Option<Arc<M>>>>;

struct Simple<M> {
    find: Find<M>,
    obj: SObj<M>,
}

impl<M: Send + Sync + 'static> NodeOf for Simple<M> {
    fn render<'a>(
        &'a self,
        l: &'a Loaders,
        rq: Rq<'a>,
        id: Uuid,
    ) -> BoxFuture<'a, R<Option<Vec<u8>>>> {
        Box::pin(async move {
            let Some(row) = (self.find)(l, rq.db, rq.tenant, id)
                .await
                .map_err(|_| Bail)?
            else {
                return Ok(None);
            };
            let got = self.obj.fetch(rq, std::iter::once(&*row)).await?;
            let mut o = Vec::new();
            self.obj.write(&mut o, &row, &got)?;
            Ok(Some(o))
        })
    }
}

/// The kinds `node(id:)` finds through this module (account, contact,
/// plan and user have their own plans, with joins).
const KINDS: [Kind; 12] = [
    Kind::GrowthTarget,
    Kind::PlanReview,
    Kind::Contingency,
    Kind::Product,
    Kind::BusinessUnit,
    Kind::WhiteSpaceCell,
    Kind::Objective,
    Kind::Activity,
    Kind::ActionItem,
    Kind::Assessment,
    Kind::Tenant,
    Kind::Contract,
];

/// The kinds (of this module) whose selection in `sets` compiles.
pub(super) fn compile<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Vec<(Kind, Box<dyn NodeOf>)> {
    KINDS
        .into_iter()
        .filter_map(|k| Some((k, of_kind(cc, sets, k)?)))
        .collect()
}

/// The selection `sets` on one kind, found as the resolvers find it (also
/// the root lookups `plan(id:)`, `user(id:)`, `actionItem(id:)`). `None`:
/// the selection does not compile, or the kind is not read here.
pub(super) fn of_kind<'d>(cc: &Cc<'d>, sets: &Sets<'d>, kind: Kind) -> Option<Box<dyn NodeOf>> {
    fn make<'d, M: Send + Sync + 'static>(
        cc: &Cc<'d>,
        sets: &Sets<'d>,
        t: Table<M>,
        find: Find<M>,
    ) -> Option<Box<dyn NodeOf>> {
        Some(Box::new(Simple {
            find,
            obj: simple::object(cc, sets, &t)?,
        }))
    }
    // Each kind: its table and the resolver's own lookup.
    match kind {
        Kind::GrowthTarget => make(cc, sets, GROWTH_TARGET, |l, _, _, id| {
            Box::pin(l.growth_target(id))
        }),
        Kind::PlanReview => make(cc, sets, REVIEW, |l, _, _, id| Box::pin(l.review(id))),
        Kind::Contingency => make(cc, sets, CONTINGENCY, |l, _, _, id| {
            Box::pin(l.contingency(id))
        }),
        Kind::Product => make(cc, sets, PRODUCT, |l, _, _, id| {
            Box::pin(async move { Ok(l.white_space().catalogue().await?.get(id)) })
        }),
        Kind::BusinessUnit => make(cc, sets, UNIT, |l, _, _, id| {
            Box::pin(l.white_space().unit(id))
        }),
        Kind::WhiteSpaceCell => make(cc, sets, CELL, |l, _, _, id| {
            Box::pin(l.white_space().cell(id))
        }),
        Kind::Objective => make(cc, sets, OBJECTIVE, |l, _, _, id| Box::pin(l.objective(id))),
        Kind::Activity => make(cc, sets, ACTIVITY, |l, _, _, id| Box::pin(l.activity(id))),
        Kind::ActionItem => make(cc, sets, ACTION_ITEM, |l, _, _, id| {
            Box::pin(l.action_item(id))
        }),
        Kind::Assessment => make(cc, sets, ASSESSMENT, |l, _, _, id| {
            Box::pin(l.assessment(id))
        }),
        Kind::Plan => make(cc, sets, PLAN, |l, _, _, id| Box::pin(l.plan(id))),
        Kind::Contract => make(cc, sets, CONTRACT, |l, _, _, id| Box::pin(l.contract(id))),
        Kind::User => make(cc, sets, USER, |l, _, _, id| Box::pin(l.user(id))),
        // Only the caller's own tenant, as the resolver.
        Kind::Tenant => make(cc, sets, TENANT, |_, db, t, id| {
            Box::pin(async move {
                if id != t.0 {
                    return Ok(None);
                }
                Ok(persistence::repo::tenants::get(db.read(), t)
                    .await?
                    .map(Arc::new))
            })
        }),
        _ => None,
    }
}
