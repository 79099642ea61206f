//! The batch reads of the lists of simple objects (`simple::list`): the
//! same repository reads the resolvers' loaders make, by parent ids.

use domain::TenantId;
use futures::future::BoxFuture;
use persistence::entity::{
    action_item, contingency, growth_target, objective_progress, plan_review,
};
use persistence::repo::{actions, plans};
use persistence::{Db, StoreError};
use uuid::Uuid;

type Rows<'a, M> = BoxFuture<'a, Result<Vec<M>, StoreError>>;

pub(super) fn growth_targets(
    db: &Db,
    t: TenantId,
    plans_: Vec<Uuid>,
) -> Rows<'_, growth_target::Model> {
    Box::pin(async move { plans::growth_of(db.read(), t, &plans_).await })
}

pub(super) fn reviews(db: &Db, t: TenantId, plans_: Vec<Uuid>) -> Rows<'_, plan_review::Model> {
    Box::pin(async move { plans::reviews_of(db.read(), t, &plans_).await })
}

pub(super) fn contingencies(
    db: &Db,
    t: TenantId,
    plans_: Vec<Uuid>,
) -> Rows<'_, contingency::Model> {
    Box::pin(async move { plans::contingencies_of(db.read(), t, &plans_).await })
}

pub(super) fn progress(
    db: &Db,
    t: TenantId,
    objectives: Vec<Uuid>,
) -> Rows<'_, objective_progress::Model> {
    Box::pin(async move { plans::progress_of(db.read(), t, &objectives).await })
}

pub(super) fn action_items(
    db: &Db,
    t: TenantId,
    plans_: Vec<Uuid>,
) -> Rows<'_, action_item::Model> {
    Box::pin(async move { actions::of_plans(db.read(), t, &plans_).await })
}
