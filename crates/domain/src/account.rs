//! Customer accounts: the profile basics and their validation.

use crate::error::ValidationError;
use crate::ids::{AccountId, UserId};
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, Money, RequiredText, WebUrl, optional_text};
use crate::text_enum;
use rust_decimal::Decimal;

text_enum!(
    /// Where the account is in its lifecycle.
    AccountStatus {
        Prospect => "PROSPECT",
        Active => "ACTIVE",
        AtRisk => "AT_RISK",
        Churned => "CHURNED",
    }
);

text_enum!(
    /// Segmentation tier.
    Tier {
        Strategic => "STRATEGIC",
        Key => "KEY",
        Growth => "GROWTH",
        Maintain => "MAINTAIN",
    }
);

/// A reference to the same record in another system (a CRM): both parts or
/// neither. Unique per tenant and record type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalRef {
    pub source: String,
    pub external_id: String,
}

impl ExternalRef {
    pub fn parse(field: &str, source: &str, external_id: &str) -> Result<Self, ValidationError> {
        let source = RequiredText::parse(&format!("{field}.source"), source, 64)?;
        let external_id = RequiredText::parse(&format!("{field}.externalId"), external_id, 255)?;
        Ok(Self {
            source: source.into_inner(),
            external_id: external_id.into_inner(),
        })
    }
}

/// The stored columns `(source, external_id)` of an optional reference.
pub fn split_external(r: Option<ExternalRef>) -> (Option<String>, Option<String>) {
    match r {
        Some(ExternalRef {
            source,
            external_id,
        }) => (Some(source), Some(external_id)),
        None => (None, None),
    }
}

/// Applies a patch of an external reference to its stored columns.
pub fn patch_external(
    p: Patch<ExternalRef>,
    source: &mut Option<String>,
    external_id: &mut Option<String>,
) {
    match p {
        Patch::Unchanged => {}
        Patch::Clear => {
            *source = None;
            *external_id = None;
        }
        Patch::Set(e) => {
            *source = Some(e.source);
            *external_id = Some(e.external_id);
        }
    }
}

/// Raw money as given by a caller.
#[derive(Debug, Clone)]
pub struct MoneyInput {
    pub amount: Decimal,
    pub currency: String,
}

/// Raw external reference as given by a caller.
#[derive(Debug, Clone)]
pub struct ExternalRefInput {
    pub source: String,
    pub external_id: String,
}

/// Raw input to create an account.
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub name: String,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub region: Option<String>,
    pub status: Option<AccountStatus>,
    pub tier: Option<Tier>,
    pub owner_id: Option<UserId>,
    /// The parent account (a global account over its subsidiaries).
    pub parent_id: Option<AccountId>,
    pub annual_revenue: Option<MoneyInput>,
    pub wallet_estimate: Option<MoneyInput>,
    pub external_ref: Option<ExternalRefInput>,
}

/// A valid new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: RequiredText,
    pub industry: Option<String>,
    pub website: Option<WebUrl>,
    pub region: Option<String>,
    pub status: AccountStatus,
    pub tier: Tier,
    /// `None`: the creator becomes the owner.
    pub owner_id: Option<UserId>,
    pub parent_id: Option<AccountId>,
    pub annual_revenue: Option<Money>,
    pub wallet_estimate: Option<Money>,
    pub external_ref: Option<ExternalRef>,
}

fn money(field: &str, m: MoneyInput) -> Result<Money, ValidationError> {
    Money::parse_non_negative(field, m.amount, &m.currency)
}

fn ext(field: &str, e: ExternalRefInput) -> Result<ExternalRef, ValidationError> {
    ExternalRef::parse(field, &e.source, &e.external_id)
}

impl NewAccount {
    pub fn parse(input: AccountInput) -> Result<Self, ValidationError> {
        Ok(Self {
            name: RequiredText::parse("name", &input.name, MAX_SHORT_TEXT)?,
            industry: optional_text("industry", input.industry.as_deref(), MAX_SHORT_TEXT)?,
            website: input
                .website
                .as_deref()
                .filter(|w| !w.trim().is_empty())
                .map(|w| WebUrl::parse("website", w))
                .transpose()?,
            region: optional_text("region", input.region.as_deref(), MAX_SHORT_TEXT)?,
            status: input.status.unwrap_or(AccountStatus::Prospect),
            tier: input.tier.unwrap_or(Tier::Growth),
            owner_id: input.owner_id,
            parent_id: input.parent_id,
            annual_revenue: input
                .annual_revenue
                .map(|m| money("annualRevenue", m))
                .transpose()?,
            wallet_estimate: input
                .wallet_estimate
                .map(|m| money("walletEstimate", m))
                .transpose()?,
            external_ref: input
                .external_ref
                .map(|e| ext("externalRef", e))
                .transpose()?,
        })
    }
}

