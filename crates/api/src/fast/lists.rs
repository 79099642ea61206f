//! The batch reads of related rows (`simple::list`, `simple::one`,
//! `simple::linked`): the same repository reads the resolvers' loaders
//! make, by parent ids or by ids, so both paths find the same rows (the
//! same liveness rules).

use domain::TenantId;
use futures::future::BoxFuture;
use persistence::entity::{
    account, account_plan, account_team_member, action_item, assessment, business_unit, contact,
    contingency, contract, growth_target, objective, objective_progress, opportunity, plan_review,
    product, user,
};
use persistence::repo::{
    accounts, actions, activities, contacts, contracts, hierarchy, opportunities, pareto, plans,
    profiles, success, team, users, whitespace,
};
use persistence::{Db, StoreError};
use uuid::Uuid;

type Rows<'a, M> = BoxFuture<'a, Result<Vec<M>, StoreError>>;

/// `name(db, tenant, ids)`: the repository read `read(conn, tenant, &ids)`.
macro_rules! reads {
    ($($name:ident -> $m:ty = $read:path;)*) => {$(
        pub(super) fn $name(db: &Db, t: TenantId, ids: Vec<Uuid>) -> Rows<'_, $m> {
            Box::pin(async move { $read(db.read(), t, &ids).await })
        }
    )*};
}

reads! {
    // Lists by parent ids.
    growth_targets -> growth_target::Model = plans::growth_of;
    reviews -> plan_review::Model = plans::reviews_of;
    contingencies -> contingency::Model = plans::contingencies_of;
    progress -> objective_progress::Model = plans::progress_of;
    action_items -> action_item::Model = actions::of_plans;
    objectives_of -> objective::Model = plans::objectives_of;
    direct_reports -> contact::Model = contacts::direct_reports;
    teams -> account_team_member::Model = team::of_accounts;
    contracts_of -> contract::Model = contracts::of_accounts;
    opportunities_of -> opportunity::Model = opportunities::of_accounts;
    insights_of -> persistence::entity::account_insight::Model = profiles::insights_of;
    profiles_of -> persistence::entity::account_profile::Model = profiles::profiles_of;
    financials_of -> persistence::entity::account_financial::Model = profiles::financials_of;
    competitors_of -> persistence::entity::account_competitor::Model = profiles::competitors_of;
    competitors -> persistence::entity::account_competitor::Model = profiles::competitors_by_ids;
    criteria_of -> persistence::entity::success_criterion::Model = success::criteria_of;
    criteria -> persistence::entity::success_criterion::Model = success::criteria_by_ids;
    value_links_of -> persistence::entity::value_chain_link::Model = success::links_of;
    exchange_rates -> persistence::entity::exchange_rate::Model = pareto::rates_of_tenants;
    // Link rows (parent, target) by parent ids.
    item_contacts -> (Uuid, Uuid) = actions::contacts_of;
    activity_contacts -> (Uuid, Uuid) = activities::contacts_of;
    activity_participants -> (Uuid, Uuid) = activities::participants_of;
    reviewers -> (Uuid, Uuid) = plans::reviewers_of;
    ancestor_pairs -> (Uuid, Uuid) = hierarchy::ancestor_pairs;
    preferred_pairs -> (Uuid, Uuid) = success::preferred_of;
    // Computed per parent.
    revenue_rollup -> crate::loaders::intel::Rollup = hierarchy::revenue_rollup;
    // Rows by ids.
    users -> user::Model = users::by_ids;
    accounts -> account::Model = accounts::by_ids;
    contacts -> contact::Model = contacts::by_ids;
    activities -> persistence::entity::activity::Model = activities::by_ids;
    plans -> account_plan::Model = plans::by_ids;
    objectives -> objective::Model = plans::objectives_by_ids;
    action_items_by_ids -> action_item::Model = actions::by_ids;
    units -> business_unit::Model = whitespace::business_units_by_ids;
    products -> product::Model = whitespace::products_by_ids;
}

/// Every assessment of the action items, by item then occurrence date.
pub(super) fn assessments(db: &Db, t: TenantId, items: Vec<Uuid>) -> Rows<'_, assessment::Model> {
    Box::pin(async move { actions::assessments_of(db.read(), t, &items, None, None).await })
}

/// Each account's place in the revenue ranking (`services::pareto`: the
/// tenant's date and currency, then one ranking statement for all).
pub(super) fn rankings(
    db: &Db,
    t: TenantId,
    ids: Vec<Uuid>,
) -> Rows<'_, (Uuid, crate::services::pareto::Ranking)> {
    Box::pin(async move {
        crate::services::pareto::rankings(db, t, &ids)
            .await
            .map(|m| m.into_iter().collect())
    })
}

/// Each account's health now (`services::signals::health_views`: the
/// model, the stored evidence, the last 90 days' signals).
pub(super) fn healths(
    db: &Db,
    t: TenantId,
    ids: Vec<Uuid>,
) -> Rows<'_, crate::services::signals::HealthView> {
    Box::pin(async move {
        crate::services::signals::health_views(db, t, &ids)
            .await
            .map(|m| m.into_values().collect())
    })
}
