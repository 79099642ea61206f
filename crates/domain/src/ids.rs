//! Typed identifiers. All ids are UUIDv7 (time-ordered), so inserts stay
//! local in B-tree indexes and `ORDER BY id` follows creation order.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A supplier organisation using Steward.
    TenantId
);
id_type!(
    /// A person of the supplier.
    UserId
);
id_type!(
    /// A customer account.
    AccountId
);
id_type!(
    /// A person at a customer account.
    ContactId
);
id_type!(
    /// An account plan for one account and period.
    PlanId
);
id_type!(
    /// A SMART objective of an account plan.
    ObjectiveId
);
id_type!(
    /// An action item of an account plan.
    ActionItemId
);
id_type!(
    /// A dated review of an account plan.
    ReviewId
);
id_type!(
    /// A product or service of the supplier (a white-space column).
    ProductId
);
id_type!(
    /// A business unit, division or location of a customer (a white-space row).
    BusinessUnitId
);
id_type!(
    /// One cell of an account's white-space matrix.
    WhiteSpaceCellId
);
