//! The top 20%: exchange rates (`viewer.tenant.exchangeRates`, the admins'
//! mutations), an account's revenue ranking (`account.revenueRank`,
//! `isTopTwentyPercent`, `revenueRanking`) and `portfolio`. The rules are
//! `domain::pareto`'s; the database ranks (`repo::pareto`).

use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::UnrankedReason;
use crate::graphql::common::object::object;
use crate::graphql::common::values::{Money, money_of};
use crate::graphql::{in_input, principal, reader, state};
use crate::loaders::Row;
use crate::services::pareto::{self as svc, Ranking};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use persistence::entity::exchange_rate;
use persistence::repo::pareto::PortfolioRow;
use std::sync::Arc;

/// An exchange rate of the tenant to its default currency.
#[derive(Clone)]
pub struct ExchangeRate(pub Row<exchange_rate::Model>);

object! {
    /// An exchange rate of the tenant to its default currency, from a day
    /// on. The rate in effect for a currency is its newest rate whose
    /// `validFrom` is on or before today (in the tenant's time zone).
    #[Object]
    impl ExchangeRate(exchange_rate::Model) fields exchange_rate_fields {
        /// ISO 4217 code of the currency converted.
        leaf "currency" currency(r) -> &str {
            &r.currency
        }
        /// Units of the default currency that one unit of `currency` buys
        /// (up to 9 decimal places).
        leaf "rate" rate(r) [rate_e9] -> Dec {
            Dec(domain::pareto::rate_of(r.rate_e9))
        }
        /// The first day the rate applies.
        leaf "validFrom" valid_from(r) -> NaiveDate {
            r.valid_from
        }
        /// When the rate was last set.
        leaf "updatedAt" updated_at(r) -> DateTime<Utc> {
            r.updated_at
        }
    }
}

/// An account's place in the revenue ranking.
#[derive(Clone)]
pub struct RevenueRanking(pub Arc<Ranking>);

object! {
    /// An account's place among the tenant's accounts by annual revenue
    /// converted to the default currency (the rules: README, "The top
    /// 20%").
    #[Object]
    impl RevenueRanking(Ranking) fields revenue_ranking_fields {
        /// 1 for the largest revenue; equal revenues share a rank and the
        /// next rank skips (1, 2, 2, 4). Null when the account is not
        /// ranked (`unrankedReason` says why).
        leaf "rank" rank(r) -> Option<i64> {
            r.rank
        }
        /// How many accounts of the tenant are ranked.
        leaf "rankedAccounts" ranked_accounts(r) -> i64 {
            r.ranked
        }
        /// Whether the rank is at most ceil(rankedAccounts / 5); accounts
        /// tied at that rank are all in.
        leaf "isTopTwentyPercent" is_top_twenty_percent(r) -> bool {
            r.top
        }
        /// Annual revenue converted to the default currency with the rate
        /// in effect today (null when not ranked).
        value "convertedRevenue" converted_revenue(r) -> Option<Money> {
            r.converted_minor.map(|m| money_of(m, &r.default_currency))
        }
        /// Why the account has no rank (null when ranked).
        leaf "unrankedReason" unranked_reason(r) -> Option<UnrankedReason> {
            r.unranked.map(Into::into)
        }
        /// The same, as a sentence (null when ranked).
        leaf "explanation" explanation(r) -> Option<&'static str> {
            r.unranked.map(|u| u.explanation())
        }
    }
}

/// The tenant's accounts as the revenue ranking sees them.
pub struct Portfolio {
    pub row: PortfolioRow,
    pub currency: String,
}

object! {
    /// The tenant's active accounts as the revenue ranking sees them today
    /// (the rules: README, "The top 20%"). Amounts are in the default
    /// currency.
    #[Object]
    impl Portfolio(self) fields portfolio_fields {
        /// The default currency (ISO 4217) the amounts are in.
        leaf "currency" currency(p) -> &str {
            &p.currency
        }
        /// Live accounts that are not archived.
        leaf "activeAccounts" active_accounts(p) -> i64 {
            p.row.active
        }
        /// Of those, the ranked ones (with revenue in a currency with a rate).
        leaf "rankedAccounts" ranked_accounts(p) -> i64 {
            p.row.ranked
        }
        /// Active accounts without a rank (no revenue, or no rate).
        leaf "unrankedAccounts" unranked_accounts(p) -> i64 {
            p.row.active - p.row.ranked
        }
        /// The ranked accounts in the top 20% (ties at the boundary included).
        leaf "topTwentyPercentAccounts" top_twenty_percent_accounts(p) -> i64 {
            p.row.top
        }
        /// The converted annual revenue of the ranked accounts.
        value "revenue" revenue(p) -> Money {
            money_of(p.row.total_minor, &p.currency)
        }
        /// The converted annual revenue of the top 20%.
        value "topTwentyPercentRevenue" top_twenty_percent_revenue(p) -> Money {
            money_of(p.row.top_minor, &p.currency)
        }
        /// The share (0 to 1) of the ranked revenue that the top 20% hold;
        /// null when no ranked account has revenue.
        leaf "paretoRevenueShare" pareto_revenue_share(p) -> Option<f64> {
            share(&p.row)
        }
        /// Whose accounts the views below hold: the tenant's, or, for an
        /// account manager, those on whose team they are (the figures above
        /// are the tenant's ranking).
        async fn scope(&self, ctx: &Context<'_>) -> Result<crate::graphql::portfolio::PortfolioScope> {
            crate::graphql::portfolio::scope(ctx).await
        }
        /// Live, unarchived accounts in scope by tier, largest revenue first.
        async fn by_tier(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::portfolio::PortfolioGroup>> {
            crate::graphql::portfolio::by(ctx, |a| Some(a.tier.as_str())).await
        }
        /// By health band (`null`: no evidence).
        async fn by_health_band(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::portfolio::PortfolioGroup>> {
            crate::graphql::portfolio::by(ctx, |a| a.band.map(|b| b.as_str())).await
        }
        /// By region (`null`: none given).
        async fn by_region(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::portfolio::PortfolioGroup>> {
            crate::graphql::portfolio::by(ctx, |a| a.region.as_deref()).await
        }
        /// By owner.
        async fn by_owner(&self, ctx: &Context<'_>) -> Result<Vec<crate::graphql::portfolio::OwnerGroup>> {
            crate::graphql::portfolio::by_owner(ctx).await
        }
        /// Accounts in jeopardy (band `IN_JEOPARDY` or an unresolved
        /// alert), the lowest score first.
        #[graphql(complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 1")]
        async fn in_jeopardy(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "How many (0 to 100; default 20).")] first: Option<i32>,
        ) -> Result<Vec<crate::graphql::portfolio::PortfolioEntry>> {
            crate::graphql::portfolio::list(ctx, true, first).await
        }
        /// High performers (`HEALTHY`, no unresolved alert), the highest
        /// score first, with their ROTI over the current fiscal year.
        #[graphql(complexity = "first.unwrap_or(10).clamp(0, 100) as usize * child_complexity + 1")]
        async fn high_performers(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "How many (0 to 100; default 10).")] first: Option<i32>,
        ) -> Result<Vec<crate::graphql::portfolio::PortfolioEntry>> {
            crate::graphql::portfolio::list(ctx, false, first).await
        }
    }
}

