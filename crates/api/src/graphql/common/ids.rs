//! Opaque global ids (`node(id:)`): base64url of `Type:uuid`.

use crate::error::{ApiError, ApiResult};
use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Account,
    Contact,
    User,
    Tenant,
    Activity,
    Plan,
    Objective,
    GrowthTarget,
    PlanReview,
    Contingency,
    ActionItem,
    Assessment,
    Product,
    BusinessUnit,
    WhiteSpaceCell,
    Contract,
    ContactInfluence,
    Opportunity,
    Insight,
    Competitor,
    SuccessCriterion,
    ValueChainLink,
    Signal,
    Alert,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Account => "Account",
            Kind::Contact => "Contact",
            Kind::User => "User",
            Kind::Tenant => "Tenant",
            Kind::Activity => "Activity",
            Kind::Plan => "Plan",
            Kind::Objective => "Objective",
            Kind::GrowthTarget => "GrowthTarget",
            Kind::PlanReview => "PlanReview",
            Kind::Contingency => "Contingency",
            Kind::ActionItem => "ActionItem",
            Kind::Assessment => "Assessment",
            Kind::Product => "Product",
            Kind::BusinessUnit => "BusinessUnit",
            Kind::WhiteSpaceCell => "WhiteSpaceCell",
            Kind::Contract => "Contract",
            Kind::ContactInfluence => "ContactInfluence",
            Kind::Opportunity => "Opportunity",
            Kind::Insight => "AccountInsight",
            Kind::Competitor => "Competitor",
            Kind::SuccessCriterion => "SuccessCriterion",
            Kind::ValueChainLink => "ValueChainLink",
            Kind::Signal => "Signal",
            Kind::Alert => "JeopardyAlert",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "Account" => Kind::Account,
            "Contact" => Kind::Contact,
            "User" => Kind::User,
            "Tenant" => Kind::Tenant,
            "Activity" => Kind::Activity,
            "Plan" => Kind::Plan,
            "Objective" => Kind::Objective,
            "GrowthTarget" => Kind::GrowthTarget,
            "PlanReview" => Kind::PlanReview,
            "Contingency" => Kind::Contingency,
            "ActionItem" => Kind::ActionItem,
            "Assessment" => Kind::Assessment,
            "Product" => Kind::Product,
            "BusinessUnit" => Kind::BusinessUnit,
            "WhiteSpaceCell" => Kind::WhiteSpaceCell,
            "Contract" => Kind::Contract,
            "ContactInfluence" => Kind::ContactInfluence,
            "Opportunity" => Kind::Opportunity,
            "AccountInsight" => Kind::Insight,
            "Competitor" => Kind::Competitor,
            "SuccessCriterion" => Kind::SuccessCriterion,
            "ValueChainLink" => Kind::ValueChainLink,
            "Signal" => Kind::Signal,
            "JeopardyAlert" => Kind::Alert,
            _ => return None,
        })
    }
}

pub fn encode(kind: Kind, id: Uuid) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{}", kind.as_str(), id.as_hyphenated())))
}

/// A global id as a field returns it: the GraphQL `ID` scalar, written
/// straight into the response by the compiled path (no string in between).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalId(pub Kind, pub Uuid);

impl From<GlobalId> for ID {
    fn from(g: GlobalId) -> ID {
        encode(g.0, g.1)
    }
}

impl async_graphql::OutputType for GlobalId {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <ID as async_graphql::OutputType>::type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <ID as async_graphql::OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _: &async_graphql::ContextSelectionSet<'_>,
        _: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<async_graphql::Value> {
        Ok(async_graphql::Value::String(encode(self.0, self.1).0))
    }
}

/// Appends the JSON string of `encode(kind, id)` to `out`, without
/// intermediate allocations (the compiled read path writes ids this way).
pub fn write_json(out: &mut Vec<u8>, kind: Kind, id: Uuid) {
    let mut raw = [0u8; 64];
    let k = kind.as_str().as_bytes();
    raw[..k.len()].copy_from_slice(k);
    raw[k.len()] = b':';
    let n = k.len() + 1;
    id.as_hyphenated().encode_lower(&mut raw[n..n + 36]);
    let input = &raw[..n + 36];
    let start = out.len();
    let len = base64::encoded_len(input.len(), false).unwrap_or(0);
    out.push(b'"');
    out.resize(start + 1 + len, 0);
    let _ = URL_SAFE_NO_PAD.encode_slice(input, &mut out[start + 1..]);
    out.push(b'"');
}

