//! The customer's financial history (`account.financials`,
//! `account.trajectory`) and the competitors present in the account
//! (`account.competitors`), with their mutations.

use crate::graphql::common::decimal::Dec;
use crate::graphql::common::enums::CompetitorPosition;
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::values::{Money, MoneyInputGql, money_of, patch};
use crate::graphql::{in_input, principal, state};
use crate::loaders::Row;
use crate::services::financials::YearView;
use crate::services::{competitors as competitor_svc, financials as svc};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::AccountId;
use domain::competitor::{CompetitorInput, CompetitorPatch};
use domain::financials::FinancialYearInput;
use persistence::entity::account_competitor as competitor;
use std::sync::Arc;

/// A fiscal year's figures.
pub type FinancialYear = YearView;

object! {
    /// The customer's figures of one fiscal year (as the customer reports
    /// them; the fiscal year is the customer's).
    #[Object]
    impl FinancialYear(self) fields financial_year_fields {
        /// The fiscal year.
        leaf "fiscalYear" fiscal_year(y) -> i32 {
            y.row.fiscal_year
        }
        /// Revenue of the year.
        value "revenue" revenue(y) -> Money {
            money_of(y.row.revenue_minor, &y.row.revenue_currency)
        }
        /// Growth against the year before in percent (2 decimals): only
        /// when that year is recorded, in the same currency, with revenue.
        leaf "growthPercent" growth_percent(y) -> Option<Dec> {
            y.growth.map(Dec)
        }
        /// Margin in percent, where known.
        leaf "marginPercent" margin_percent(y) -> Option<Dec> {
            y.row.margin_bp.map(|m| Dec(domain::financials::percent_of(m)))
        }
        /// Notes.
        leaf "notes" notes(y) -> Option<&str> {
            y.row.notes.as_deref()
        }
        /// When the figures were last set.
        leaf "updatedAt" updated_at(y) -> DateTime<Utc> {
            y.row.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(y) -> i64 {
            y.row.version
        }
    }
}

/// A competitor present in an account.
#[derive(Clone)]
pub struct Competitor(pub Row<competitor::Model>);

object! {
    /// A competitor present in an account.
    #[Object]
    impl Competitor(competitor::Model) fields competitor_fields {
        /// The id (for `updateCompetitor`, `removeCompetitor` and
        /// `setWhiteSpaceCell`'s `competitorId`).
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::Competitor, c.id)
        }
        /// The account's id.
        leaf "accountId" account_id(c) -> GlobalId {
            GlobalId(Kind::Account, c.account_id)
        }
        /// The competitor's name.
        leaf "name" name(c) -> &str {
            &c.name
        }
        /// Where it stands in the account.
        leaf "position" position(c) -> CompetitorPosition {
            CompetitorPosition::from_db(&c.position)
        }
        /// What it sells there.
        leaf "offering" offering(c) -> Option<&str> {
            c.offering.as_deref()
        }
        /// Notes.
        leaf "notes" notes(c) -> Option<&str> {
            c.notes.as_deref()
        }
        /// When it last changed.
        leaf "updatedAt" updated_at(c) -> DateTime<Utc> {
            c.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(c) -> i64 {
            c.version
        }
    }
}

/// Input of `setFinancialYear`.
#[derive(InputObject)]
pub struct SetFinancialYearInput {
    /// The account.
    account_id: ID,
    /// The customer's fiscal year (1900 to 2200); its figures are replaced.
    fiscal_year: i32,
    /// Revenue of the year.
    revenue: MoneyInputGql,
    /// Margin in percent (-1000 to 100, up to 2 decimals), where known.
    margin_percent: Option<Dec>,
    /// Notes (at most 2000 characters).
    notes: Option<String>,
}

/// Input of `removeFinancialYear`.
#[derive(InputObject)]
pub struct RemoveFinancialYearInput {
    /// The account.
    account_id: ID,
    /// The fiscal year to remove.
    fiscal_year: i32,
}

/// Result of a financial-year mutation.
#[derive(SimpleObject)]
pub struct FinancialYearPayload {
    /// The year as set, or as it was before removal (growth not computed:
    /// read `account.financials` for it).
    financial_year: FinancialYear,
}