/// The fields of `Portfolio` the ranking statement gives.
const RANKING_FIELDS: &[&str] = &[
    "activeAccounts",
    "rankedAccounts",
    "unrankedAccounts",
    "topTwentyPercentAccounts",
    "revenue",
    "topTwentyPercentRevenue",
    "paretoRevenueShare",
];

fn share(r: &PortfolioRow) -> Option<f64> {
    (r.total_minor > 0).then(|| r.top_minor as f64 / r.total_minor as f64)
}

#[derive(Default)]
pub struct ParetoQuery;

/// Queries of the top 20%.
#[Object]
impl ParetoQuery {
    /// The tenant's portfolio by revenue today: how many accounts are
    /// ranked, the top 20%, and the share of revenue they hold. One
    /// statement (the database ranks).
    async fn portfolio(&self, ctx: &Context<'_>) -> Result<Portfolio> {
        let p = reader(ctx)?;
        // The ranking statement only when a field of the ranking is
        // selected (the views below read their own facts).
        let la = ctx.look_ahead();
        let ranked = RANKING_FIELDS.iter().any(|f| la.field(f).exists());
        if !ranked {
            let t = crate::graphql::loaders(ctx)?.tenant_row().await?;
            return Ok(Portfolio {
                row: PortfolioRow::default(),
                currency: t.default_currency.clone(),
            });
        }
        let (row, currency) = svc::portfolio(&state(ctx)?.db, p.tenant_id).await?;
        Ok(Portfolio { row, currency })
    }
}

/// Input of `setExchangeRate`.
#[derive(InputObject)]
pub struct SetExchangeRateInput {
    /// ISO 4217 code of a currency other than the tenant's default.
    currency: String,
    /// Units of the default currency one unit of `currency` buys (greater
    /// than 0, at most 1000000, up to 9 decimal places).
    rate: Dec,
    /// The first day the rate applies (a rate of the same currency and day
    /// is replaced).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    valid_from: NaiveDate,
}

/// Input of `deleteExchangeRate`.
#[derive(InputObject)]
pub struct DeleteExchangeRateInput {
    /// ISO 4217 code.
    currency: String,
    /// The day the rate to delete applies from.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    valid_from: NaiveDate,
}

/// Result of an exchange-rate mutation.
#[derive(SimpleObject)]
pub struct ExchangeRatePayload {
    /// The rate as set, or as it was before it was deleted.
    exchange_rate: ExchangeRate,
}

#[derive(Default)]
pub struct ParetoMutation;

/// Mutations of the tenant's exchange rates (admins).
#[Object]
impl ParetoMutation {
    /// Sets an exchange rate to the default currency from a day on.
    async fn set_exchange_rate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetExchangeRateInput,
    ) -> Result<ExchangeRatePayload> {
        let p = principal(ctx)?;
        let m = svc::set_rate(
            &state(ctx)?.db,
            p,
            &input.currency,
            input.rate.0,
            input.valid_from,
        )
        .await
        .map_err(in_input)?;
        Ok(ExchangeRatePayload {
            exchange_rate: ExchangeRate(Arc::new(m)),
        })
    }

    /// Deletes an exchange rate; `NOT_FOUND` when the currency has no rate
    /// from that day.
    async fn delete_exchange_rate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: DeleteExchangeRateInput,
    ) -> Result<ExchangeRatePayload> {
        let p = principal(ctx)?;
        let m = svc::delete_rate(&state(ctx)?.db, p, &input.currency, input.valid_from)
            .await
            .map_err(in_input)?;
        Ok(ExchangeRatePayload {
            exchange_rate: ExchangeRate(Arc::new(m)),
        })
    }
}