/// An action-item occurrence's global id: base64url of
/// `Occurrence:<item uuid>:<YYYY-MM-DD>` (an occurrence is a day of an item,
/// not a row of its own).
pub fn encode_occurrence(item: Uuid, due: chrono::NaiveDate) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!(
        "Occurrence:{}:{}",
        item.as_hyphenated(),
        due.format("%Y-%m-%d")
    )))
}

/// The item and day of an occurrence's global id, in their canonical
/// spellings only; `None` for any other id.
pub fn decode_occurrence(id: &str) -> Option<(Uuid, chrono::NaiveDate)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let rest = text.strip_prefix("Occurrence:")?;
    let (uuid, date) = rest.split_once(':')?;
    let due = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    (due.format("%Y-%m-%d").to_string() == date).then_some(())?;
    Some((canonical_uuid(uuid)?, due))
}

/// Any global id: its kind and uuid, or None when malformed.
pub fn decode_any(id: &str) -> Option<(Kind, Uuid)> {
    let raw = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (kind, uuid) = text.split_once(':')?;
    Some((Kind::parse(kind)?, canonical_uuid(uuid)?))
}

/// A uuid in its one canonical spelling (lowercase, hyphenated, 36
/// characters), as [`encode`] writes it: a record answers to one id only,
/// not to braced, hyphen-less, `urn:uuid:` or uppercase variants.
pub fn canonical_uuid(text: &str) -> Option<Uuid> {
    let u = Uuid::try_parse(text).ok()?;
    let mut buf = [0u8; 36];
    (text.as_bytes() == u.as_hyphenated().encode_lower(&mut buf).as_bytes()).then_some(u)
}

/// A global id of the expected kind. A malformed id is a VALIDATION error;
/// an id of another kind resolves to nothing, so it is NOT_FOUND.
pub fn decode(kind: Kind, id: &ID, field: &str) -> ApiResult<Uuid> {
    match decode_any(id.as_str()) {
        None => Err(ApiError::validation(field, "is not a valid id")),
        Some((k, u)) if k == kind => Ok(u),
        Some(_) => Err(ApiError::not_found_in(
            match kind {
                Kind::Account => "account",
                Kind::Contact => "contact",
                Kind::User => "user",
                Kind::Tenant => "tenant",
                Kind::Activity => "activity",
                Kind::Plan => "plan",
                Kind::Objective => "objective",
                Kind::GrowthTarget => "growth target",
                Kind::PlanReview => "plan review",
                Kind::Contingency => "contingency",
                Kind::ActionItem => "action item",
                Kind::Assessment => "assessment",
                Kind::Product => "product",
                Kind::BusinessUnit => "business unit",
                Kind::WhiteSpaceCell => "white-space cell",
                Kind::Contract => "contract",
                Kind::ContactInfluence => "influence link",
                Kind::Opportunity => "opportunity",
                Kind::Insight => "insight",
                Kind::Competitor => "competitor",
                Kind::SuccessCriterion => "success criterion",
                Kind::ValueChainLink => "value-chain entry",
                Kind::Signal => "signal",
                Kind::Alert => "alert",
            },
            field,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_kinds_are_checked() {
        let u = Uuid::now_v7();
        let id = encode(Kind::Account, u);
        assert_eq!(decode(Kind::Account, &id, "id").unwrap(), u);
        assert!(matches!(
            decode(Kind::Contact, &id, "id"),
            Err(ApiError::NotFound { .. })
        ));
        assert!(matches!(
            decode(Kind::Account, &ID("nope".into()), "id"),
            Err(ApiError::Validation(_))
        ));
    }

    #[test]
    fn a_record_answers_to_one_spelling_of_its_id() {
        let u = Uuid::now_v7();
        let spell = |s: String| URL_SAFE_NO_PAD.encode(format!("Account:{s}"));
        let canonical = spell(u.as_hyphenated().to_string());
        assert_eq!(canonical, encode(Kind::Account, u).0);
        assert_eq!(decode_any(&canonical), Some((Kind::Account, u)));
        for other in [
            u.as_hyphenated().to_string().to_uppercase(),
            u.as_simple().to_string(),
            u.as_braced().to_string(),
            u.as_urn().to_string(),
            format!(" {u}"),
        ] {
            assert_eq!(decode_any(&spell(other.clone())), None, "{other}");
        }
    }
}