/// Raw partial update of an account.
#[derive(Debug, Clone, Default)]
pub struct AccountPatchInput {
    pub name: Patch<String>,
    pub industry: Patch<String>,
    pub website: Patch<String>,
    pub region: Patch<String>,
    pub status: Patch<AccountStatus>,
    pub tier: Patch<Tier>,
    pub owner_id: Patch<UserId>,
    pub parent_id: Patch<AccountId>,
    pub annual_revenue: Patch<MoneyInput>,
    pub wallet_estimate: Patch<MoneyInput>,
    pub external_ref: Patch<ExternalRefInput>,
}

/// A valid partial update of an account.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub name: Option<RequiredText>,
    pub industry: Patch<String>,
    pub website: Patch<WebUrl>,
    pub region: Patch<String>,
    pub status: Option<AccountStatus>,
    pub tier: Option<Tier>,
    pub owner_id: Option<UserId>,
    pub parent_id: Patch<AccountId>,
    pub annual_revenue: Patch<Money>,
    pub wallet_estimate: Patch<Money>,
    pub external_ref: Patch<ExternalRef>,
}

/// A required field: absent keeps it, `null` is refused.
pub(crate) fn required<T, U>(
    field: &str,
    p: Patch<T>,
    f: impl FnOnce(T) -> Result<U, ValidationError>,
) -> Result<Option<U>, ValidationError> {
    match p {
        Patch::Unchanged => Ok(None),
        Patch::Clear => Err(ValidationError::new(field, "must not be null")),
        Patch::Set(v) => f(v).map(Some),
    }
}

/// An optional text field: empty text clears it like `null`.
pub(crate) fn optional_patch(
    field: &str,
    p: Patch<String>,
    max: usize,
) -> Result<Patch<String>, ValidationError> {
    Ok(match p {
        Patch::Set(v) => match optional_text(field, Some(&v), max)? {
            Some(t) => Patch::Set(t),
            None => Patch::Clear,
        },
        Patch::Clear => Patch::Clear,
        Patch::Unchanged => Patch::Unchanged,
    })
}

impl AccountChanges {
    pub fn parse(input: AccountPatchInput) -> Result<Self, ValidationError> {
        Ok(Self {
            name: required("name", input.name, |n| {
                RequiredText::parse("name", &n, MAX_SHORT_TEXT)
            })?,
            industry: optional_patch("industry", input.industry, MAX_SHORT_TEXT)?,
            website: match input.website {
                Patch::Set(w) if w.trim().is_empty() => Patch::Clear,
                p => p.try_map(|w| WebUrl::parse("website", &w))?,
            },
            region: optional_patch("region", input.region, MAX_SHORT_TEXT)?,
            status: required("status", input.status, Ok)?,
            tier: required("tier", input.tier, Ok)?,
            owner_id: required("ownerId", input.owner_id, Ok)?,
            parent_id: input.parent_id,
            annual_revenue: input
                .annual_revenue
                .try_map(|m| money("annualRevenue", m))?,
            wallet_estimate: input
                .wallet_estimate
                .try_map(|m| money("walletEstimate", m))?,
            external_ref: input.external_ref.try_map(|e| ext("externalRef", e))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_needs_a_name_and_gets_defaults() {
        let e = NewAccount::parse(AccountInput {
            name: "  ".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "name");
        let a = NewAccount::parse(AccountInput {
            name: "Acme".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(a.status, AccountStatus::Prospect);
        assert_eq!(a.tier, Tier::Growth);
    }

    #[test]
    fn bad_website_and_negative_revenue_are_refused() {
        let e = NewAccount::parse(AccountInput {
            name: "Acme".into(),
            website: Some("acme".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "website");
        let e = NewAccount::parse(AccountInput {
            name: "Acme".into(),
            annual_revenue: Some(MoneyInput {
                amount: Decimal::new(-5, 0),
                currency: "EUR".into(),
            }),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "annualRevenue.amount");
    }

    #[test]
    fn a_patch_refuses_null_for_required_fields_and_clears_optional_ones() {
        let e = AccountChanges::parse(AccountPatchInput {
            name: Patch::Clear,
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "name");
        let c = AccountChanges::parse(AccountPatchInput {
            industry: Patch::Set(" ".into()),
            region: Patch::Clear,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.industry, Patch::Clear);
        assert_eq!(c.region, Patch::Clear);
        assert!(c.name.is_none());
    }
}
