//! Evidence signals: what the customer *does* that shows how the
//! relationship really stands (verifiable client-based evidence), not what
//! the account manager feels. Each kind has a polarity (good or bad news), a
//! horizon (a leading indicator, before revenue moves, or a lagging one,
//! after), the share it speaks to (heart: trust and access; mind: being
//! thought of as the advisor; wallet: the business itself) and a default
//! weight in the health score (0 to 10; a tenant's health model may change
//! the weights, see [`crate::health`]).
//!
//! Rules of a signal: it belongs to one account, optionally names a contact
//! and an activity (both of the same account), was observed at a time no
//! later than now (5 minutes of clock skew allowed) and not before 1970,
//! and carries an optional note (at most 2000 characters). Removing one
//! needs a reason (1 to 500 characters); the signal stays as a tombstone.

use crate::error::ValidationError;
use crate::text::optional_text;
use crate::text_enum;
use chrono::{DateTime, Duration, TimeZone, Utc};

text_enum!(
    /// What the customer did.
    SignalKind {
        /// Accepted a meeting we asked for.
        MeetingAccepted => "MEETING_ACCEPTED",
        /// Declined (or kept postponing) a meeting we asked for.
        MeetingDeclined => "MEETING_DECLINED",
        /// Returned a call.
        CallReturned => "CALL_RETURNED",
        /// Left a call unreturned.
        CallUnreturned => "CALL_UNRETURNED",
        /// Answered an e-mail.
        EmailAnswered => "EMAIL_ANSWERED",
        /// Left an e-mail unanswered.
        EmailIgnored => "EMAIL_IGNORED",
        /// Introduced us to someone new without being asked.
        IntroductionUnsolicited => "INTRODUCTION_UNSOLICITED",
        /// Introduced us to someone new when we asked.
        IntroductionSolicited => "INTRODUCTION_SOLICITED",
        /// Sought our advice.
        AdviceSought => "ADVICE_SOUGHT",
        /// Asked us in early in a buying process.
        InvitedEarlyToBuyingProcess => "INVITED_EARLY_TO_BUYING_PROCESS",
        /// Asked us in late in a buying process (the shape is set).
        InvitedLateToBuyingProcess => "INVITED_LATE_TO_BUYING_PROCESS",
        /// Shared inside information.
        InsideInformationShared => "INSIDE_INFORMATION_SHARED",
        /// Expanded the scope of our business.
        ScopeExpanded => "SCOPE_EXPANDED",
        /// Reduced the scope of our business.
        ScopeReduced => "SCOPE_REDUCED",
        /// Accelerated a buying process with us.
        BuyingProcessAccelerated => "BUYING_PROCESS_ACCELERATED",
        /// Slowed a buying process with us down.
        BuyingProcessDecelerated => "BUYING_PROCESS_DECELERATED",
        /// Gave a reference for us.
        ReferenceGiven => "REFERENCE_GIVEN",
        /// Escalated a complaint about us.
        Escalation => "ESCALATION",
    }
);

text_enum!(
    /// Good or bad news for the relationship.
    Polarity {
        /// Good news.
        Positive => "POSITIVE",
        /// Bad news.
        Negative => "NEGATIVE",
    }
);

text_enum!(
    /// When a signal speaks: before revenue moves, or after.
    Horizon {
        /// Shows where the relationship is heading, before revenue moves.
        Leading => "LEADING",
        /// Shows what already happened to the business.
        Lagging => "LAGGING",
    }
);

text_enum!(
    /// The share of the customer a signal speaks to.
    Dimension {
        /// Trust and access: they take our calls and open doors.
        Heart => "HEART",
        /// Being thought of as the advisor: they ask, they tell, early.
        Mind => "MIND",
        /// The business itself: scope and pace of buying.
        Wallet => "WALLET",
    }
);

impl Dimension {
    /// The dimension's index in per-dimension arrays (declaration order).
    pub fn index(self) -> usize {
        match self {
            Dimension::Heart => 0,
            Dimension::Mind => 1,
            Dimension::Wallet => 2,
        }
    }
}

/// A kind's data: polarity, horizon, dimension, default weight and what it
/// means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindInfo {
    pub polarity: Polarity,
    pub horizon: Horizon,
    pub dimension: Dimension,
    pub default_weight: u8,
    pub description: &'static str,
}

