//! Contracts with the customer: their value, term, renewal date, where the
//! renewal stands and how much at risk it is.
//!
//! Rules: the end is not before the start; the renewal date, when given,
//! lies within the term (on or after the start, on or before the end when
//! there is one); a `MEDIUM` or `HIGH` risk names its reason.

use crate::account::{ExternalRef, ExternalRefInput, MoneyInput};
use crate::error::ValidationError;
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, Money, RequiredText, optional_text};
use crate::text_enum;
use chrono::NaiveDate;

text_enum!(
    /// Where a contract's renewal stands.
    ContractStage {
        /// Running; the renewal is not being negotiated yet.
        Open => "OPEN",
        /// The renewal is being negotiated.
        InNegotiation => "IN_NEGOTIATION",
        /// Renewed.
        Renewed => "RENEWED",
        /// Not renewed: the business is lost.
        Lost => "LOST",
    }
);

impl ContractStage {
    /// Whether the renewal is still to be won (an upcoming renewal).
    pub fn undecided(self) -> bool {
        matches!(self, ContractStage::Open | ContractStage::InNegotiation)
    }
}

text_enum!(
    /// How likely the contract is not to be renewed.
    ContractRisk {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
    }
);

/// Longest risk reason.
pub const MAX_REASON: usize = 1000;

/// A contract as the API gives it.
#[derive(Debug, Clone)]
pub struct ContractInput {
    pub name: String,
    pub value: MoneyInput,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub stage: Option<ContractStage>,
    pub risk: Option<ContractRisk>,
    pub risk_reason: Option<String>,
    pub external_ref: Option<ExternalRefInput>,
}

/// A valid contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub name: RequiredText,
    pub value: Money,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub renewal_date: Option<NaiveDate>,
    pub stage: ContractStage,
    pub risk: ContractRisk,
    pub risk_reason: Option<String>,
    pub external_ref: Option<ExternalRef>,
}

impl Contract {
    pub fn parse(input: ContractInput) -> Result<Self, ValidationError> {
        let c = Contract {
            name: RequiredText::parse("name", &input.name, MAX_SHORT_TEXT)?,
            value: Money::parse_non_negative("value", input.value.amount, &input.value.currency)?,
            start_date: input.start_date,
            end_date: input.end_date,
            renewal_date: input.renewal_date,
            stage: input.stage.unwrap_or(ContractStage::Open),
            risk: input.risk.unwrap_or(ContractRisk::Low),
            risk_reason: optional_text("riskReason", input.risk_reason.as_deref(), MAX_REASON)?,
            external_ref: input
                .external_ref
                .map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))
                .transpose()?,
        };
        c.check()?;
        Ok(c)
    }

    /// The rules across fields (after a create or a change).
    pub fn check(&self) -> Result<(), ValidationError> {
        if let Some(end) = self.end_date
            && end < self.start_date
        {
            return Err(ValidationError::new(
                "endDate",
                "must not be before the start date",
            ));
        }
        if let Some(r) = self.renewal_date {
            if r < self.start_date {
                return Err(ValidationError::new(
                    "renewalDate",
                    "must not be before the start date",
                ));
            }
            if self.end_date.is_some_and(|end| r > end) {
                return Err(ValidationError::new(
                    "renewalDate",
                    "must not be after the end date",
                ));
            }
        }
        if self.risk != ContractRisk::Low && self.risk_reason.is_none() {
            return Err(ValidationError::new(
                "riskReason",
                "a MEDIUM or HIGH risk needs its reason",
            ));
        }
        Ok(())
    }

    /// Applies a change and checks the rules again; on an error the
    /// contract is left as it was.
    pub fn apply(&mut self, p: ContractPatchInput) -> Result<(), ValidationError> {
        let mut next = self.clone();
        next.apply_unchecked(p)?;
        next.check()?;
        *self = next;
        Ok(())
    }

    fn apply_unchecked(&mut self, p: ContractPatchInput) -> Result<(), ValidationError> {
        if let Some(n) = crate::account::required("name", p.name, |n| {
            RequiredText::parse("name", &n, MAX_SHORT_TEXT)
        })? {
            self.name = n;
        }
        if let Some(v) = crate::account::required("value", p.value, |v| {
            Money::parse_non_negative("value", v.amount, &v.currency)
        })? {
            self.value = v;
        }
        if let Some(d) = crate::account::required("startDate", p.start_date, Ok)? {
            self.start_date = d;
        }
        p.end_date.apply_to(&mut self.end_date);
        p.renewal_date.apply_to(&mut self.renewal_date);
        if let Some(s) = crate::account::required("stage", p.stage, Ok)? {
            self.stage = s;
        }
        if let Some(r) = crate::account::required("risk", p.risk, Ok)? {
            self.risk = r;
        }
        crate::account::optional_patch("riskReason", p.risk_reason, MAX_REASON)?
            .apply_to(&mut self.risk_reason);
        p.external_ref
            .try_map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))?
            .apply_to(&mut self.external_ref);
        Ok(())
    }
}

