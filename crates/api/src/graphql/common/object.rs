//! `object!`: one description of a GraphQL object type, from which both
//! executors are made.
//!
//! A type's fields are written once, in schema order, as either
//!
//! - `leaf "name" fn_name(row) [columns] -> Type { body }`: a value computed
//!   from the row alone (a column, or a pure function of columns). It
//!   becomes the async-graphql resolver *and* an entry of the compiled read
//!   path's leaf table (`fields::leaf_of("name")`, which writes the same value
//!   with [`Json`](super::json::Json)), so the two cannot disagree;
//! - `value "name" fn_name(row) [columns] -> Type { body }`: the same for an
//!   embedded object (money, an external reference): a resolver, and a
//!   function the compiled path calls before it writes the object's own
//!   leaves;
//! - any other `async fn` of an `#[Object]` impl (relations, fields with
//!   arguments), passed through unchanged.
//!
//! `[columns]` lists the columns a leaf reads when they are not its own
//! name in snake case (`fullName` reads `first_name, last_name`); the
//! compiled path's partial reads select exactly those.
//!
//! ```ignore
//! object! {
//!     /// A customer account.
//!     #[Object]
//!     impl Account(account::Model) fields account_fields {
//!         /// The global id.
//!         leaf "id" id(a) -> GlobalId { GlobalId(Kind::Account, a.id) }
//!         /// The user who owns the account.
//!         async fn owner(&self, ctx: &Context<'_>) -> Result<User> { .. }
//!     }
//! }
//! ```
//!
//! The invocation writes `#[Object]` itself (with its options), so that
//! async-graphql's expansion sees the caller's names (`child_complexity` in
//! `complexity = ".."` strings). `impl T(Row)` is a newtype over a row (`self.0`, any `Deref` to `Row`);
//! `impl T(self)` is an object that is its own row.

