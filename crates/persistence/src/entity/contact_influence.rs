use sea_orm::entity::prelude::*;

/// An influence link between two contacts of one account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contact_influences")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub from_contact_id: Uuid,
    pub to_contact_id: Uuid,
    /// `domain::contact_map::InfluenceKind` as stored.
    pub kind: String,
    /// `domain::contact_map::InfluenceStrength` as stored.
    pub strength: String,
    pub note: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