impl SignalKind {
    /// The kind's data (the catalogue).
    pub fn info(self) -> KindInfo {
        use Dimension::*;
        use Horizon::*;
        use Polarity::*;
        let (polarity, horizon, dimension, default_weight, description) = match self {
            SignalKind::MeetingAccepted => (
                Positive,
                Leading,
                Heart,
                2,
                "Accepted a meeting we asked for.",
            ),
            SignalKind::MeetingDeclined => (
                Negative,
                Leading,
                Heart,
                2,
                "Declined or kept postponing a meeting we asked for.",
            ),
            SignalKind::CallReturned => (Positive, Leading, Heart, 1, "Returned a call."),
            SignalKind::CallUnreturned => (Negative, Leading, Heart, 1, "Left a call unreturned."),
            SignalKind::EmailAnswered => (Positive, Leading, Heart, 1, "Answered an e-mail."),
            SignalKind::EmailIgnored => (Negative, Leading, Heart, 1, "Left an e-mail unanswered."),
            SignalKind::IntroductionUnsolicited => (
                Positive,
                Leading,
                Heart,
                4,
                "Introduced us to someone new without being asked.",
            ),
            SignalKind::IntroductionSolicited => (
                Positive,
                Leading,
                Heart,
                1,
                "Introduced us to someone new when we asked (weaker than unsolicited).",
            ),
            SignalKind::AdviceSought => (Positive, Leading, Mind, 3, "Sought our advice."),
            SignalKind::InvitedEarlyToBuyingProcess => (
                Positive,
                Leading,
                Mind,
                5,
                "Asked us in early in a buying process.",
            ),
            SignalKind::InvitedLateToBuyingProcess => (
                Negative,
                Leading,
                Mind,
                4,
                "Asked us in late in a buying process, when its shape was set.",
            ),
            SignalKind::InsideInformationShared => {
                (Positive, Leading, Mind, 4, "Shared inside information.")
            }
            SignalKind::ScopeExpanded => (
                Positive,
                Lagging,
                Wallet,
                5,
                "Expanded the scope of our business.",
            ),
            SignalKind::ScopeReduced => (
                Negative,
                Lagging,
                Wallet,
                5,
                "Reduced the scope of our business.",
            ),
            SignalKind::BuyingProcessAccelerated => (
                Positive,
                Leading,
                Wallet,
                3,
                "Accelerated a buying process with us.",
            ),
            SignalKind::BuyingProcessDecelerated => (
                Negative,
                Leading,
                Wallet,
                3,
                "Slowed a buying process with us down.",
            ),
            SignalKind::ReferenceGiven => (Positive, Lagging, Heart, 5, "Gave a reference for us."),
            SignalKind::Escalation => (
                Negative,
                Lagging,
                Heart,
                4,
                "Escalated a complaint about us.",
            ),
        };
        KindInfo {
            polarity,
            horizon,
            dimension,
            default_weight,
            description,
        }
    }

    /// The kind's index in per-kind arrays (declaration order).
    pub fn index(self) -> usize {
        SignalKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or_default()
    }

    /// The kinds matching every given criterion (none given: all).
    pub fn matching(
        polarity: Option<Polarity>,
        horizon: Option<Horizon>,
        dimension: Option<Dimension>,
    ) -> Vec<SignalKind> {
        SignalKind::ALL
            .iter()
            .copied()
            .filter(|k| {
                let i = k.info();
                polarity.is_none_or(|p| p == i.polarity)
                    && horizon.is_none_or(|h| h == i.horizon)
                    && dimension.is_none_or(|d| d == i.dimension)
            })
            .collect()
    }
}

/// Longest note on a signal.
pub const MAX_NOTE: usize = 2000;
/// Longest removal reason.
pub const MAX_REASON: usize = 500;
/// How far in the future `observedAt` may be (clock skew).
pub const MAX_SKEW_SECONDS: i64 = 300;

/// A signal as the API gives it (ids checked by the service).
#[derive(Debug, Clone)]
pub struct SignalInput {
    pub kind: SignalKind,
    pub observed_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
}

