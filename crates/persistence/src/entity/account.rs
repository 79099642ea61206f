use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub name_key: String,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub region: Option<String>,
    pub status: String,
    pub tier: String,
    pub owner_id: Uuid,
    /// The parent account (a global account over its subsidiaries).
    pub parent_id: Option<Uuid>,
    pub annual_revenue_minor: Option<i64>,
    pub annual_revenue_currency: Option<String>,
    pub wallet_estimate_minor: Option<i64>,
    pub wallet_estimate_currency: Option<String>,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub archived_at: Option<ChronoDateTimeUtc>,
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
