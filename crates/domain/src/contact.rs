//! Contacts at a customer account and the reporting lines between them.

use crate::account::{ExternalRef, ExternalRefInput, optional_patch, required};
use crate::cadence::Cadence;
use crate::error::ValidationError;
use crate::ids::{AccountId, ContactId, UserId};
use crate::patch::Patch;
use crate::text::{Email, MAX_SHORT_TEXT, RequiredText, optional_text};
use crate::text_enum;

text_enum!(
    /// How a contact prefers to be reached.
    ContactChannel {
        Email => "EMAIL",
        Phone => "PHONE",
        VideoCall => "VIDEO_CALL",
        InPerson => "IN_PERSON",
        Messaging => "MESSAGING",
    }
);

text_enum!(
    /// Whether the person is still at the customer.
    ContactStatus {
        Active => "ACTIVE",
        LeftCompany => "LEFT_COMPANY",
    }
);

text_enum!(
    /// The part the person plays in the customer's buying decisions.
    BuyingRole {
        EconomicBuyer => "ECONOMIC_BUYER",
        DecisionMaker => "DECISION_MAKER",
        Influencer => "INFLUENCER",
        Coach => "COACH",
        TechnicalEvaluator => "TECHNICAL_EVALUATOR",
        User => "USER",
        Gatekeeper => "GATEKEEPER",
        Blocker => "BLOCKER",
    }
);

text_enum!(
    /// The person's attitude towards us.
    Attitude {
        Champion => "CHAMPION",
        Supporter => "SUPPORTER",
        Neutral => "NEUTRAL",
        Skeptic => "SKEPTIC",
        Detractor => "DETRACTOR",
    }
);

/// How much weight the person carries in decisions, 1 (little) to 5 (decisive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct InfluenceLevel(u8);