/// Input of `addCompetitor`.
#[derive(InputObject)]
pub struct AddCompetitorInput {
    /// The account.
    account_id: ID,
    /// The competitor's name (required, at most 200 characters).
    name: String,
    /// Where it stands.
    position: CompetitorPosition,
    /// What it sells there (at most 5000 characters).
    offering: Option<String>,
    /// Notes (at most 5000 characters).
    notes: Option<String>,
}

/// Input of `updateCompetitor`: absent fields stay unchanged, `null` clears.
#[derive(InputObject)]
pub struct UpdateCompetitorInput {
    /// The competitor.
    id: ID,
    /// New name (cannot be null).
    name: MaybeUndefined<String>,
    /// New position (cannot be null).
    position: MaybeUndefined<CompetitorPosition>,
    /// New offering.
    offering: MaybeUndefined<String>,
    /// New notes.
    notes: MaybeUndefined<String>,
}

/// Input naming one competitor.
#[derive(InputObject)]
pub struct CompetitorIdInput {
    /// The competitor.
    id: ID,
}

/// Result of a competitor mutation.
#[derive(SimpleObject)]
pub struct CompetitorPayload {
    /// The competitor as it is now.
    competitor: Competitor,
}

fn competitor_payload(m: competitor::Model) -> CompetitorPayload {
    CompetitorPayload {
        competitor: Competitor(Arc::new(m)),
    }
}

fn account_of(id: &ID) -> Result<AccountId, crate::error::ApiError> {
    Ok(AccountId(
        decode(Kind::Account, id, "accountId").map_err(in_input)?,
    ))
}

#[derive(Default)]
pub struct FinancialsMutation;

/// Mutations of the financial history and the competitors (the account's
/// writers).
#[Object]
impl FinancialsMutation {
    /// Sets the customer's figures of a fiscal year (replacing that year's).
    async fn set_financial_year(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetFinancialYearInput,
    ) -> Result<FinancialYearPayload> {
        let p = principal(ctx)?;
        let raw = FinancialYearInput {
            fiscal_year: input.fiscal_year,
            revenue: input.revenue.into(),
            margin_percent: input.margin_percent.map(|d| d.0),
            notes: input.notes,
        };
        let m = svc::set_year(&state(ctx)?.db, p, account_of(&input.account_id)?, raw)
            .await
            .map_err(in_input)?;
        Ok(FinancialYearPayload {
            financial_year: YearView {
                row: m,
                growth: None,
            },
        })
    }

    /// Removes the customer's figures of a fiscal year.
    async fn remove_financial_year(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RemoveFinancialYearInput,
    ) -> Result<FinancialYearPayload> {
        let p = principal(ctx)?;
        let m = svc::remove_year(
            &state(ctx)?.db,
            p,
            account_of(&input.account_id)?,
            input.fiscal_year,
        )
        .await
        .map_err(in_input)?;
        Ok(FinancialYearPayload {
            financial_year: YearView {
                row: m,
                growth: None,
            },
        })
    }

    /// Records a competitor present in an account.
    async fn add_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddCompetitorInput,
    ) -> Result<CompetitorPayload> {
        let p = principal(ctx)?;
        let raw = CompetitorInput {
            name: input.name,
            position: input.position.into(),
            offering: input.offering,
            notes: input.notes,
        };
        let m = competitor_svc::add(&state(ctx)?.db, p, account_of(&input.account_id)?, raw)
            .await
            .map_err(in_input)?;
        Ok(competitor_payload(m))
    }

    /// Changes a competitor.
    async fn update_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateCompetitorInput,
    ) -> Result<CompetitorPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Competitor, &input.id, "id").map_err(in_input)?;
        let raw = CompetitorPatch {
            name: patch(input.name, |v| v),
            position: patch(input.position, Into::into),
            offering: patch(input.offering, |v| v),
            notes: patch(input.notes, |v| v),
        };
        let m = competitor_svc::update(&state(ctx)?.db, p, id, raw)
            .await
            .map_err(in_input)?;
        Ok(competitor_payload(m))
    }

    /// Removes a competitor (a tombstone stays); white-space cells that
    /// pointed to it keep the competitor's name but lose the link.
    async fn remove_competitor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CompetitorIdInput,
    ) -> Result<CompetitorPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Competitor, &input.id, "id").map_err(in_input)?;
        let m = competitor_svc::remove(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        Ok(competitor_payload(m))
    }
}