/// See the module documentation.
macro_rules! object {
    // The header: attributes (taken token by token, so that `#[Object]`
    // keeps the caller's spans) up to `impl`.
    (@head [$($om:tt)*] impl $obj:ident(self) fields $mod:ident { $($body:tt)* }) => {
        $crate::graphql::common::object::object!(@munch
            [$($om)*] $obj [$obj] itself $mod [] [] [] [] [] [] $($body)*);
    };
    (@head [$($om:tt)*] impl $obj:ident($row:ty) fields $mod:ident { $($body:tt)* }) => {
        $crate::graphql::common::object::object!(@munch
            [$($om)*] $obj [$row] newtype $mod [] [] [] [] [] [] $($body)*);
    };
    (@head [$($om:tt)*] $t:tt $($rest:tt)*) => {
        $crate::graphql::common::object::object!(@head [$($om)* $t] $($rest)*);
    };
    // A leaf: resolver, function and leaf-table entry.
    (@munch $om:tt $obj:ident [$row:ty] $acc:ident $mod:ident
        [$($fns:tt)*] [$($arms:tt)*] [$($cols:tt)*] [$($items:tt)*] [$($names:tt)*] [$($vals:tt)*]
        $(#[$m:meta])* $v:vis leaf $gql:literal $name:ident($r:ident) $([$($col:ident),*])? -> $ty:ty $body:block
        $($rest:tt)*
    ) => {
        $crate::graphql::common::object::object!(@munch $om $obj [$row] $acc $mod
            [$($fns)* #[allow(clippy::needless_lifetimes)] pub(crate) fn $name($r: &$row) -> $ty $body]
            [$($arms)* $gql => |r, o| $crate::graphql::common::json::Json::write_json(&$name(r), o),]
            [$($cols)* $($gql => Some(&[$(stringify!($col)),*]),)?]
            [$($items)* $(#[$m])* $v async fn $name(&self) -> $ty { $mod::$name(self.__row()) }]
            [$($names)* $gql,]
            [$($vals)*]
            $($rest)*);
    };
    // An embedded object: resolver and function, no leaf-table entry.
    (@munch $om:tt $obj:ident [$row:ty] $acc:ident $mod:ident
        [$($fns:tt)*] [$($arms:tt)*] [$($cols:tt)*] [$($items:tt)*] [$($names:tt)*] [$($vals:tt)*]
        $(#[$m:meta])* $v:vis value $gql:literal $name:ident($r:ident) $([$($col:ident),*])? -> $ty:ty $body:block
        $($rest:tt)*
    ) => {
        $crate::graphql::common::object::object!(@munch $om $obj [$row] $acc $mod
            [$($fns)* pub(crate) fn $name($r: &$row) -> $ty $body]
            [$($arms)*]
            [$($cols)* $($gql => Some(&[$(stringify!($col)),*]),)?]
            [$($items)* $(#[$m])* $v async fn $name(&self) -> $ty { $mod::$name(self.__row()) }]
            [$($names)* $gql,]
            [$($vals)* $gql => Some($crate::graphql::common::object::Embedded::from($name as fn(&$row) -> $ty)),]
            $($rest)*);
    };
    // Any other resolver, unchanged.
    (@munch $om:tt $obj:ident [$row:ty] $acc:ident $mod:ident
        [$($fns:tt)*] [$($arms:tt)*] [$($cols:tt)*] [$($items:tt)*] [$($names:tt)*] [$($vals:tt)*]
        $(#[$m:meta])* $v:vis async fn $name:ident $args:tt -> $ret:ty $body:block
        $($rest:tt)*
    ) => {
        $crate::graphql::common::object::object!(@munch $om $obj [$row] $acc $mod
            [$($fns)*] [$($arms)*] [$($cols)*]
            [$($items)* $(#[$m])* $v async fn $name $args -> $ret $body]
            [$($names)*]
            [$($vals)*]
            $($rest)*);
    };
    (@munch [$($om:tt)*] $obj:ident [$row:ty] $acc:ident $mod:ident
        [$($fns:tt)*] [$($arms:tt)*] [$($cols:tt)*] [$($items:tt)*] [$($names:tt)*] [$($vals:tt)*]
    ) => {
        #[doc = concat!("The fields of `", stringify!($obj), "` computed from its row alone, ",
            "shared by its resolvers and the compiled read path (`object!`).")]
        #[allow(dead_code)]
        pub(crate) mod $mod {
            #[allow(unused_imports)]
            use super::*;
            $($fns)*
            /// The GraphQL names of the fields described here (async-graphql
            /// derives them from the function names; a test checks that
            /// every one is a field of the type in the schema).
            #[cfg(test)]
            pub(crate) const NAMES: &[&str] = &[$($names)*];
            /// The compiled path's writer of a leaf field (by its GraphQL name).
            #[allow(dead_code)] // types the compiled path does not cover yet
            pub(crate) fn leaf_of(field: &str) -> Option<$crate::graphql::common::json::Leaf<$row>> {
                Some(match field {
                    "__typename" => |_, o| $crate::graphql::common::json::name(o, stringify!($obj)),
                    $($arms)*
                    _ => return None,
                })
            }
            /// The compiled path's getter of an embedded object (by its
            /// GraphQL name).
            pub(crate) fn value_of(field: &str) -> Option<$crate::graphql::common::object::Embedded<$row>> {
                match field {
                    $($vals)*
                    _ => None,
                }
            }
            /// The columns a field reads, where they are not its own name
            /// in snake case.
            #[allow(dead_code)]
            pub(crate) fn columns_of(field: &str) -> Option<&'static [&'static str]> {
                match field {
                    $($cols)*
                    _ => None,
                }
            }
        }
        $crate::graphql::common::object::object!(@row $acc $obj $row);
        $($om)*
        impl $obj {
            $($items)*
        }
    };
    (@row newtype $obj:ident $row:ty) => {
        impl $obj {
            #[inline]
            fn __row(&self) -> &$row {
                &self.0
            }
        }
    };
    (@row itself $obj:ident $row:ty) => {
        impl $obj {
            #[inline]
            fn __row(&self) -> &$row {
                self
            }
        }
    };
    ($($t:tt)*) => {
        $crate::graphql::common::object::object!(@head [] $($t)*);
    };
}
pub(crate) use object;

use super::values::{ExternalRef, Money};

/// The getter of an embedded object field (`value` in `object!`), by the
/// object's type: the compiled path then writes the object's own leaves.
pub(crate) enum Embedded<M> {
    Money(fn(&M) -> Money),
    OptMoney(fn(&M) -> Option<Money>),
    OptExternalRef(fn(&M) -> Option<ExternalRef>),
}

impl<M> From<fn(&M) -> Money> for Embedded<M> {
    fn from(f: fn(&M) -> Money) -> Self {
        Embedded::Money(f)
    }
}

impl<M> From<fn(&M) -> Option<Money>> for Embedded<M> {
    fn from(f: fn(&M) -> Option<Money>) -> Self {
        Embedded::OptMoney(f)
    }
}

impl<M> From<fn(&M) -> Option<ExternalRef>> for Embedded<M> {
    fn from(f: fn(&M) -> Option<ExternalRef>) -> Self {
        Embedded::OptExternalRef(f)
    }
}
