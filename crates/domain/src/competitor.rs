//! Competitors present in an account: who they are, where they stand
//! (`INCUMBENT`, `CHALLENGER`, `NICHE`), what they sell there. A
//! white-space cell held by a competitor may point to one of them (of the
//! same account).
//!
//! Rules: a name (at most 200 characters) and a position are required;
//! what they sell and notes are optional (at most 5000 characters).

use crate::account::{optional_patch, required};
use crate::error::ValidationError;
use crate::patch::Patch;
use crate::profile::MAX_TEXT;
use crate::text::{MAX_SHORT_TEXT, RequiredText, optional_text};
use crate::text_enum;

text_enum!(
    /// Where a competitor stands in the account.
    CompetitorPosition {
        /// Holds the business today.
        Incumbent => "INCUMBENT",
        /// Trying to win it.
        Challenger => "CHALLENGER",
        /// Serves a niche of it.
        Niche => "NICHE",
    }
);

/// A competitor as the API gives it.
#[derive(Debug, Clone)]
pub struct CompetitorInput {
    pub name: String,
    pub position: CompetitorPosition,
    pub offering: Option<String>,
    pub notes: Option<String>,
}

/// A change to a competitor.
#[derive(Debug, Clone, Default)]
pub struct CompetitorPatch {
    pub name: Patch<String>,
    pub position: Patch<CompetitorPosition>,
    pub offering: Patch<String>,
    pub notes: Patch<String>,
}

/// A valid competitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Competitor {
    pub name: RequiredText,
    pub position: CompetitorPosition,
    pub offering: Option<String>,
    pub notes: Option<String>,
}

impl Competitor {
    pub fn parse(i: CompetitorInput) -> Result<Self, ValidationError> {
        Ok(Competitor {
            name: RequiredText::parse("name", &i.name, MAX_SHORT_TEXT)?,
            position: i.position,
            offering: optional_text("offering", i.offering.as_deref(), MAX_TEXT)?,
            notes: optional_text("notes", i.notes.as_deref(), MAX_TEXT)?,
        })
    }

    /// Applies a change; on an error nothing changes.
    pub fn apply(&mut self, p: CompetitorPatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        if let Some(v) = required("name", p.name, |v| {
            RequiredText::parse("name", &v, MAX_SHORT_TEXT)
        })? {
            n.name = v;
        }
        if let Some(v) = required("position", p.position, Ok)? {
            n.position = v;
        }
        optional_patch("offering", p.offering, MAX_TEXT)?.apply_to(&mut n.offering);
        optional_patch("notes", p.notes, MAX_TEXT)?.apply_to(&mut n.notes);
        *self = n;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competitors_need_a_name_and_change_as_a_whole() {
        let mut c = Competitor::parse(CompetitorInput {
            name: " FastFreight ".into(),
            position: CompetitorPosition::Incumbent,
            offering: Some("Road freight DE-PL".into()),
            notes: None,
        })
        .unwrap();
        assert_eq!(c.name.as_str(), "FastFreight");
        let before = c.clone();
        let e = c
            .apply(CompetitorPatch {
                position: Patch::Set(CompetitorPosition::Niche),
                name: Patch::Clear,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "name");
        assert_eq!(c, before);
        c.apply(CompetitorPatch {
            position: Patch::Set(CompetitorPosition::Challenger),
            offering: Patch::Clear,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (c.position, c.offering),
            (CompetitorPosition::Challenger, None)
        );
        let e = Competitor::parse(CompetitorInput {
            name: "".into(),
            position: CompetitorPosition::Niche,
            offering: None,
            notes: None,
        })
        .unwrap_err();
        assert_eq!(e.field, "name");
    }
}