/// Changes to a contract as the API gives them.
#[derive(Debug, Clone, Default)]
pub struct ContractPatchInput {
    pub name: Patch<String>,
    pub value: Patch<MoneyInput>,
    pub start_date: Patch<NaiveDate>,
    pub end_date: Patch<NaiveDate>,
    pub renewal_date: Patch<NaiveDate>,
    pub stage: Patch<ContractStage>,
    pub risk: Patch<ContractRisk>,
    pub risk_reason: Patch<String>,
    pub external_ref: Patch<ExternalRefInput>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn input() -> ContractInput {
        ContractInput {
            name: " Master services agreement ".into(),
            value: MoneyInput {
                amount: Decimal::from(250_000),
                currency: "EUR".into(),
            },
            start_date: d("2026-01-01"),
            end_date: Some(d("2028-12-31")),
            renewal_date: Some(d("2028-06-30")),
            stage: None,
            risk: None,
            risk_reason: None,
            external_ref: None,
        }
    }

    #[test]
    fn a_contract_defaults_to_open_and_low_risk() {
        let c = Contract::parse(input()).unwrap();
        assert_eq!(c.name.as_str(), "Master services agreement");
        assert_eq!((c.stage, c.risk), (ContractStage::Open, ContractRisk::Low));
        assert!(c.stage.undecided());
        assert!(!ContractStage::Renewed.undecided());
    }

    #[test]
    fn the_term_and_the_renewal_date_must_fit() {
        let e = Contract::parse(ContractInput {
            end_date: Some(d("2025-12-31")),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.field, "endDate");
        let e = Contract::parse(ContractInput {
            renewal_date: Some(d("2029-01-01")),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.field, "renewalDate");
        let e = Contract::parse(ContractInput {
            renewal_date: Some(d("2025-06-01")),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.field, "renewalDate");
        // Open-ended contracts renew whenever after the start.
        assert!(
            Contract::parse(ContractInput {
                end_date: None,
                renewal_date: Some(d("2031-01-01")),
                ..input()
            })
            .is_ok()
        );
    }

    #[test]
    fn a_risk_above_low_names_its_reason() {
        let e = Contract::parse(ContractInput {
            risk: Some(ContractRisk::High),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.field, "riskReason");
        let c = Contract::parse(ContractInput {
            risk: Some(ContractRisk::High),
            risk_reason: Some("New CPO tenders every contract".into()),
            ..input()
        })
        .unwrap();
        assert_eq!(c.risk, ContractRisk::High);
        // Clearing the reason of a HIGH risk is refused too.
        let mut c2 = c.clone();
        let e = c2
            .apply(ContractPatchInput {
                risk_reason: Patch::Clear,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "riskReason");
    }

    #[test]
    fn changes_are_checked_like_a_new_contract() {
        let mut c = Contract::parse(input()).unwrap();
        let e = c
            .apply(ContractPatchInput {
                start_date: Patch::Set(d("2029-01-01")),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "endDate");
        let e = c
            .apply(ContractPatchInput {
                value: Patch::Clear,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "value");
        c.apply(ContractPatchInput {
            stage: Patch::Set(ContractStage::InNegotiation),
            end_date: Patch::Clear,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(c.stage, ContractStage::InNegotiation);
        assert_eq!(c.end_date, None);
    }
}
