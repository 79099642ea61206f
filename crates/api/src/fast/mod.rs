//! Compiled reads: the hot read shapes of the schema without async-graphql's
//! per-field execution.
//!
//! A dashboard page (`accounts` with owners, contacts, plans and objectives)
//! has ~5,000 leaf fields. async-graphql resolves each one as a future,
//! builds a tree of `Value`s and then serialises it; that costs several times
//! what the database needs for the same page (see `bench/README.md`). Here a
//! document that has passed full validation once is *compiled*: its
//! selection is collected as GraphQL's CollectFields does (named and inline
//! fragments whose type condition applies, `Node` included; `@include` and
//! `@skip` with literals, or with the request's variables, in which case the
//! plan is made per request; a key selected several times merged), and when
//! every field is on a supported path (`account`, `accounts`, `contact`,
//! `plans`, `users`, `plan`, `user`, `actionItem`, `products`,
//! `overdueActions` (occurrences with their action item and assessment), `node` for accounts, contacts, plans, users and the
//! kinds read from their row alone (growth targets, reviews, contingencies,
//! products, business units, cells, action items, assessments, the
//! tenant), `viewer`
//! with its user, tenant and agenda; accounts' owner, contacts, plans and
//! activities connections and their white space (rows, columns, cells,
//! totals); contacts' account, `reportsTo`, `directReports` and
//! `relationshipOwner` at any depth; activities' account, contacts and
//! `loggedBy`; plans' owner, account, objectives, growth targets, reviews,
//! contingencies and action items, objectives' owner, plan and progress; embedded money and
//! external references; and, inside the row-backed types read through
//! `simple` (lists under plans, white space, overdue occurrences, nodes),
//! every relation listed in `rels.rs` at any depth (an action item's plan,
//! objective, assignee, contacts and assessments, an assessment's item,
//! follow-up and author, reviewers, owners, a cell's unit, product and
//! objective, a unit's account, ...); `pageInfo`, `edges`, `nodes`, `totalCount` (one count
//! per level), `__typename`,
//! aliases) the selection becomes a [`Plan`]: per level, which rows to fetch
//! (one statement per relation and level, like the loaders) and, per field,
//! a function that writes its JSON straight into the response buffer (the
//! leaf writers are the types' field tables, `graphql::fields`, made by
//! `object!` from the same description as the resolvers). The
//! complexity limit is checked on a tree of the document's fields as written
//! (`cost`), so that the compiled path refuses what async-graphql refuses.
//!
//! Anything else (other fields, other directives, filters on nested
//! connections, arguments that do not resolve, missing rows, errors of any
//! kind) is not compiled or makes execution give up, and the request goes
//! through async-graphql as usual, so errors, their codes and paths are
//! always async-graphql's. async-graphql keeps parsing, validation, the
//! schema and introspection.
//!
//! The output is byte for byte what async-graphql produces for the same
//! document and variables: a differential test (`tests/e2e/compiled.rs`) runs
//! every supported field, with aliases, variables and pagination, through both.

mod activities;
mod alerts;
mod compile;
mod contact_map;
mod cost;
mod coverage;
mod drivers;
mod exec;
mod health;
mod history;
mod lists;
mod nodes;
mod occurrences;
mod overdue;
mod ranking;
mod rels;
mod render;
mod roti;
mod sconn;
mod signals;
mod simple;
mod trajectory;
mod whitespace;

pub use compile::{NotCompiled, Plan, compile};
pub use exec::execute;
