//! `actionItem(id:)` and `overdueActions`.

use super::object::{ActionItem, OccurrenceConnection, occurrences};
use crate::error::ApiError;
use crate::graphql::common::filters::{OVERDUE_ORDER, overdue_cursor};
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::pagination::page_args;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::{loaders, principal, state};
use crate::services::actions as svc;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};

#[derive(Default)]
pub struct ActionQuery;

/// Queries about action items.
#[Object]
impl ActionQuery {
    /// An action item by id; `NOT_FOUND` when it does not exist in your tenant.
    async fn action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item's id.")] id: ID,
    ) -> Result<ActionItem> {
        let uuid = decode(Kind::ActionItem, &id, "id")?;
        let row = loaders(ctx)?
            .action_item(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("action item", "id"))?;
        Ok(ActionItem(row))
    }

    /// Overdue occurrences across the tenant (due in the last 366 days,
    /// not assessed, of OPEN items), oldest first. Sales managers and
    /// admins only (`FORBIDDEN` otherwise).
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn overdue_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n occurrences (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Returns occurrences after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n occurrences (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns occurrences before this cursor.")] before: Option<String>,
    ) -> Result<OccurrenceConnection> {
        let p = principal(ctx)?;
        let args = page_args(
            OVERDUE_ORDER,
            first,
            after.as_deref(),
            last,
            before.as_deref(),
        )?;
        let window = svc::OverdueWindow::of(&args)?;
        let today = loaders(ctx)?.today().await?;
        let (rows, has_previous, has_next) =
            svc::overdue_page(&state(ctx)?.db, p, window, today).await?;
        let mut c = Connection::with_additional_fields(
            has_previous,
            has_next,
            TotalCount(CountOf::Overdue),
        );
        let cursors: Vec<String> = rows.iter().map(overdue_cursor).collect();
        let nodes = occurrences(rows, ctx)?;
        c.edges.extend(
            cursors
                .into_iter()
                .zip(nodes)
                .map(|(cur, n)| Edge::new(cur, n)),
        );
        Ok(c)
    }
}
