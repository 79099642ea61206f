//! `contract(id:)` and `upcomingRenewals`.

use super::object::{Contract, ContractConnection};
use crate::error::ApiError;
use crate::graphql::common::filters::RENEWAL_ORDER;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::pagination::{encode_cursor, page_args};
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::{loaders, reader, state};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, Object, Result};
use persistence::repo::contracts;
use persistence::repo::page::Position;
use std::sync::Arc;

#[derive(Default)]
pub struct ContractQuery;

/// Queries about contracts.
#[Object]
impl ContractQuery {
    /// A contract by id; `NOT_FOUND` when it does not exist in your tenant.
    async fn contract(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contract's id.")] id: ID,
    ) -> Result<Contract> {
        let uuid = decode(Kind::Contract, &id, "id")?;
        let row = loaders(ctx)?
            .contract(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("contract", "id"))?;
        Ok(Contract(row))
    }

    /// The tenant's contracts whose renewal is still to be won (`OPEN` or
    /// `IN_NEGOTIATION`) and due from today (in the tenant's time zone) to
    /// `withinDays` days ahead, both included, by renewal date, as a
    /// Relay connection.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn upcoming_renewals(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many days ahead to look (0 to 3660; 0: today only).")]
        within_days: i32,
        #[graphql(desc = "Returns the first n contracts (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns contracts after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n contracts (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns contracts before this cursor.")] before: Option<String>,
    ) -> Result<ContractConnection> {
        let p = reader(ctx)?;
        let args = page_args(
            RENEWAL_ORDER,
            first,
            after.as_deref(),
            last,
            before.as_deref(),
        )?;
        for pos in [&args.after, &args.before].into_iter().flatten() {
            if pos.key.parse::<chrono::NaiveDate>().is_err() {
                return Err(ApiError::validation("after", "is not a valid cursor").into());
            }
        }
        let l = loaders(ctx)?;
        let window = crate::services::contracts::renewal_window(l.today().await?, within_days)?;
        let page = contracts::upcoming_page(state(ctx)?.db.read(), p.tenant_id, window, &args)
            .await
            .map_err(ApiError::from)?;
        l.seed_contracts(page.rows.iter());
        let mut c = Connection::with_additional_fields(
            page.has_previous,
            page.has_next,
            TotalCount(CountOf::UpcomingRenewals(window)),
        );
        c.edges.extend(page.rows.into_iter().map(|r| {
            let cursor = encode_cursor(
                RENEWAL_ORDER,
                &Position {
                    key: contracts::cursor_key(&r),
                    id: r.id,
                },
            );
            Edge::new(cursor, Contract(Arc::new(r)))
        }));
        Ok(c)
    }
}
