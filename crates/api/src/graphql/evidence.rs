//! Evidence signals: the `Signal` object, the catalogue (`signalKinds`),
//! `account.signals` / `contact.signals` (connections with filters), and
//! `recordSignal` / `removeSignal`.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::activity::Activity;
use crate::graphql::common::dates::SupportedDate;
use crate::graphql::common::enums::{ShareDimension, SignalHorizon, SignalKind, SignalPolarity};
use crate::graphql::common::ids::{GlobalId, Kind, decode};
use crate::graphql::common::object::object;
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::contact::Contact;
use crate::graphql::count::{CountOf, TotalCount};
use crate::graphql::health::AccountHealth;
use crate::graphql::user::User;
use crate::graphql::{in_input, loaders, principal, reader, state};
use crate::loaders::Row;
use crate::services::signals as svc;
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use domain::AccountId;
use domain::signal::SignalInput;
use persistence::entity::account_signal as signal;
use persistence::repo::page::Position;
use persistence::repo::signals::{SignalFilter, SignalsOf, cursor_key};
use std::sync::Arc;
use uuid::Uuid;

/// What the customer did, observed by the account team.
#[derive(Clone)]
pub struct Signal(pub Row<signal::Model>);

fn kind_of(s: &signal::Model) -> domain::signal::SignalKind {
    domain::signal::SignalKind::from_str_opt(&s.kind)
        .unwrap_or(domain::signal::SignalKind::MeetingAccepted)
}

object! {
    /// What the customer did, observed by the account team: verifiable
    /// evidence of how the relationship stands.
    #[Object]
    impl Signal(signal::Model) fields signal_fields {
        /// The id (for `removeSignal`).
        pub(crate) leaf "id" id(s) -> GlobalId {
            GlobalId(Kind::Signal, s.id)
        }
        /// The account's id.
        leaf "accountId" account_id(s) -> GlobalId {
            GlobalId(Kind::Account, s.account_id)
        }
        /// The account.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// What the customer did.
        leaf "kind" kind(s) -> SignalKind {
            kind_of(s).into()
        }
        /// Good or bad news (from the kind).
        leaf "polarity" polarity(s) [kind] -> SignalPolarity {
            kind_of(s).info().polarity.into()
        }
        /// Leading or lagging (from the kind).
        leaf "horizon" horizon(s) [kind] -> SignalHorizon {
            kind_of(s).info().horizon.into()
        }
        /// The share it speaks to (from the kind).
        leaf "dimension" dimension(s) [kind] -> ShareDimension {
            kind_of(s).info().dimension.into()
        }
        /// When it was observed.
        leaf "observedAt" observed_at(s) -> DateTime<Utc> {
            s.observed_at
        }
        /// What was observed, in words.
        leaf "note" note(s) -> Option<&str> {
            s.note.as_deref()
        }
        /// The contact who did it, if one was named (no lookup).
        leaf "contactId" contact_id(s) -> Option<GlobalId> {
            s.contact_id.map(|c| GlobalId(Kind::Contact, c))
        }
        /// The contact who did it (`null` when none was named or the
        /// contact was deleted).
        async fn contact(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
            let Some(c) = self.0.contact_id else {
                return Ok(None);
            };
            Ok(loaders(ctx)?.contact(c).await?.map(Contact))
        }
        /// The activity it was observed in, if one was named (no lookup).
        leaf "activityId" activity_id(s) -> Option<GlobalId> {
            s.activity_id.map(|a| GlobalId(Kind::Activity, a))
        }
        /// The activity it was observed in (`null` when none was named or
        /// the activity was deleted).
        async fn activity(&self, ctx: &Context<'_>) -> Result<Option<Activity>> {
            let Some(a) = self.0.activity_id else {
                return Ok(None);
            };
            Ok(loaders(ctx)?.activity(a).await?.map(Activity))
        }
        /// Who recorded it.
        async fn recorded_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
            match self.0.created_by {
                Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
                None => Ok(None),
            }
        }
        /// When it was recorded.
        leaf "createdAt" created_at(s) -> DateTime<Utc> {
            s.created_at
        }
        /// When it was removed (`removeSignal`'s payload only; removed
        /// signals are not listed).
        leaf "removedAt" removed_at(s) [deleted_at] -> Option<DateTime<Utc>> {
            s.deleted_at
        }
        /// Why it was removed.
        leaf "removalReason" removal_reason(s) -> Option<&str> {
            s.removal_reason.as_deref()
        }
        /// Increases by one with every change.
        leaf "version" version(s) -> i64 {
            s.version
        }
    }
}

