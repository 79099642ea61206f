use sea_orm::entity::prelude::*;

/// An insight about an account's customer (`domain::profile::Insight`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_insights")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    /// `domain::profile::InsightKind` as stored.
    pub kind: String,
    pub title: String,
    pub detail: Option<String>,
    /// `domain::profile::Horizon` as stored.
    pub horizon: Option<String>,
    /// `domain::profile::Priority` as stored.
    pub priority: Option<String>,
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
