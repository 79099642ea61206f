//! The contact mutations.

use super::input::{
    ContactIdInput, ContactPayload, CreateContactInput, SetPreferredColleaguesInput,
    UpdateContactInput,
};
use super::object::Contact;
use crate::error::ApiError;
use crate::graphql::common::ids::{Kind, decode};
use crate::graphql::common::values::patch;
use crate::graphql::{in_input, principal, state};
use crate::services::contacts as svc;
use async_graphql::{Context, ID, MaybeUndefined, Object, Result};
use domain::contact::{ContactInput, ContactPatchInput};
use domain::{AccountId, ContactId, Patch, UserId};
use std::sync::Arc;

fn payload(m: persistence::entity::contact::Model) -> ContactPayload {
    ContactPayload {
        contact: Contact(Arc::new(m)),
    }
}

fn id_patch(v: MaybeUndefined<ID>, kind: Kind, field: &str) -> Result<Patch<uuid::Uuid>, ApiError> {
    Ok(match v {
        MaybeUndefined::Undefined => Patch::Unchanged,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(id) => Patch::Set(decode(kind, &id, field).map_err(in_input)?),
    })
}

fn opt_id(v: Option<&ID>, kind: Kind, field: &str) -> Result<Option<uuid::Uuid>, ApiError> {
    v.map(|id| decode(kind, id, field))
        .transpose()
        .map_err(in_input)
}

#[derive(Default)]
pub struct ContactMutation;

/// Mutations of contacts.
#[Object]
impl ContactMutation {
    /// Adds a contact to an account (writers of that account).
    async fn create_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: CreateContactInput,
    ) -> Result<ContactPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let raw = ContactInput {
            first_name: input.first_name,
            last_name: input.last_name,
            title: input.title,
            department: input.department,
            email: input.email,
            phone: input.phone,
            status: input.status.map(Into::into),
            buying_role: input.buying_role.map(Into::into),
            influence: input.influence,
            attitude: input.attitude.map(Into::into),
            reports_to_id: opt_id(input.reports_to_id.as_ref(), Kind::Contact, "reportsToId")?
                .map(ContactId),
            relationship_owner_id: opt_id(
                input.relationship_owner_id.as_ref(),
                Kind::User,
                "relationshipOwnerId",
            )?
            .map(UserId),
            preferred_channel: input.preferred_channel.map(Into::into),
            preferred_frequency: input.preferred_frequency.map(Into::into),
            external_ref: input.external_ref.map(Into::into),
        };
        Ok(payload(
            svc::create(&state(ctx)?.db, p, account, raw)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Changes a contact (writers of its account).
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: UpdateContactInput,
    ) -> Result<ContactPayload> {
        let p = principal(ctx)?;
        let id = ContactId(decode(Kind::Contact, &input.id, "id").map_err(in_input)?);
        let raw = ContactPatchInput {
            first_name: patch(input.first_name, |v| v),
            last_name: patch(input.last_name, |v| v),
            title: patch(input.title, |v| v),
            department: patch(input.department, |v| v),
            email: patch(input.email, |v| v),
            phone: patch(input.phone, |v| v),
            status: patch(input.status, Into::into),
            buying_role: patch(input.buying_role, Into::into),
            influence: patch(input.influence, |v| v),
            attitude: patch(input.attitude, Into::into),
            reports_to_id: id_patch(input.reports_to_id, Kind::Contact, "reportsToId")?
                .map(ContactId),
            relationship_owner_id: id_patch(
                input.relationship_owner_id,
                Kind::User,
                "relationshipOwnerId",
            )?
            .map(UserId),
            preferred_channel: patch(input.preferred_channel, Into::into),
            preferred_frequency: patch(input.preferred_frequency, Into::into),
            external_ref: patch(input.external_ref, Into::into),
        };
        Ok(payload(
            svc::update(&state(ctx)?.db, p, id, raw)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Replaces the colleagues of ours the contact prefers to deal with.
    async fn set_contact_preferred_colleagues(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetPreferredColleaguesInput,
    ) -> Result<ContactPayload> {
        let p = principal(ctx)?;
        let id =
            ContactId(decode(Kind::Contact, &input.contact_id, "contactId").map_err(in_input)?);
        let users = input
            .user_ids
            .iter()
            .enumerate()
            .map(|(i, u)| decode(Kind::User, u, &format!("userIds.{i}")).map(UserId))
            .collect::<Result<Vec<_>, _>>()
            .map_err(in_input)?;
        Ok(payload(
            svc::set_preferred_colleagues(&state(ctx)?.db, p, id, users)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Deletes a contact: a tombstone stays for integrations; its direct
    /// reports then report to nobody.
    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ContactIdInput,
    ) -> Result<ContactPayload> {
        let p = principal(ctx)?;
        let id = ContactId(decode(Kind::Contact, &input.id, "id").map_err(in_input)?);
        Ok(payload(
            svc::delete(&state(ctx)?.db, p, id)
                .await
                .map_err(in_input)?,
        ))
    }

    /// Erases a contact's personal data (admins only); the record and its
    /// relationships stay, anonymised.
    async fn erase_contact_personal_data(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: ContactIdInput,
    ) -> Result<ContactPayload> {
        let p = principal(ctx)?;
        let id = ContactId(decode(Kind::Contact, &input.id, "id").map_err(in_input)?);
        Ok(payload(
            svc::erase_personal_data(&state(ctx)?.db, p, id)
                .await
                .map_err(in_input)?,
        ))
    }
}