/// One kind of signal in the catalogue, with the tenant's weight.
#[derive(SimpleObject)]
pub struct SignalKindInfo {
    /// The kind.
    kind: SignalKind,
    /// Good or bad news.
    polarity: SignalPolarity,
    /// Leading or lagging.
    horizon: SignalHorizon,
    /// The share it speaks to.
    dimension: ShareDimension,
    /// What it means.
    description: &'static str,
    /// Its weight in the health score by default (0 to 10).
    default_weight: i32,
    /// Its weight in the tenant's health model (0 ignores the kind).
    weight: i32,
}

/// Signals, newest first.
pub type SignalConnection = Connection<String, Signal, TotalCount>;

/// The order of signal lists (cursors name it).
pub(crate) const SIGNAL_ORDER: &str = "SIGNAL_TIME_DESC";

/// Which signals a list holds: every criterion given must hold.
#[derive(InputObject, Default)]
pub struct SignalFilterInput {
    /// Only these kinds.
    kinds: Option<Vec<SignalKind>>,
    /// Only good or only bad news.
    polarity: Option<SignalPolarity>,
    /// Only leading or only lagging signals.
    horizon: Option<SignalHorizon>,
    /// Only signals of this share.
    dimension: Option<ShareDimension>,
    /// Observed at or after this moment.
    #[graphql(validator(custom = "SupportedDate"))]
    observed_from: Option<DateTime<Utc>>,
    /// Observed before this moment.
    #[graphql(validator(custom = "SupportedDate"))]
    observed_before: Option<DateTime<Utc>>,
}

impl SignalFilterInput {
    /// The repository's filter: the kinds that meet every criterion.
    pub(crate) fn resolve(self) -> Result<SignalFilter, ApiError> {
        if let (Some(f), Some(b)) = (self.observed_from, self.observed_before)
            && b <= f
        {
            return Err(ApiError::validation(
                "filter.observedBefore",
                "must be after observedFrom",
            ));
        }
        let by_class =
            self.polarity.is_some() || self.horizon.is_some() || self.dimension.is_some();
        let kinds = if by_class || self.kinds.is_some() {
            let matching = domain::signal::SignalKind::matching(
                self.polarity.map(Into::into),
                self.horizon.map(Into::into),
                self.dimension.map(Into::into),
            );
            let wanted: Option<Vec<domain::signal::SignalKind>> =
                self.kinds.map(|k| k.into_iter().map(Into::into).collect());
            Some(
                matching
                    .into_iter()
                    .filter(|k| wanted.as_ref().is_none_or(|w| w.contains(k)))
                    .map(|k| k.as_str().to_owned())
                    .collect(),
            )
        } else {
            None
        };
        Ok(SignalFilter {
            kinds,
            from: self.observed_from,
            to: self.observed_before,
        })
    }
}