impl InfluenceLevel {
    pub fn parse(field: &str, raw: i32) -> Result<Self, ValidationError> {
        u8::try_from(raw)
            .ok()
            .filter(|v| (1..=5).contains(v))
            .map(Self)
            .ok_or_else(|| ValidationError::new(field, "must be between 1 and 5"))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// A telephone number as people write it: digits with `+ - ( ) . /` and spaces,
/// 3 to 32 characters, at least 3 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let t = raw.trim();
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let ok = (3..=32).contains(&t.len())
            && digits >= 3
            && t.chars()
                .all(|c| c.is_ascii_digit() || " +-().//".contains(c));
        if ok {
            Ok(Self(t.to_owned()))
        } else {
            Err(ValidationError::new(field, "is not a valid phone number"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Raw input to create a contact.
#[derive(Debug, Clone, Default)]
pub struct ContactInput {
    pub first_name: String,
    pub last_name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: Option<ContactStatus>,
    pub buying_role: Option<BuyingRole>,
    pub influence: Option<i32>,
    pub attitude: Option<Attitude>,
    pub reports_to_id: Option<ContactId>,
    pub relationship_owner_id: Option<UserId>,
    pub preferred_channel: Option<ContactChannel>,
    pub preferred_frequency: Option<Cadence>,
    pub external_ref: Option<ExternalRefInput>,
}

/// A valid new contact (its account is checked by the service).
#[derive(Debug, Clone)]
pub struct NewContact {
    pub first_name: RequiredText,
    pub last_name: RequiredText,
    pub title: Option<String>,
    pub department: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub status: ContactStatus,
    pub buying_role: Option<BuyingRole>,
    pub influence: Option<InfluenceLevel>,
    pub attitude: Option<Attitude>,
    pub reports_to_id: Option<ContactId>,
    pub relationship_owner_id: Option<UserId>,
    pub preferred_channel: Option<ContactChannel>,
    /// How often the contact wants to hear from us (not `ONCE`).
    pub preferred_frequency: Option<Cadence>,
    pub external_ref: Option<ExternalRef>,
}

/// A contact's preferred frequency: a repeating cadence.
fn frequency(field: &str, c: Cadence) -> Result<Cadence, ValidationError> {
    if c == Cadence::Once {
        return Err(ValidationError::new(
            field,
            "must be a repeating cadence (DAILY to ANNUALLY)",
        ));
    }
    Ok(c)
}

fn non_blank(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.trim().is_empty())
}

impl NewContact {
    pub fn parse(input: ContactInput) -> Result<Self, ValidationError> {
        Ok(Self {
            first_name: RequiredText::parse("firstName", &input.first_name, MAX_SHORT_TEXT)?,
            last_name: RequiredText::parse("lastName", &input.last_name, MAX_SHORT_TEXT)?,
            title: optional_text("title", input.title.as_deref(), MAX_SHORT_TEXT)?,
            department: optional_text("department", input.department.as_deref(), MAX_SHORT_TEXT)?,
            email: non_blank(input.email)
                .map(|e| Email::parse("email", &e))
                .transpose()?,
            phone: non_blank(input.phone)
                .map(|p| Phone::parse("phone", &p))
                .transpose()?,
            status: input.status.unwrap_or(ContactStatus::Active),
            buying_role: input.buying_role,
            influence: input
                .influence
                .map(|i| InfluenceLevel::parse("influence", i))
                .transpose()?,
            attitude: input.attitude,
            reports_to_id: input.reports_to_id,
            relationship_owner_id: input.relationship_owner_id,
            preferred_channel: input.preferred_channel,
            preferred_frequency: input
                .preferred_frequency
                .map(|c| frequency("preferredFrequency", c))
                .transpose()?,
            external_ref: input
                .external_ref
                .map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))
                .transpose()?,
        })
    }
}

/// Raw partial update of a contact.
#[derive(Debug, Clone, Default)]
pub struct ContactPatchInput {
    pub first_name: Patch<String>,
    pub last_name: Patch<String>,
    pub title: Patch<String>,
    pub department: Patch<String>,
    pub email: Patch<String>,
    pub phone: Patch<String>,
    pub status: Patch<ContactStatus>,
    pub buying_role: Patch<BuyingRole>,
    pub influence: Patch<i32>,
    pub attitude: Patch<Attitude>,
    pub reports_to_id: Patch<ContactId>,
    pub relationship_owner_id: Patch<UserId>,
    pub preferred_channel: Patch<ContactChannel>,
    pub preferred_frequency: Patch<Cadence>,
    pub external_ref: Patch<ExternalRefInput>,
}

/// A valid partial update of a contact.
#[derive(Debug, Clone, Default)]
pub struct ContactChanges {
    pub first_name: Option<RequiredText>,
    pub last_name: Option<RequiredText>,
    pub title: Patch<String>,
    pub department: Patch<String>,
    pub email: Patch<Email>,
    pub phone: Patch<Phone>,
    pub status: Option<ContactStatus>,
    pub buying_role: Patch<BuyingRole>,
    pub influence: Patch<InfluenceLevel>,
    pub attitude: Patch<Attitude>,
    pub reports_to_id: Patch<ContactId>,
    pub relationship_owner_id: Patch<UserId>,
    pub preferred_channel: Patch<ContactChannel>,
    pub preferred_frequency: Patch<Cadence>,
    pub external_ref: Patch<ExternalRef>,
}

fn blank_clears<T>(
    p: Patch<String>,
    f: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Result<Patch<T>, ValidationError> {
    match p {
        Patch::Set(v) if v.trim().is_empty() => Ok(Patch::Clear),
        p => p.try_map(|v| f(&v)),
    }
}

impl ContactChanges {
    /// The first personal field these changes would write (API name), if
    /// any: an erased contact takes none (its name, title, department,
    /// e-mail, phone and external reference stay erased). Clearing a field
    /// writes nothing personal and is accepted; so are the non-personal
    /// fields (status, buying role, influence, attitude, reporting line,
    /// relationship owner).
    pub fn personal_field(&self) -> Option<&'static str> {
        [
            ("firstName", self.first_name.is_some()),
            ("lastName", self.last_name.is_some()),
            ("title", matches!(self.title, Patch::Set(_))),
            ("department", matches!(self.department, Patch::Set(_))),
            ("email", matches!(self.email, Patch::Set(_))),
            ("phone", matches!(self.phone, Patch::Set(_))),
            ("externalRef", matches!(self.external_ref, Patch::Set(_))),
        ]
        .into_iter()
        .find_map(|(name, set)| set.then_some(name))
    }

    pub fn parse(input: ContactPatchInput) -> Result<Self, ValidationError> {
        Ok(Self {
            first_name: required("firstName", input.first_name, |n| {
                RequiredText::parse("firstName", &n, MAX_SHORT_TEXT)
            })?,
            last_name: required("lastName", input.last_name, |n| {
                RequiredText::parse("lastName", &n, MAX_SHORT_TEXT)
            })?,
            title: optional_patch("title", input.title, MAX_SHORT_TEXT)?,
            department: optional_patch("department", input.department, MAX_SHORT_TEXT)?,
            email: blank_clears(input.email, |e| Email::parse("email", e))?,
            phone: blank_clears(input.phone, |p| Phone::parse("phone", p))?,
            status: required("status", input.status, Ok)?,
            buying_role: input.buying_role,
            influence: input
                .influence
                .try_map(|i| InfluenceLevel::parse("influence", i))?,
            attitude: input.attitude,
            reports_to_id: input.reports_to_id,
            relationship_owner_id: input.relationship_owner_id,
            preferred_channel: input.preferred_channel,
            preferred_frequency: input
                .preferred_frequency
                .try_map(|c| frequency("preferredFrequency", c))?,
            external_ref: input
                .external_ref
                .try_map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))?,
        })
    }
}

