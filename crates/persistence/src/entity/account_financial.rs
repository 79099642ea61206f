use sea_orm::entity::prelude::*;

/// The customer's figures of one fiscal year (`domain::financials`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_financials")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub fiscal_year: i32,
    /// Ten-thousandths of `revenue_currency`.
    pub revenue_minor: i64,
    pub revenue_currency: String,
    /// Hundredths of a percent.
    pub margin_bp: Option<i32>,
    pub notes: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
