//! The account team: the supplier's people on one account, each in a team
//! role with a written responsibility. The account's owner is always the
//! team's one [`TeamRole::Owner`]; the other roles are given and changed
//! through the team, the owner only through the account's `ownerId`.
//!
//! Who may write an account is decided by [`crate::authorize`] from the
//! caller's team role on it ([`TeamRole::writes`]).

use crate::error::ValidationError;
use crate::text::optional_text;
use crate::{Patch, text_enum};

text_enum!(
    /// A user's part in the team of one account.
    TeamRole {
        /// Owns the account (its `ownerId`): accountable for the plan.
        Owner => "OWNER",
        /// Runs the account day to day beside the owner.
        AccountManager => "ACCOUNT_MANAGER",
        /// The executive of ours who sponsors the relationship.
        ExecutiveSponsor => "EXECUTIVE_SPONSOR",
        /// A product or solution specialist.
        Specialist => "SPECIALIST",
        /// Service and support.
        Support => "SUPPORT",
    }
);

impl TeamRole {
    /// Whether a user in this team role writes the account and everything
    /// under it (when their own role lets them write at all: see
    /// [`crate::authorize`]).
    pub fn writes(self) -> bool {
        matches!(self, TeamRole::Owner | TeamRole::AccountManager)
    }

    /// The team roles that write, as stored (for statements that check
    /// membership themselves).
    pub const WRITERS: [&'static str; 2] = ["OWNER", "ACCOUNT_MANAGER"];

    /// Order of the team list: owner first, then by role as declared.
    pub fn rank(self) -> u8 {
        match self {
            TeamRole::Owner => 0,
            TeamRole::AccountManager => 1,
            TeamRole::ExecutiveSponsor => 2,
            TeamRole::Specialist => 3,
            TeamRole::Support => 4,
        }
    }
}

/// Longest responsibility text.
pub const MAX_RESPONSIBILITY: usize = 500;

/// A member to add, as the API gives it.
#[derive(Debug, Clone)]
pub struct MemberInput {
    pub role: TeamRole,
    pub responsibility: Option<String>,
}

/// A member to add, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub role: TeamRole,
    pub responsibility: Option<String>,
}

/// Refuses the owner's role where only the account's `ownerId` may give it.
fn not_owner(field: &str, role: TeamRole) -> Result<TeamRole, ValidationError> {
    if role == TeamRole::Owner {
        return Err(ValidationError::new(
            field,
            "the owner is the account's ownerId: change it with updateAccount",
        ));
    }
    Ok(role)
}

impl NewMember {
    pub fn parse(input: MemberInput) -> Result<Self, ValidationError> {
        Ok(Self {
            role: not_owner("role", input.role)?,
            responsibility: optional_text(
                "responsibility",
                input.responsibility.as_deref(),
                MAX_RESPONSIBILITY,
            )?,
        })
    }
}

/// Changes to a member, as the API gives them.
#[derive(Debug, Clone, Default)]
pub struct MemberPatchInput {
    pub role: Option<TeamRole>,
    pub responsibility: Patch<String>,
}

/// Changes to a member, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberChanges {
    pub role: Option<TeamRole>,
    pub responsibility: Patch<String>,
}

impl MemberChanges {
    /// `current` is the member's role now: the owner's role is neither given
    /// nor taken here.
    pub fn parse(input: MemberPatchInput, current: TeamRole) -> Result<Self, ValidationError> {
        if let Some(r) = input.role
            && current == TeamRole::Owner
            && r != TeamRole::Owner
        {
            return Err(ValidationError::new(
                "role",
                "the owner's role changes only with the account's ownerId (updateAccount)",
            ));
        }
        let role = match input.role {
            Some(r) if r == current => None,
            Some(r) => Some(not_owner("role", r)?),
            None => None,
        };
        let responsibility = input.responsibility.try_map(|t| {
            optional_text("responsibility", Some(&t), MAX_RESPONSIBILITY)
                .map(|t| t.unwrap_or_default())
        })?;
        // An empty text clears it, like null.
        let responsibility = match responsibility {
            Patch::Set(t) if t.is_empty() => Patch::Clear,
            other => other,
        };
        Ok(Self {
            role,
            responsibility,
        })
    }
}

/// Whether the member with `role` may be removed from the team.
pub fn check_removable(role: TeamRole) -> Result<(), ValidationError> {
    if role == TeamRole::Owner {
        return Err(ValidationError::new(
            "userId",
            "the owner stays on the team: give the account another owner first (updateAccount)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_and_account_managers_write_the_others_do_not() {
        let writers: Vec<_> = TeamRole::ALL.iter().filter(|r| r.writes()).collect();
        assert_eq!(writers, [&TeamRole::Owner, &TeamRole::AccountManager]);
        let stored: Vec<_> = writers.iter().map(|r| r.as_str()).collect();
        assert_eq!(stored, TeamRole::WRITERS);
    }

    #[test]
    fn the_owner_role_is_not_given_through_the_team() {
        let e = NewMember::parse(MemberInput {
            role: TeamRole::Owner,
            responsibility: None,
        })
        .unwrap_err();
        assert_eq!(e.field, "role");
        let e = MemberChanges::parse(
            MemberPatchInput {
                role: Some(TeamRole::Owner),
                ..Default::default()
            },
            TeamRole::Specialist,
        )
        .unwrap_err();
        assert_eq!(e.field, "role");
    }

    #[test]
    fn the_owner_keeps_the_owner_role() {
        let e = MemberChanges::parse(
            MemberPatchInput {
                role: Some(TeamRole::Support),
                ..Default::default()
            },
            TeamRole::Owner,
        )
        .unwrap_err();
        assert_eq!(e.field, "role");
        // Restating the role the member has is no change.
        let c = MemberChanges::parse(
            MemberPatchInput {
                role: Some(TeamRole::Owner),
                responsibility: Patch::Set("Runs the QBRs".into()),
            },
            TeamRole::Owner,
        )
        .unwrap();
        assert_eq!(c.role, None);
        assert_eq!(c.responsibility, Patch::Set("Runs the QBRs".into()));
        assert!(check_removable(TeamRole::Owner).is_err());
        assert!(check_removable(TeamRole::Support).is_ok());
    }

    #[test]
    fn responsibility_is_trimmed_bounded_and_empty_clears() {
        let m = NewMember::parse(MemberInput {
            role: TeamRole::Specialist,
            responsibility: Some("  Logistics solutions  ".into()),
        })
        .unwrap();
        assert_eq!(m.responsibility.as_deref(), Some("Logistics solutions"));
        let e = NewMember::parse(MemberInput {
            role: TeamRole::Specialist,
            responsibility: Some("x".repeat(MAX_RESPONSIBILITY + 1)),
        })
        .unwrap_err();
        assert_eq!(e.field, "responsibility");
        let c = MemberChanges::parse(
            MemberPatchInput {
                responsibility: Patch::Set("   ".into()),
                ..Default::default()
            },
            TeamRole::Support,
        )
        .unwrap();
        assert_eq!(c.responsibility, Patch::Clear);
    }

    #[test]
    fn the_owner_ranks_first() {
        let mut roles = TeamRole::ALL.to_vec();
        roles.reverse();
        roles.sort_by_key(|r| r.rank());
        assert_eq!(roles, TeamRole::ALL);
    }
}