/// A valid signal's own values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub kind: SignalKind,
    pub observed_at: DateTime<Utc>,
    pub note: Option<String>,
}

impl Signal {
    /// Parses a signal recorded at `now` (`observedAt` defaults to now).
    pub fn parse(i: SignalInput, now: DateTime<Utc>) -> Result<Self, ValidationError> {
        let observed_at = crate::time::to_millis(i.observed_at.unwrap_or(now));
        if observed_at > now + Duration::seconds(MAX_SKEW_SECONDS) {
            return Err(ValidationError::new(
                "observedAt",
                "must not be in the future",
            ));
        }
        if observed_at < Utc.timestamp_opt(0, 0).single().unwrap_or(observed_at) {
            return Err(ValidationError::new(
                "observedAt",
                "must be 1970-01-01 or later",
            ));
        }
        Ok(Signal {
            kind: i.kind,
            observed_at,
            note: optional_text("note", i.note.as_deref(), MAX_NOTE)?,
        })
    }
}

/// A removal reason: required, 1 to 500 characters.
pub fn removal_reason(raw: &str) -> Result<String, ValidationError> {
    optional_text("reason", Some(raw), MAX_REASON)?
        .ok_or_else(|| ValidationError::new("reason", "must not be empty"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_covers_every_kind_with_pairs_of_opposite_polarity() {
        assert_eq!(SignalKind::ALL.len(), 18);
        for k in SignalKind::ALL {
            let i = k.info();
            assert!(i.default_weight <= 10, "{k:?}");
            assert!(!i.description.is_empty());
            assert_eq!(SignalKind::ALL[k.index()], *k);
        }
        let pairs = [
            (SignalKind::MeetingAccepted, SignalKind::MeetingDeclined),
            (SignalKind::CallReturned, SignalKind::CallUnreturned),
            (SignalKind::EmailAnswered, SignalKind::EmailIgnored),
            (
                SignalKind::InvitedEarlyToBuyingProcess,
                SignalKind::InvitedLateToBuyingProcess,
            ),
            (SignalKind::ScopeExpanded, SignalKind::ScopeReduced),
            (
                SignalKind::BuyingProcessAccelerated,
                SignalKind::BuyingProcessDecelerated,
            ),
        ];
        for (good, bad) in pairs {
            assert_eq!(good.info().polarity, Polarity::Positive);
            assert_eq!(bad.info().polarity, Polarity::Negative);
            assert_eq!(good.info().dimension, bad.info().dimension);
        }
    }

    #[test]
    fn matching_filters_by_every_criterion() {
        let wallet_bad =
            SignalKind::matching(Some(Polarity::Negative), None, Some(Dimension::Wallet));
        assert_eq!(
            wallet_bad,
            vec![
                SignalKind::ScopeReduced,
                SignalKind::BuyingProcessDecelerated
            ]
        );
        assert_eq!(SignalKind::matching(None, None, None).len(), 18);
        assert!(
            SignalKind::matching(None, Some(Horizon::Lagging), None)
                .iter()
                .all(|k| k.info().horizon == Horizon::Lagging)
        );
    }

    #[test]
    fn parse_defaults_the_time_and_refuses_the_future() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let s = Signal::parse(
            SignalInput {
                kind: SignalKind::AdviceSought,
                observed_at: None,
                note: Some("  asked about the roadmap ".into()),
            },
            now,
        )
        .unwrap();
        assert_eq!(s.observed_at, now);
        assert_eq!(s.note.as_deref(), Some("asked about the roadmap"));
        let future = Signal::parse(
            SignalInput {
                kind: SignalKind::AdviceSought,
                observed_at: Some(now + Duration::minutes(10)),
                note: None,
            },
            now,
        )
        .unwrap_err();
        assert_eq!(future.field, "observedAt");
        // Within the allowed skew.
        assert!(
            Signal::parse(
                SignalInput {
                    kind: SignalKind::AdviceSought,
                    observed_at: Some(now + Duration::minutes(4)),
                    note: None,
                },
                now,
            )
            .is_ok()
        );
        assert_eq!(removal_reason("  ").unwrap_err().field, "reason");
        assert_eq!(removal_reason("logged twice").unwrap(), "logged twice");
    }
}
