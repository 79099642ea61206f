//! The key contact map: influence links between contacts of one account
//! (added and removed by the account's writers), and the map itself
//! (contacts, reporting lines and links, rendered as Mermaid and DOT),
//! assembled here for both read paths.

use super::team::authorize_contact;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::contact::{BuyingRole, ContactStatus};
use domain::contact_map::{
    EdgeKind, InfluenceKind, InfluenceStrength, MapEdge, MapNode, check_link, dot, mermaid,
};
use domain::{Action, ContactId, Principal};
use persistence::entity::{contact, contact_influence as link};
use persistence::repo::{contacts, coverage, influences};
use persistence::{Db, Set};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// Adds an influence link (`from` bears on `to`, both live contacts of one
/// account). The same kind of link between the same two contacts twice is
/// `CONFLICT`.
pub async fn add(
    db: &Db,
    p: &Principal,
    (from, to): (ContactId, ContactId),
    kind: InfluenceKind,
    strength: InfluenceStrength,
    note: Option<String>,
) -> ApiResult<link::Model> {
    let note = check_link(from.0, to.0, note.as_deref())?;
    let w = writer(db, p).await?;
    let f = contacts::get(w.conn(), p.tenant_id, from)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "fromContactId"))?;
    let t = contacts::get(w.conn(), p.tenant_id, to)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "toContactId"))?;
    if f.account_id != t.account_id {
        return Err(ApiError::validation(
            "toContactId",
            "must be a contact of the same account",
        ));
    }
    authorize_contact(w.conn(), p, Action::Update, f.account_id).await?;
    let m = w
        .insert::<link::Entity>(link::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(f.account_id),
            from_contact_id: Set(f.id),
            to_contact_id: Set(t.id),
            kind: Set(kind.as_str().to_owned()),
            strength: Set(strength.as_str().to_owned()),
            note: Set(note),
            ..Default::default()
        })
        .await
        .map_err(|e| {
            if e.is_unique("contact_influences") {
                ApiError::Conflict {
                    message: "this link between these contacts exists already".into(),
                    field: Some("kind".into()),
                }
            } else {
                e.into()
            }
        })?;
    w.commit().await?;
    Ok(m)
}

/// Removes an influence link; returns it as it was.
pub async fn remove(db: &Db, p: &Principal, id: Uuid) -> ApiResult<link::Model> {
    let w = writer(db, p).await?;
    let m = influences::get(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("influence link", "id"))?;
    authorize_contact(w.conn(), p, Action::Update, m.account_id).await?;
    w.delete::<link::Entity>(m.clone()).await?;
    w.commit().await?;
    Ok(m)
}

/// One account's map: its contacts (departed ones too, by name) and lines.
pub struct AccountMap {
    pub contacts: Vec<Arc<contact::Model>>,
    pub edges: Vec<(MapEdge, Option<Uuid>)>,
    pub mermaid: String,
    pub dot: String,
}

/// The maps of `accounts` (two statements for all of them).
pub async fn maps_of(
    db: &Db,
    tenant: domain::TenantId,
    accounts: &[Uuid],
) -> ApiResult<HashMap<Uuid, Arc<AccountMap>>> {
    let conn = db.read();
    let mut by_account: HashMap<Uuid, Vec<Arc<contact::Model>>> = HashMap::new();
    for c in coverage::contacts_of(conn, tenant, accounts).await? {
        by_account
            .entry(c.account_id)
            .or_default()
            .push(Arc::new(c));
    }
    let mut links: HashMap<Uuid, Vec<link::Model>> = HashMap::new();
    for l in influences::of_accounts(conn, tenant, accounts).await? {
        links.entry(l.account_id).or_default().push(l);
    }
    Ok(accounts
        .iter()
        .map(|a| {
            let cs = by_account.remove(a).unwrap_or_default();
            let ls = links.remove(a).unwrap_or_default();
            (*a, Arc::new(map_of(cs, &ls)))
        })
        .collect())
}

fn map_of(contacts: Vec<Arc<contact::Model>>, links: &[link::Model]) -> AccountMap {
    let nodes: Vec<MapNode> = contacts
        .iter()
        .map(|c| MapNode {
            id: c.id,
            name: format!("{} {}", c.first_name, c.last_name),
            title: c.title.clone(),
            role: c.buying_role.as_deref().and_then(BuyingRole::from_str_opt),
            left: ContactStatus::from_str_opt(&c.status) == Some(ContactStatus::LeftCompany),
        })
        .collect();
    let ids: HashSet<Uuid> = contacts.iter().map(|c| c.id).collect();
    let mut edges: Vec<(MapEdge, Option<Uuid>)> = contacts
        .iter()
        .filter_map(|c| {
            let to = c.reports_to_id.filter(|m| ids.contains(m))?;
            Some((
                MapEdge {
                    from: c.id,
                    to,
                    kind: EdgeKind::ReportsTo,
                    strength: None,
                },
                None,
            ))
        })
        .collect();
    edges.extend(links.iter().filter_map(|l| {
        Some((
            MapEdge {
                from: l.from_contact_id,
                to: l.to_contact_id,
                kind: EdgeKind::Link(InfluenceKind::from_str_opt(&l.kind)?),
                strength: InfluenceStrength::from_str_opt(&l.strength),
            },
            Some(l.id),
        ))
    }));
    let plain: Vec<MapEdge> = edges.iter().map(|(e, _)| e.clone()).collect();
    AccountMap {
        mermaid: mermaid(&nodes, &plain),
        dot: dot(&nodes, &plain),
        contacts,
        edges,
    }
}
