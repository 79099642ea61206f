use sea_orm::entity::prelude::*;

/// A contract with the customer of an account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    /// Ten-thousandths of `value_currency`.
    pub value_minor: i64,
    pub value_currency: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    pub renewal_date: Option<Date>,
    /// `domain::contract::ContractStage` as stored.
    pub stage: String,
    /// `domain::contract::ContractRisk` as stored.
    pub risk: String,
    pub risk_reason: Option<String>,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
