//! The `Tenant`, `User` and `Viewer` objects and their field resolvers.

use crate::error::ApiError;
use crate::graphql::actions::{self, Occurrence};
use crate::graphql::common::enums::Role;
use crate::graphql::common::ids::{Kind, encode};
use crate::graphql::count::TotalCount;
use crate::graphql::{principal, state};
use crate::loaders::Row;
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use persistence::entity::{tenant, user};

/// A supplier organisation using Steward.
pub struct Tenant(pub tenant::Model);

/// A supplier organisation using Steward.
#[Object]
impl Tenant {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Tenant, self.0.tenant_id)
    }
    /// Short name used at login.
    async fn slug(&self) -> &str {
        &self.0.slug
    }
    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// IANA time zone of the tenant, e.g. `Europe/Berlin`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
    /// Month (1-12) in which the fiscal year starts.
    async fn fiscal_year_start_month(&self) -> i32 {
        self.0.fiscal_year_start_month
    }
    /// Default ISO 4217 currency.
    async fn default_currency(&self) -> &str {
        &self.0.default_currency
    }
}

/// A person of the supplier who uses Steward.
#[derive(Clone)]
pub struct User(pub Row<user::Model>);

/// A person of the supplier who uses Steward.
#[Object]
impl User {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::User, self.0.id)
    }
    /// E-mail address (the login name, unique in the tenant).
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Name shown to others.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// What the user may do.
    async fn role(&self) -> Role {
        Role::from_db(&self.0.role)
    }
    /// False once deactivated: the user can no longer sign in.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the user was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
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
}
