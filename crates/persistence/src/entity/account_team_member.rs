use sea_orm::entity::prelude::*;

/// A user of the supplier on an account's team, in a team role.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_team_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub user_id: Uuid,
    /// `domain::team::TeamRole` as stored.
    pub role: String,
    pub responsibility: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
