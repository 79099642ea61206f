//! The `Tenant`, `User` and `Viewer` objects and their field resolvers.

use crate::error::ApiError;
use crate::graphql::account::{AccountConnection, accounts_connection};
use crate::graphql::actions::{self, Occurrence};
use crate::graphql::common::enums::{AccountOrderBy, Role};
use crate::graphql::common::filters::{AccountFilter, my_accounts_filter, wants_today};
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::count::TotalCount;
use crate::graphql::{principal, state};
use crate::loaders::Row;
use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::{tenant, user};

/// A supplier organisation using Steward.
pub struct Tenant(pub tenant::Model);

object! {
    /// A supplier organisation using Steward.
    #[Object]
    impl Tenant(tenant::Model) fields tenant_fields {
        /// The global id.
        pub(crate) leaf "id" id(t) [tenant_id] -> GlobalId {
            GlobalId(Kind::Tenant, t.tenant_id)
        }
        /// Short name used at login.
        leaf "slug" slug(t) -> &str {
            &t.slug
        }
        /// Display name.
        leaf "name" name(t) -> &str {
            &t.name
        }
        /// IANA time zone of the tenant, e.g. `Europe/Berlin`.
        leaf "timeZone" time_zone(t) -> &str {
            &t.time_zone
        }
        /// Month (1-12) in which the fiscal year starts.
        leaf "fiscalYearStartMonth" fiscal_year_start_month(t) -> i32 {
            t.fiscal_year_start_month
        }
        /// Default ISO 4217 currency.
        leaf "defaultCurrency" default_currency(t) -> &str {
            &t.default_currency
        }
        /// Every exchange rate the tenant keeps to its default currency
        /// (at most 1000; admins set them with `setExchangeRate`), by
        /// currency, newest first. The rate in effect for a currency is its
        /// newest with `validFrom` on or before today.
        async fn exchange_rates(
            &self,
            ctx: &Context<'_>,
        ) -> Result<Vec<crate::graphql::pareto::ExchangeRate>> {
            let p = crate::graphql::reader(ctx)?;
            let rows =
                persistence::repo::pareto::rates(state(ctx)?.db.read(), p.tenant_id)
                    .await
                    .map_err(ApiError::from)?;
            Ok(rows
                .into_iter()
                .map(|r| crate::graphql::pareto::ExchangeRate(std::sync::Arc::new(r)))
                .collect())
        }
        /// The thresholds of the jeopardy rules (the documented defaults
        /// until an admin changes them with `setAlertSettings`).
        async fn alert_settings(&self, ctx: &Context<'_>) -> Result<crate::graphql::alerts::AlertSettings> {
            let p = crate::graphql::reader(ctx)?;
            let v = crate::services::alerts::settings_view(&state(ctx)?.db, p.tenant_id).await?;
            Ok(crate::graphql::alerts::AlertSettings(v))
        }
        /// The health model that scores accounts from evidence signals
        /// (the documented defaults until an admin changes them with
        /// `setHealthModel`).
        async fn health_model(&self, ctx: &Context<'_>) -> Result<crate::graphql::health::HealthModel> {
            let p = crate::graphql::reader(ctx)?;
            let v = crate::services::signals::model_view(&state(ctx)?.db, p.tenant_id).await?;
            Ok(crate::graphql::health::HealthModel(v))
        }
    }
}

/// A person of the supplier who uses Steward.
#[derive(Clone)]
pub struct User(pub Row<user::Model>);

object! {
    /// A person of the supplier who uses Steward.
    #[Object]
    impl User(user::Model) fields user_fields {
        /// The global id.
        pub(crate) leaf "id" id(u) -> GlobalId {
            GlobalId(Kind::User, u.id)
        }
        /// E-mail address (the login name, unique in the tenant).
        leaf "email" email(u) -> &str {
            &u.email
        }
        /// Name shown to others.
        leaf "displayName" display_name(u) -> &str {
            &u.display_name
        }
        /// What the user may do.
        leaf "role" role(u) -> Role {
            Role::from_db(&u.role)
        }
        /// False once deactivated: the user can no longer sign in.
        leaf "active" active(u) -> bool {
            u.active
        }
        /// When the user was created.
        leaf "createdAt" created_at(u) -> DateTime<Utc> {
            u.created_at
        }
        /// Return on time invested by the user over a period (default: the
        /// current fiscal year): the hours of the activities they logged or
        /// took part in; the revenue, growth and objectives of the accounts
        /// they own.
        async fn roti(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "The period (default: the current fiscal year).")] period: Option<crate::graphql::roti::RotiPeriodInput>,
        ) -> Result<crate::graphql::roti::Roti> {
            crate::graphql::reader(ctx)?;
            let p = crate::graphql::roti::period(ctx, period).await?;
            Ok(crate::graphql::roti::Roti(
                crate::graphql::loaders(ctx)?.roti(true, self.0.id, p).await?,
            ))
        }
    }
}

/// Users of the tenant, by e-mail.
pub type UserConnection = Connection<String, User, TotalCount>;

/// The signed-in caller.
pub struct Viewer {
    pub user: User,
}

/// The signed-in caller.
#[Object]
impl Viewer {
    /// The signed-in user.
    async fn user(&self) -> &User {
        &self.user
    }
    /// The caller's tenant.
    async fn tenant(&self, ctx: &Context<'_>) -> Result<Tenant> {
        let p = principal(ctx)?;
        let t = persistence::repo::tenants::get(state(ctx)?.db.read(), p.tenant_id)
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::not_found("tenant"))?;
        Ok(Tenant(t))
    }
    /// Your agenda: occurrences of the OPEN action items assigned to you,
    /// across accounts, due between `from` and `to` (both included, at most
    /// 366 days apart), by due date. An occurrence is overdue when its day
    /// is past (in the tenant's time zone) and it has no assessment.
    #[graphql(complexity = "crate::limits::window_size(from, to) * child_complexity + 1")]
    async fn agenda(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The first day of the window (include past days to see what is overdue).",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        from: chrono::NaiveDate,
        #[graphql(
            desc = "The last day of the window.",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        to: chrono::NaiveDate,
    ) -> Result<Vec<Occurrence>> {
        actions::agenda(ctx, from, to).await
    }
    /// The accounts you are on the team of (in any team role), as a Relay
    /// connection with keyset cursors, filtered and ordered like `accounts`.
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n accounts (at most 100; default 20).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns accounts after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n accounts (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns accounts before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which of your accounts to list.")] filter: Option<AccountFilter>,
        #[graphql(desc = "Order of the list (default NAME_ASC).")] order_by: Option<AccountOrderBy>,
    ) -> Result<AccountConnection> {
        let me = principal(ctx)?.user_id.0;
        let today = match wants_today(&filter) {
            true => Some(crate::graphql::loaders(ctx)?.today().await?),
            false => None,
        };
        let filter = my_accounts_filter(filter, today, me)?;
        accounts_connection(ctx, first, after, last, before, filter, order_by).await
    }
}
