//! Opportunities: business we expect to win with the customer (usually
//! synced from a CRM through `externalRef`), with a value, a stage, an
//! expected close and a probability; optionally for one of our products
//! and tied to a white-space cell or a plan objective of the same account.
//!
//! Rules: the probability is 0 to 100 (absent: the stage's default); a
//! won opportunity is 100 and a lost one 0.

use crate::account::{ExternalRef, ExternalRefInput, MoneyInput, required};
use crate::error::ValidationError;
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, Money, RequiredText};
use crate::text_enum;
use chrono::NaiveDate;
use uuid::Uuid;

text_enum!(
    /// Where an opportunity stands.
    OpportunityStage {
        Prospecting => "PROSPECTING",
        Qualification => "QUALIFICATION",
        Proposal => "PROPOSAL",
        Negotiation => "NEGOTIATION",
        ClosedWon => "CLOSED_WON",
        ClosedLost => "CLOSED_LOST",
    }
);

impl OpportunityStage {
    /// Still in the pipeline.
    pub fn open(self) -> bool {
        !matches!(
            self,
            OpportunityStage::ClosedWon | OpportunityStage::ClosedLost
        )
    }

    /// The probability an opportunity at this stage has unless given.
    pub fn default_probability(self) -> u8 {
        match self {
            OpportunityStage::Prospecting => 10,
            OpportunityStage::Qualification => 25,
            OpportunityStage::Proposal => 50,
            OpportunityStage::Negotiation => 75,
            OpportunityStage::ClosedWon => 100,
            OpportunityStage::ClosedLost => 0,
        }
    }
}

/// An opportunity as the API gives it.
#[derive(Debug, Clone)]
pub struct OpportunityInput {
    pub name: String,
    pub value: MoneyInput,
    pub stage: Option<OpportunityStage>,
    pub expected_close: NaiveDate,
    pub probability: Option<i32>,
    pub product_id: Option<Uuid>,
    pub white_space_cell_id: Option<Uuid>,
    pub objective_id: Option<Uuid>,
    pub external_ref: Option<ExternalRefInput>,
}

/// A valid opportunity.
#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    pub name: RequiredText,
    pub value: Money,
    pub stage: OpportunityStage,
    pub expected_close: NaiveDate,
    pub probability: u8,
    pub product_id: Option<Uuid>,
    pub white_space_cell_id: Option<Uuid>,
    pub objective_id: Option<Uuid>,
    pub external_ref: Option<ExternalRef>,
}

fn probability(stage: OpportunityStage, p: Option<i32>) -> Result<u8, ValidationError> {
    let p = match p {
        None => return Ok(stage.default_probability()),
        Some(p) => u8::try_from(p)
            .ok()
            .filter(|p| *p <= 100)
            .ok_or_else(|| ValidationError::new("probability", "must be between 0 and 100"))?,
    };
    match stage {
        OpportunityStage::ClosedWon if p != 100 => Err(ValidationError::new(
            "probability",
            "a won opportunity has probability 100",
        )),
        OpportunityStage::ClosedLost if p != 0 => Err(ValidationError::new(
            "probability",
            "a lost opportunity has probability 0",
        )),
        _ => Ok(p),
    }
}

