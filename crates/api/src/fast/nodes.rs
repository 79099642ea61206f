//! `node(id:)` of the kinds whose selected fields are all computed from
//! their row (growth targets, plan reviews, contingencies, products,
//! business units, white-space cells, action items, assessments, the
//! caller's tenant):
//! found by the resolvers' own lookups (`Loaders`, so the same liveness
//! rules: a review of a deleted plan is not found on either path), written
//! from the types' field tables. A kind whose selection reads a relation
//! is not in the list: such an id gives way to async-graphql.

use super::compile::{Cc, Obj, Sets};
use super::simple::{self, SimpleF, Table, table};
use crate::error::ApiResult;
use crate::graphql::common::ids::Kind;
use crate::graphql::fields;
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
        db: &'a Db,
        tenant: TenantId,
        id: Uuid,
    ) -> BoxFuture<'a, ApiResult<Option<Vec<u8>>>>;
}

/// The row of a kind by id, as the resolver finds it (`None`: not found).
type Find<M> =
    for<'a> fn(&'a Loaders, &'a Db, TenantId, Uuid) -> BoxFuture<'a, ApiResult<Option<Arc<M>>>>;

struct Simple<M> {
    find: Find<M>,
    obj: Obj<SimpleF<M>>,
}

impl<M: Send + Sync + 'static> NodeOf for Simple<M> {
    fn render<'a>(
        &'a self,
        l: &'a Loaders,
        db: &'a Db,
        tenant: TenantId,
        id: Uuid,
    ) -> BoxFuture<'a, ApiResult<Option<Vec<u8>>>> {
        Box::pin(async move {
            Ok((self.find)(l, db, tenant, id).await?.map(|row| {
                let mut o = Vec::new();
                simple::write_object(&mut o, &self.obj, &row);
                o
            }))
        })
    }
}

/// The kinds (of this module) whose selection in `sets` compiles.
pub(super) fn compile<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Vec<(Kind, Box<dyn NodeOf>)> {
    let mut out: Vec<(Kind, Box<dyn NodeOf>)> = Vec::new();
    fn add<'d, M: Send + Sync + 'static>(
        out: &mut Vec<(Kind, Box<dyn NodeOf>)>,
        cc: &Cc<'d>,
        sets: &Sets<'d>,
        (kind, t, find): (Kind, Table<M>, Find<M>),
    ) {
        if let Some(obj) = simple::object(cc, sets, &t) {
            out.push((kind, Box::new(Simple { find, obj })));
        }
    }
    // Each kind: its field table and the resolver's own lookup.
    macro_rules! kind {
        ($kind:ident, $ty:literal, $m:ident, $find:expr) => {
            add(
                &mut out,
                cc,
                sets,
                (Kind::$kind, table!($ty, fields::$m), $find),
            )
        };
    }
    kind!(
        GrowthTarget,
        "GrowthTarget",
        growth_target,
        |l, _, _, id| { Box::pin(l.growth_target(id)) }
    );
    kind!(PlanReview, "PlanReview", plan_review, |l, _, _, id| {
        Box::pin(l.review(id))
    });
    kind!(Contingency, "Contingency", contingency, |l, _, _, id| {
        Box::pin(l.contingency(id))
    });
    kind!(Product, "Product", product, |l, _, _, id| {
        Box::pin(async move { Ok(l.white_space().catalogue().await?.get(id)) })
    });
    kind!(
        BusinessUnit,
        "BusinessUnit",
        business_unit,
        |l, _, _, id| { Box::pin(l.white_space().unit(id)) }
    );
    kind!(
        WhiteSpaceCell,
        "WhiteSpaceCell",
        white_space_cell,
        |l, _, _, id| { Box::pin(l.white_space().cell(id)) }
    );
    kind!(ActionItem, "ActionItem", action_item, |l, _, _, id| {
        Box::pin(l.action_item(id))
    });
    kind!(Assessment, "Assessment", assessment, |l, _, _, id| {
        Box::pin(l.assessment(id))
    });
    // Only the caller's own tenant, as the resolver.
    kind!(Tenant, "Tenant", tenant, |_, db, t, id| {
        Box::pin(async move {
            if id != t.0 {
                return Ok(None);
            }
            Ok(persistence::repo::tenants::get(db.read(), t)
                .await?
                .map(Arc::new))
        })
    });
    out
}
