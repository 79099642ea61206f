//! The demo's year of relationship evidence: activities and signals per
//! account, so that health, trends and drivers differ visibly. Four
//! stories, by the account's place in the list: a thriving relationship
//! (good news throughout), a steady one (mixed), one cooling down (good a
//! year ago, bad news lately) and one in jeopardy (escalations, scope
//! reduced, calls unreturned).

use crate::error::ApiResult;
use crate::services::{activities, signals};
use chrono::{Duration, Utc};
use domain::activity::{ActivityInput, ActivityKind};
use domain::signal::{SignalInput, SignalKind};
use domain::{AccountId, ContactId, Principal};
use rust_decimal::Decimal;

/// The signals of one story: (kind, days ago).
fn story(n: usize) -> Vec<(SignalKind, i64)> {
    use SignalKind::*;
    let good = [
        MeetingAccepted,
        CallReturned,
        AdviceSought,
        InsideInformationShared,
        IntroductionUnsolicited,
        InvitedEarlyToBuyingProcess,
        ScopeExpanded,
        ReferenceGiven,
        EmailAnswered,
        BuyingProcessAccelerated,
    ];
    let bad = [
        MeetingDeclined,
        CallUnreturned,
        EmailIgnored,
        InvitedLateToBuyingProcess,
        ScopeReduced,
        Escalation,
        BuyingProcessDecelerated,
    ];
    // A signal every 15 days or so over the year, offset per account.
    let days = (0..24).map(|i| i * 15 + (n as i64 * 3) % 11 + 1);
    days.enumerate()
        .map(|(i, d)| {
            let recent = d < 120;
            let positive = match n % 4 {
                0 => i % 6 != 5,
                1 => i % 2 == 0,
                2 => !recent && i % 4 != 3,
                _ => i % 5 == 4,
            };
            let kind = if positive {
                good[(i + n) % good.len()]
            } else {
                bad[(i + n) % bad.len()]
            };
            (kind, d)
        })
        .collect()
}

/// Logs a year of activities and records a year of signals on an account.
pub(super) async fn demo_evidence(
    db: &persistence::Db,
    p: &Principal,
    account: AccountId,
    n: usize,
    contacts: &[ContactId],
) -> ApiResult<()> {
    let now = Utc::now();
    let kinds = [
        ActivityKind::Meeting,
        ActivityKind::Call,
        ActivityKind::Email,
        ActivityKind::Visit,
        ActivityKind::Qbr,
    ];
    for month in 0..12i64 {
        let kind = kinds[(month as usize + n) % kinds.len()];
        let hours = Decimal::new(50 + ((month * 37 + n as i64 * 13) % 250), 2);
        activities::log(
            db,
            p,
            account,
            ActivityInput {
                hours_spent: Some(hours),
                contact_ids: contacts
                    .iter()
                    .take(1 + month as usize % 2)
                    .copied()
                    .collect(),
                ..ActivityInput::new(
                    kind,
                    now - Duration::days(month * 30 + 5),
                    format!("{} with the account team", kind.as_str().to_lowercase()),
                )
            },
        )
        .await?;
    }
    for (i, (kind, days)) in story(n).into_iter().enumerate() {
        let contact = (i % 3 != 2).then(|| contacts[i % contacts.len()].0);
        signals::record(
            db,
            p,
            account,
            signals::SignalLinks {
                contact,
                activity: None,
            },
            SignalInput {
                kind,
                observed_at: Some(now - Duration::days(days) - Duration::hours(i as i64)),
                note: None,
            },
        )
        .await?;
    }
    Ok(())
}