impl Opportunity {
    pub fn parse(input: OpportunityInput) -> Result<Self, ValidationError> {
        let stage = input.stage.unwrap_or(OpportunityStage::Prospecting);
        Ok(Opportunity {
            name: RequiredText::parse("name", &input.name, MAX_SHORT_TEXT)?,
            value: Money::parse_non_negative("value", input.value.amount, &input.value.currency)?,
            stage,
            expected_close: input.expected_close,
            probability: probability(stage, input.probability)?,
            product_id: input.product_id,
            white_space_cell_id: input.white_space_cell_id,
            objective_id: input.objective_id,
            external_ref: input
                .external_ref
                .map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))
                .transpose()?,
        })
    }

    /// Applies a change; a new stage without a probability takes the
    /// stage's default. On an error nothing changes.
    pub fn apply(&mut self, p: OpportunityPatchInput) -> Result<(), ValidationError> {
        let mut n = self.clone();
        if let Some(v) = required("name", p.name, |v| {
            RequiredText::parse("name", &v, MAX_SHORT_TEXT)
        })? {
            n.name = v;
        }
        if let Some(v) = required("value", p.value, |v| {
            Money::parse_non_negative("value", v.amount, &v.currency)
        })? {
            n.value = v;
        }
        if let Some(d) = required("expectedClose", p.expected_close, Ok)? {
            n.expected_close = d;
        }
        let stage = required("stage", p.stage, Ok)?;
        let given = required("probability", p.probability, Ok)?;
        if let Some(s) = stage {
            n.stage = s;
        }
        if stage.is_some() || given.is_some() {
            n.probability = probability(n.stage, given)?;
        }
        p.product_id.apply_to(&mut n.product_id);
        p.white_space_cell_id.apply_to(&mut n.white_space_cell_id);
        p.objective_id.apply_to(&mut n.objective_id);
        p.external_ref
            .try_map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))?
            .apply_to(&mut n.external_ref);
        *self = n;
        Ok(())
    }
}

/// Changes to an opportunity as the API gives them.
#[derive(Debug, Clone, Default)]
pub struct OpportunityPatchInput {
    pub name: Patch<String>,
    pub value: Patch<MoneyInput>,
    pub stage: Patch<OpportunityStage>,
    pub expected_close: Patch<NaiveDate>,
    pub probability: Patch<i32>,
    pub product_id: Patch<Uuid>,
    pub white_space_cell_id: Patch<Uuid>,
    pub objective_id: Patch<Uuid>,
    pub external_ref: Patch<ExternalRefInput>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn input() -> OpportunityInput {
        OpportunityInput {
            name: "Warehousing Leipzig".into(),
            value: MoneyInput {
                amount: Decimal::from(120_000),
                currency: "EUR".into(),
            },
            stage: None,
            expected_close: "2027-03-31".parse().unwrap(),
            probability: None,
            product_id: None,
            white_space_cell_id: None,
            objective_id: None,
            external_ref: None,
        }
    }

    #[test]
    fn the_stage_gives_the_default_probability() {
        let o = Opportunity::parse(input()).unwrap();
        assert_eq!(
            (o.stage, o.probability),
            (OpportunityStage::Prospecting, 10)
        );
        let o = Opportunity::parse(OpportunityInput {
            stage: Some(OpportunityStage::Proposal),
            probability: Some(60),
            ..input()
        })
        .unwrap();
        assert_eq!(o.probability, 60);
        assert!(o.stage.open() && !OpportunityStage::ClosedLost.open());
    }

    #[test]
    fn probabilities_are_bounded_and_fit_closed_stages() {
        for p in [-1, 101] {
            let e = Opportunity::parse(OpportunityInput {
                probability: Some(p),
                ..input()
            })
            .unwrap_err();
            assert_eq!(e.field, "probability");
        }
        let e = Opportunity::parse(OpportunityInput {
            stage: Some(OpportunityStage::ClosedWon),
            probability: Some(90),
            ..input()
        })
        .unwrap_err();
        assert_eq!(e.field, "probability");
    }

    #[test]
    fn a_new_stage_without_a_probability_takes_its_default_and_errors_change_nothing() {
        let mut o = Opportunity::parse(input()).unwrap();
        o.apply(OpportunityPatchInput {
            stage: Patch::Set(OpportunityStage::Negotiation),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(o.probability, 75);
        let before = o.clone();
        let e = o
            .apply(OpportunityPatchInput {
                name: Patch::Set("Renamed".into()),
                stage: Patch::Set(OpportunityStage::ClosedLost),
                probability: Patch::Set(30),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "probability");
        assert_eq!(o, before);
    }
}