/// A page of an account's or a contact's signals.
/// The repository's filter and page of a signal list's arguments, or the
/// error the resolver reports (both read paths use this).
pub(crate) fn list_args(
    filter: Option<SignalFilterInput>,
    relay: crate::graphql::common::filters::RelayArgs,
) -> Result<(SignalFilter, persistence::repo::page::PageArgs), ApiError> {
    let args = crate::graphql::common::filters::time_page_args(SIGNAL_ORDER, relay)?;
    Ok((filter.unwrap_or_default().resolve()?, args))
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn signal_connection(
    ctx: &Context<'_>,
    of: SignalsOf,
    parent: Uuid,
    filter: Option<SignalFilterInput>,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> Result<SignalConnection> {
    let (filter, args) = list_args(filter, (first, after, last, before))?;
    let page = loaders(ctx)?
        .signal_page(of, parent, filter.clone(), args)
        .await?;
    let mut c = Connection::with_additional_fields(
        page.has_previous,
        page.has_next,
        TotalCount(CountOf::Signals(of, parent, filter)),
    );
    c.edges.extend(page.rows.iter().map(|r| {
        let cursor = encode_cursor(
            SIGNAL_ORDER,
            &Position {
                key: cursor_key(r),
                id: r.id,
            },
        );
        Edge::new(cursor, Signal(r.clone()))
    }));
    Ok(c)
}

#[derive(Default)]
pub struct EvidenceQuery;

#[Object]
impl EvidenceQuery {
    /// The catalogue of evidence signals: each kind's polarity, horizon,
    /// share and weight (the tenant's health model), so that front ends
    /// need not copy the table.
    async fn signal_kinds(&self, ctx: &Context<'_>) -> Result<Vec<SignalKindInfo>> {
        reader(ctx)?;
        let model = loaders(ctx)?.health_model().await?;
        Ok(domain::signal::SignalKind::ALL
            .iter()
            .map(|k| {
                let i = k.info();
                SignalKindInfo {
                    kind: (*k).into(),
                    polarity: i.polarity.into(),
                    horizon: i.horizon.into(),
                    dimension: i.dimension.into(),
                    description: i.description,
                    default_weight: i32::from(i.default_weight),
                    weight: i32::from(model.weight(*k)),
                }
            })
            .collect())
    }
}

/// Input of `recordSignal`.
#[derive(InputObject)]
pub struct RecordSignalInput {
    /// The account.
    account_id: ID,
    /// What the customer did.
    kind: SignalKind,
    /// When it was observed (default: now; not in the future).
    #[graphql(validator(custom = "SupportedDate"))]
    observed_at: Option<DateTime<Utc>>,
    /// The contact who did it (a contact of the account).
    contact_id: Option<ID>,
    /// The activity it was observed in (an activity of the account).
    activity_id: Option<ID>,
    /// What was observed, in words (at most 2000 characters).
    note: Option<String>,
}

/// Input of `removeSignal`.
#[derive(InputObject)]
pub struct RemoveSignalInput {
    /// The signal.
    id: ID,
    /// Why it is removed (required, at most 500 characters; kept).
    reason: String,
}

/// Result of a signal mutation.
pub struct SignalPayload {
    signal: Signal,
    health: PayloadHealth,
}

/// Where a payload's health comes from.
enum PayloadHealth {
    /// Read (after a removal).
    Read(Arc<svc::HealthView>),
    /// Computed from the evidence the recording wrote (no read but the
    /// recent signals, and those only when a 30- or 90-day change is
    /// asked for).
    Written(Arc<svc::RecordedSignal>),
}

/// The fields of `AccountHealth` that need the signals of the last 90 days.
const TREND_FIELDS: [&str; 4] = ["trend", "change30Days", "change90Days", "explanation"];

/// Result of a signal mutation.
#[Object]
impl SignalPayload {
    /// The signal as recorded (or as removed).
    async fn signal(&self) -> &Signal {
        &self.signal
    }

    /// The account's health with the change.
    async fn health(&self, ctx: &Context<'_>) -> Result<AccountHealth> {
        match &self.health {
            PayloadHealth::Read(v) => Ok(AccountHealth(v.clone())),
            PayloadHealth::Written(r) => {
                let ahead = ctx.look_ahead();
                let trend = TREND_FIELDS.iter().any(|f| ahead.field(f).exists());
                let p = principal(ctx)?;
                let v = svc::written_health(&state(ctx)?.db, p.tenant_id, r, trend).await?;
                Ok(AccountHealth(Arc::new(v)))
            }
        }
    }
}

#[derive(Default)]
pub struct EvidenceMutation;

/// Mutations of the evidence (the account's writers).
#[Object]
impl EvidenceMutation {
    /// Records what a customer did; the account's health follows at once.
    async fn record_signal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RecordSignalInput,
    ) -> Result<SignalPayload> {
        let p = principal(ctx)?;
        let account =
            AccountId(decode(Kind::Account, &input.account_id, "accountId").map_err(in_input)?);
        let links = svc::SignalLinks {
            contact: input
                .contact_id
                .as_ref()
                .map(|c| decode(Kind::Contact, c, "contactId"))
                .transpose()
                .map_err(in_input)?,
            activity: input
                .activity_id
                .as_ref()
                .map(|a| decode(Kind::Activity, a, "activityId"))
                .transpose()
                .map_err(in_input)?,
        };
        let raw = SignalInput {
            kind: input.kind.into(),
            observed_at: input.observed_at,
            note: input.note,
        };
        let r = svc::record(&state(ctx)?.db, p, account, links, raw)
            .await
            .map_err(in_input)?;
        Ok(SignalPayload {
            signal: Signal(Arc::new(r.signal.clone())),
            health: PayloadHealth::Written(Arc::new(r)),
        })
    }

    /// Removes a signal recorded in error (a tombstone with the reason
    /// stays); the account's health is recomputed without it.
    async fn remove_signal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: RemoveSignalInput,
    ) -> Result<SignalPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::Signal, &input.id, "id").map_err(in_input)?;
        let m = svc::remove(&state(ctx)?.db, p, id, &input.reason)
            .await
            .map_err(in_input)?;
        payload(ctx, m).await
    }
}

async fn payload(ctx: &Context<'_>, m: signal::Model) -> Result<SignalPayload> {
    let health = loaders(ctx)?.account_health(m.account_id).await?;
    Ok(SignalPayload {
        signal: Signal(Arc::new(m)),
        health: PayloadHealth::Read(health),
    })
}
