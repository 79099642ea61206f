//! Activities: logged by the account's writers.

use super::changed_meanwhile;
use crate::error::{ApiError, ApiResult};
use chrono::Utc;
use domain::activity::{ActivityInput, NewActivity};
use domain::authz::allowed_off_team;
use domain::{AccountId, Action, Principal, Record, authorize};
use persistence::entity::activity;
use persistence::repo::activities::InsertOutcome;
use persistence::repo::{activities, team};
use persistence::write::Stamp;
use persistence::{Db, Set};
use uuid::Uuid;

/// Logs an activity with the contacts involved (live contacts of the same
/// account), atomically.
pub async fn log(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    input: ActivityInput,
) -> ApiResult<activity::Model> {
    let new = NewActivity::parse(input, Utc::now())?;
    // Managers may log on any account: the write itself checks that the
    // account exists (one round trip). Others are authorised against their
    // place on the account's team read here, which the write re-checks
    // atomically (it inserts only if they still write the account).
    let writer = if allowed_off_team(p, Action::Create) {
        None
    } else {
        let place = team::account_and_role(db.read(), p.tenant_id, account_id.0, Some(p.user_id.0))
            .await?
            .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
        authorize(p, Action::Create, Record::Account { team: place })?;
        Some(p.user_id.0)
    };
    let hours = new.hours_hundredths();
    let (source, external_id) = domain::account::split_external(new.external_ref);
    let am = activity::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id.0),
        kind: Set(new.kind.as_str().to_owned()),
        occurred_at: Set(new.occurred_at),
        hours_hundredths: Set(hours),
        summary: Set(new.summary.into_inner()),
        source: Set(source),
        external_id: Set(external_id),
        deleted_at: Set(None),
        ..Default::default()
    };
    let wanted: Vec<Uuid> = new.contact_ids.iter().map(|c| c.0).collect();
    let stamp = Stamp::now(Some(p.user_id.0), p.request);
    let (outcome, m) = activities::insert_checked(db, stamp, am, &wanted, writer)
        .await
        .map_err(|e| {
            if e.is_unique("external") || e.is_unique("source") {
                ApiError::validation(
                    "externalRef.externalId",
                    "another activity already has this source and external id",
                )
            } else {
                e.into()
            }
        })?;
    match outcome {
        InsertOutcome::Inserted => Ok(m),
        InsertOutcome::ContactNotFound => Err(ApiError::not_found_in("contact", "contactIds")),
        InsertOutcome::AccountChanged if writer.is_none() => {
            Err(ApiError::not_found_in("account", "accountId"))
        }
        InsertOutcome::AccountChanged => Err(changed_meanwhile()),
    }
}
