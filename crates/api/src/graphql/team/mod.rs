//! Account teams: the `AccountTeamMember` object (`account.team`), and the
//! mutations that add, change and remove members. The owner's membership
//! follows the account's `ownerId`.

mod input;
mod mutation;
mod object;

pub use mutation::TeamMutation;
pub use object::AccountTeamMember;
pub(crate) use object::team_member_fields;
