//! The key contact map (`account.contactMap`): a graph of the account's
//! contacts and the lines between them, with Mermaid and DOT renderings;
//! and the influence links (`addContactInfluence`,
//! `removeContactInfluence`). The map is a graph, not a Relay connection:
//! every contact and every line of the account at once.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::{ContactMapEdgeKind, InfluenceKind, InfluenceStrength};
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::contact::Contact;
use crate::graphql::{in_input, loaders, principal, state};
use crate::services::influences::{self as svc, AccountMap};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::ContactId;
use domain::contact_map::{EdgeKind, MapEdge};
use persistence::entity::contact_influence as link;
use std::sync::Arc;

/// An account's key contact map.
pub struct ContactMap(pub Arc<AccountMap>);

/// An account's key contact map: every live contact (departed ones too,
/// marked by their `status`) and the lines between them. A graph, not a
/// Relay connection: it comes whole.
#[Object]
impl ContactMap {
    /// The contacts, by name; each carries its buying role, influence,
    /// attitude, status and relationship owner.
    async fn nodes(&self) -> Vec<Contact> {
        self.0.contacts.iter().cloned().map(Contact).collect()
    }
    /// Reporting lines (from the contact to their manager) first, then
    /// influence links in the order they were added.
    async fn edges(&self) -> Vec<ContactMapEdge> {
        self.0
            .edges
            .iter()
            .map(|(e, id)| ContactMapEdge(e.clone(), *id))
            .collect()
    }
    /// The same graph as a Mermaid flowchart (nodes `c1`, `c2`, ... in
    /// `nodes` order; departed contacts in class `left`).
    async fn mermaid(&self) -> &str {
        &self.0.mermaid
    }
    /// The same graph in Graphviz DOT (`dot -Tsvg` draws it).
    async fn dot(&self) -> &str {
        &self.0.dot
    }
}

/// A line on the contact map.
pub struct ContactMapEdge(MapEdge, Option<uuid::Uuid>);

/// A line on the contact map: `from` reports to, influences, or is
/// allied with or rival to `to`.
#[Object]
impl ContactMapEdge {
    /// What the line is.
    async fn kind(&self) -> ContactMapEdgeKind {
        match self.0.kind {
            EdgeKind::ReportsTo => ContactMapEdgeKind::ReportsTo,
            EdgeKind::Link(k) => InfluenceKind::from(k).into(),
        }
    }
    /// The contact the line starts from (a node's `id`).
    async fn from_id(&self) -> GlobalId {
        GlobalId(Kind::Contact, self.0.from)
    }
    /// The contact the line goes to.
    async fn to_id(&self) -> GlobalId {
        GlobalId(Kind::Contact, self.0.to)
    }
    /// How strong an influence link is (`null` for a reporting line).
    async fn strength(&self) -> Option<InfluenceStrength> {
        self.0.strength.map(Into::into)
    }
    /// The influence link's id (for `removeContactInfluence`; `null` for a
    /// reporting line).
    async fn influence_id(&self) -> Option<GlobalId> {
        self.1.map(|i| GlobalId(Kind::ContactInfluence, i))
    }
}

/// An influence link between two contacts of one account.
pub struct ContactInfluence(pub link::Model);

/// An influence link between two contacts of one account.
#[Object]
impl ContactInfluence {
    /// The link's id.
    async fn id(&self) -> GlobalId {
        GlobalId(Kind::ContactInfluence, self.0.id)
    }
    /// The contact who bears on the other.
    async fn from_contact_id(&self) -> GlobalId {
        GlobalId(Kind::Contact, self.0.from_contact_id)
    }
    /// The contact borne on.
    async fn to_contact_id(&self) -> GlobalId {
        GlobalId(Kind::Contact, self.0.to_contact_id)
    }
    /// How `from` bears on `to`.
    async fn kind(&self) -> InfluenceKind {
        InfluenceKind::from_db(&self.0.kind)
    }
    /// How strong the link is.
    async fn strength(&self) -> InfluenceStrength {
        InfluenceStrength::from_db(&self.0.strength)
    }
    /// What we know of it.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// Input of `addContactInfluence`.
#[derive(InputObject)]
pub struct AddContactInfluenceInput {
    /// The contact who bears on the other.
    from_contact_id: ID,
    /// The contact borne on (another contact of the same account).
    to_contact_id: ID,
    /// How.
    kind: InfluenceKind,
    /// How strongly (default MEDIUM).
    strength: Option<InfluenceStrength>,
    /// What we know of it (at most 500 characters).
    note: Option<String>,
}

/// Input of `removeContactInfluence`.
#[derive(InputObject)]
pub struct RemoveContactInfluenceInput {
    /// The link (`ContactMapEdge.influenceId`).
    id: ID,
}

/// Result of adding an influence link.
#[derive(SimpleObject)]
pub struct AddContactInfluencePayload {
    /// The link.
    influence: ContactInfluence,
    /// The account (select `contactMap` for the map as it is now).
    account: Account,
}

/// Result of removing an influence link.
#[derive(SimpleObject)]
pub struct RemoveContactInfluencePayload {
    /// The id of the link removed.
    removed_id: ID,
    /// The account (select `contactMap` for the map as it is now).
    account: Account,
}

async fn account_of(ctx: &Context<'_>, id: uuid::Uuid) -> Result<Account> {
    let a = loaders(ctx)?
        .account(id)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    Ok(Account(a))
}

#[derive(Default)]
pub struct ContactMapMutation;

/// Mutations of the key contact map (the account's writers).
#[Object]
impl ContactMapMutation {
    /// Adds an influence link between two contacts of one account. The same
    /// kind of link between the same two contacts twice is `CONFLICT`.
    async fn add_contact_influence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: AddContactInfluenceInput,
    ) -> Result<AddContactInfluencePayload> {
        let p = principal(ctx)?;
        let from =
            decode(Kind::Contact, &input.from_contact_id, "fromContactId").map_err(in_input)?;
        let to = decode(Kind::Contact, &input.to_contact_id, "toContactId").map_err(in_input)?;
        let m = svc::add(
            &state(ctx)?.db,
            p,
            (ContactId(from), ContactId(to)),
            input.kind.into(),
            input
                .strength
                .map_or(domain::contact_map::InfluenceStrength::Medium, Into::into),
            input.note,
        )
        .await
        .map_err(in_input)?;
        let account = account_of(ctx, m.account_id).await?;
        Ok(AddContactInfluencePayload {
            influence: ContactInfluence(m),
            account,
        })
    }

    /// Removes an influence link.
    async fn remove_contact_influence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RemoveContactInfluenceInput,
    ) -> Result<RemoveContactInfluencePayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::ContactInfluence, &input.id, "id").map_err(in_input)?;
        let m = svc::remove(&state(ctx)?.db, p, id)
            .await
            .map_err(in_input)?;
        let account = account_of(ctx, m.account_id).await?;
        Ok(RemoveContactInfluencePayload {
            removed_id: GlobalId(Kind::ContactInfluence, m.id).into(),
            account,
        })
    }
}
