use sea_orm::entity::prelude::*;

/// An account's stored evidence (`domain::health::Evidence`), one row per
/// account with signals: per-kind decay sums at `anchor_at` (a JSON object
/// by kind), computed with `half_life_days`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_health")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub anchor_at: ChronoDateTimeUtc,
    /// A JSON object: kind -> sum of decay factors at `anchor_at`.
    pub sums: String,
    pub signal_count: i64,
    pub last_signal_at: Option<ChronoDateTimeUtc>,
    pub half_life_days: i32,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
