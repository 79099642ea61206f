//! `plan(id:)` and `plans`.

use super::object::{Plan, PlanConnection, plan_connection};
use crate::error::ApiError;
use crate::graphql::common::filters::{
    PLAN_ORDER, PlanFilter, check_cursor_dates, repo_plan_filter,
};
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::pagination::page_args;
use crate::graphql::count::CountOf;
use crate::graphql::{loaders, reader, state};
use crate::loaders::Row;
use async_graphql::{Context, ID, Object, Result};
use persistence::entity::account_plan;
use std::sync::Arc;

#[derive(Default)]
pub struct PlanQuery;

/// Queries about account plans.
#[Object]
impl PlanQuery {
    /// A plan by id; `NOT_FOUND` when it does not exist in your tenant.
    async fn plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan's id.")] id: ID,
    ) -> Result<Plan> {
        let uuid = decode(Kind::Plan, &id, "id")?;
        Ok(Plan(
            loaders(ctx)?
                .plan(uuid)
                .await?
                .ok_or_else(|| ApiError::not_found_in("plan", "id"))?,
        ))
    }

    /// Plans of your tenant, newest period first.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn plans(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n plans (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns plans after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n plans (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns plans before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which plans to list.")] filter: Option<PlanFilter>,
    ) -> Result<PlanConnection> {
        let p = reader(ctx)?;
        let args = page_args(PLAN_ORDER, first, after.as_deref(), last, before.as_deref())?;
        check_cursor_dates(&args)?;
        let rf = repo_plan_filter(filter)?;
        let page = persistence::repo::plans::list(state(ctx)?.db.read(), p.tenant_id, &rf, &args)
            .await
            .map_err(ApiError::from)?;
        let rows: Vec<Row<account_plan::Model>> = page.rows.into_iter().map(Arc::new).collect();
        loaders(ctx)?.seed_plans(rows.iter().map(AsRef::as_ref));
        Ok(plan_connection(
            &rows,
            page.has_previous,
            page.has_next,
            CountOf::Plans(rf),
        ))
    }
}
