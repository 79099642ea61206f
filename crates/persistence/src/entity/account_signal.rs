use sea_orm::entity::prelude::*;

/// An evidence signal (`domain::signal`): what the customer did, when;
/// `created_by` is who recorded it. Removed as a tombstone with a reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_signals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    /// `domain::signal::SignalKind` as stored.
    pub kind: String,
    pub observed_at: ChronoDateTimeUtc,
    pub note: Option<String>,
    pub removal_reason: Option<String>,
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