/// Checks a proposed reporting line: `contact` would report to `manager`.
///
/// `manager_of` gives the current manager of any contact of the same account
/// (`None` at the top). The line is refused when the manager belongs to
/// another account, is the contact itself, or reports (directly or not) to
/// the contact: that would close a cycle.
pub fn check_reports_to(
    contact: ContactId,
    contact_account: AccountId,
    manager: ContactId,
    manager_account: AccountId,
    manager_of: impl Fn(ContactId) -> Option<ContactId>,
) -> Result<(), ValidationError> {
    const FIELD: &str = "reportsToId";
    if manager_account != contact_account {
        return Err(ValidationError::new(
            FIELD,
            "must be a contact of the same account",
        ));
    }
    if manager == contact {
        return Err(ValidationError::new(
            FIELD,
            "a contact cannot report to itself",
        ));
    }
    let mut cursor = Some(manager);
    // A chain longer than this is a corrupt tree; refuse rather than loop.
    for _ in 0..10_000 {
        match cursor {
            None => return Ok(()),
            Some(c) if c == contact => {
                return Err(ValidationError::new(
                    FIELD,
                    "would create a reporting cycle",
                ));
            }
            Some(c) => cursor = manager_of(c),
        }
    }
    Err(ValidationError::new(FIELD, "reporting chain is too deep"))
}

/// The text that replaces a contact's name after erasure.
pub const ERASED_NAME: &str = "Erased";

/// Most colleagues a contact prefers.
pub const MAX_PREFERRED: usize = 10;

/// The colleagues of ours a contact prefers to deal with, in order: at most
/// [`MAX_PREFERRED`], each once (the services check they are active users
/// of the tenant).
pub fn preferred_colleagues(ids: Vec<UserId>) -> Result<Vec<UserId>, ValidationError> {
    const F: &str = "userIds";
    if ids.len() > MAX_PREFERRED {
        return Err(ValidationError::new(
            F,
            format!("must have at most {MAX_PREFERRED} entries"),
        ));
    }
    for (i, u) in ids.iter().enumerate() {
        if ids[..i].contains(u) {
            return Err(ValidationError::new(
                format!("{F}.{i}"),
                "names a colleague twice",
            ));
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod preferred_tests {
    use super::*;

    #[test]
    fn preferred_colleagues_are_few_and_distinct() {
        let a = UserId(uuid::Uuid::now_v7());
        let b = UserId(uuid::Uuid::now_v7());
        assert_eq!(preferred_colleagues(vec![a, b]).unwrap(), vec![a, b]);
        assert_eq!(
            preferred_colleagues(vec![a, b, a]).unwrap_err().field,
            "userIds.2"
        );
        let many = (0..11).map(|_| UserId(uuid::Uuid::now_v7())).collect();
        assert_eq!(preferred_colleagues(many).unwrap_err().field, "userIds");
        assert!(preferred_colleagues(vec![]).unwrap().is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn personal_fields_are_told_apart_from_the_relationship() {
        let changes = |input: ContactPatchInput| ContactChanges::parse(input).unwrap();
        assert_eq!(changes(ContactPatchInput::default()).personal_field(), None);
        let c = changes(ContactPatchInput {
            status: Patch::Set(ContactStatus::LeftCompany),
            email: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(
            c.personal_field(),
            None,
            "status and clearing are not personal"
        );
        let c = changes(ContactPatchInput {
            email: Patch::Set("ann@example.com".into()),
            ..Default::default()
        });
        assert_eq!(c.personal_field(), Some("email"));
        let c = changes(ContactPatchInput {
            first_name: Patch::Set("Ann".into()),
            ..Default::default()
        });
        assert_eq!(c.personal_field(), Some("firstName"));
    }

    #[test]
    fn influence_is_one_to_five() {
        assert!(InfluenceLevel::parse("influence", 0).is_err());
        assert!(InfluenceLevel::parse("influence", 6).is_err());
        assert_eq!(InfluenceLevel::parse("influence", 5).unwrap().get(), 5);
    }

    #[test]
    fn a_contact_needs_names_and_a_valid_email() {
        let e = NewContact::parse(ContactInput {
            first_name: "".into(),
            last_name: "X".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "firstName");
        let e = NewContact::parse(ContactInput {
            first_name: "A".into(),
            last_name: "B".into(),
            email: Some("nope".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.field, "email");
        assert!(Phone::parse("phone", "+49 (30) 123-456").is_ok());
        assert!(Phone::parse("phone", "call me").is_err());
    }

    #[test]
    fn reporting_lines_refuse_cycles_and_other_accounts() {
        let acc = AccountId::new();
        let (a, b, c) = (ContactId::new(), ContactId::new(), ContactId::new());
        // c -> b -> a (c reports to b, b reports to a)
        let edges: HashMap<ContactId, ContactId> = [(c, b), (b, a)].into_iter().collect();
        let up = |x: ContactId| edges.get(&x).copied();
        assert!(
            check_reports_to(a, acc, c, acc, up).is_err(),
            "a -> c closes a cycle"
        );
        assert!(check_reports_to(a, acc, a, acc, up).is_err(), "self");
        assert!(
            check_reports_to(c, acc, a, acc, up).is_ok(),
            "moving c under a"
        );
        let e = check_reports_to(c, acc, a, AccountId::new(), up).unwrap_err();
        assert_eq!(e.field, "reportsToId");
    }
}
