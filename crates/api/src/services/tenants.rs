//! Tenants: created from the command line with their first admin.

use crate::auth::hash_password;
use crate::error::{ApiError, ApiResult};
use domain::TenantId;
use domain::tenant::{Slug, TimeZone};
use domain::text::{CurrencyCode, Email, MAX_SHORT_TEXT, RequiredText};
use domain::user::{Password, Role};
use persistence::Db;
use persistence::entity::{tenant, user};
use persistence::repo::{tenants, users};
use persistence::write::Writer;

pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub fiscal_year_start_month: i32,
    pub currency: &'a str,
    pub admin_email: &'a str,
    pub admin_name: &'a str,
    pub admin_password: &'a str,
}

/// Creates a tenant and its first admin in one transaction.
pub async fn create_tenant(db: &Db, t: NewTenant<'_>) -> ApiResult<(tenant::Model, user::Model)> {
    // The tenant does not exist yet: the owner's connections (`Db::system`).
    let db = db.system();
    let slug = Slug::parse("slug", t.slug)?;
    let name = RequiredText::parse("name", t.name, MAX_SHORT_TEXT)?;
    let tz = TimeZone::parse("timeZone", t.time_zone)?;
    let month = domain::tenant::FiscalYearStartMonth::parse(
        "fiscalYearStartMonth",
        t.fiscal_year_start_month,
    )?;
    let currency = CurrencyCode::parse("currency", t.currency)?;
    let email = Email::parse_sign_in("adminEmail", t.admin_email)?;
    let admin_name = RequiredText::parse("adminName", t.admin_name, MAX_SHORT_TEXT)?;
    let password = Password::parse(
        "password",
        t.admin_password,
        &[email.as_str(), admin_name.as_str(), t.slug],
    )?;
    let hash = hash_password(password.expose().to_owned()).await?;
    let w = Writer::begin(db, None, None).await?;
    let tenant = tenants::insert(
        &w,
        tenants::NewTenant {
            slug: slug.as_str(),
            name: name.as_str(),
            time_zone: tz.as_str(),
            fiscal_year_start_month: i32::from(month.get()),
            default_currency: currency.as_str(),
        },
    )
    .await
    .map_err(|e| match e {
        persistence::StoreError::UniqueViolation { .. } => ApiError::Conflict {
            message: format!("a tenant with slug {} already exists", slug.as_str()),
            field: Some("slug".into()),
        },
        other => other.into(),
    })?;
    let admin = users::insert(
        &w,
        TenantId(tenant.tenant_id),
        users::NewUser {
            email: email.as_str(),
            email_key: &email.key(),
            display_name: admin_name.as_str(),
            role: Role::Admin.as_str(),
            password_hash: &hash,
        },
    )
    .await?;
    w.commit().await?;
    Ok((tenant, admin))
}
