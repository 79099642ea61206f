//! Coverage of accounts (`account.coverage`): the rows `domain::coverage`
//! reads, read for a whole level of accounts in three statements (their
//! contacts, their teams, when each contact last took part in an
//! activity), and assessed with the domain's rules. Both read paths call
//! [`assess_accounts`].

use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use domain::TenantId;
use domain::cadence::Cadence;
use domain::contact::{Attitude, BuyingRole, ContactStatus};
use domain::coverage::{Coverage, CoveredContact, assess};
use domain::team::TeamRole;
use persistence::Db;
use persistence::entity::contact;
use persistence::repo::{coverage, team};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Each account's coverage, and the contacts its gaps name (by id).
pub struct Assessed {
    pub by_account: HashMap<Uuid, Arc<Coverage>>,
    pub contacts: HashMap<Uuid, contact::Model>,
}

fn covered(c: &contact::Model, last: Option<DateTime<Utc>>) -> CoveredContact {
    CoveredContact {
        id: c.id,
        name: format!("{} {}", c.first_name, c.last_name),
        status: ContactStatus::from_str_opt(&c.status).unwrap_or(ContactStatus::Active),
        buying_role: c.buying_role.as_deref().and_then(BuyingRole::from_str_opt),
        influence: c.influence,
        attitude: c.attitude.as_deref().and_then(Attitude::from_str_opt),
        relationship_owner: c.relationship_owner_id,
        preferred_frequency: c
            .preferred_frequency
            .as_deref()
            .and_then(Cadence::from_str_opt),
        last_activity: last,
    }
}

/// Assesses the coverage of `accounts` (live ones; others get none).
pub async fn assess_accounts(db: &Db, tenant: TenantId, accounts: &[Uuid]) -> ApiResult<Assessed> {
    let conn = db.read();
    let contacts = coverage::contacts_of(conn, tenant, accounts).await?;
    // Only a contact's preferred frequency makes its last activity matter
    // (`STALE_CONTACT`): the others' activities are not read.
    let ids: Vec<Uuid> = contacts
        .iter()
        .filter(|c| c.preferred_frequency.is_some())
        .map(|c| c.id)
        .collect();
    let last: HashMap<Uuid, DateTime<Utc>> = coverage::last_activity_of(conn, tenant, &ids)
        .await?
        .into_iter()
        .collect();
    let mut roles: HashMap<Uuid, Vec<TeamRole>> = HashMap::new();
    for m in team::of_accounts(conn, tenant, accounts).await? {
        if let Some(r) = TeamRole::from_str_opt(&m.role) {
            roles.entry(m.account_id).or_default().push(r);
        }
    }
    let mut by_contacts: HashMap<Uuid, Vec<CoveredContact>> = HashMap::new();
    for c in &contacts {
        by_contacts
            .entry(c.account_id)
            .or_default()
            .push(covered(c, last.get(&c.id).copied()));
    }
    let now = Utc::now();
    let by_account = accounts
        .iter()
        .map(|a| {
            let cs = by_contacts.get(a).map_or(&[][..], Vec::as_slice);
            let team = roles.get(a).map_or(&[][..], Vec::as_slice);
            (*a, Arc::new(assess(cs, team, now)))
        })
        .collect();
    Ok(Assessed {
        by_account,
        contacts: contacts.into_iter().map(|c| (c.id, c)).collect(),
    })
}
