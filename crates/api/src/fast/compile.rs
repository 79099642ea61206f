//! From a validated document to a [`Plan`], or `None` when the document
//! selects anything the compiled path does not cover.

use super::write as w;
use crate::graphql::ids::Kind;
use crate::graphql::plan::status_of;
use crate::graphql::types::{
    AccountStatus, Attitude, BuyingRole, ContactStatus, ExternalRef, Money, Role, Tier, money,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Field, OperationType, Selection, SelectionSet,
};
use async_graphql_value::{ConstValue, Name, Value};
use persistence::entity::{account, account_plan, contact, objective, user};
use persistence::repo::partial::{Columns, Partial};
use std::collections::HashSet;

/// Writes one leaf value of a row.
pub(super) type Leaf<R> = fn(&R, &mut Vec<u8>);

/// A response key, pre-rendered as `"key":`.
pub(super) struct Key(Box<[u8]>);

impl Key {
    fn new(name: &str) -> Self {
        Key(format!("\"{name}\":").into_bytes().into_boxed_slice())
    }

    pub(super) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// The selected fields of one object, in response order.
pub(super) type Obj<F> = Vec<(Key, F)>;

/// An argument as written: absent, a literal or a variable.
pub(super) type Arg = Option<Value>;

/// Relay connection arguments.
pub(super) struct PageSpec {
    pub first: Arg,
    pub after: Arg,
    pub last: Arg,
    pub before: Arg,
}

/// Fields of a connection.
pub(super) enum ConnF<F> {
    Typename(&'static str),
    PageInfo(Obj<PageInfoF>),
    Edges(Obj<EdgeF<F>>),
    Nodes(Obj<F>),
}

pub(super) enum EdgeF<F> {
    Typename(&'static str),
    Cursor,
    Node(Obj<F>),
}

#[derive(Clone, Copy)]
pub(super) enum PageInfoF {
    Typename,
    HasNextPage,
    HasPreviousPage,
    StartCursor,
    EndCursor,
}

pub(super) type Conn<F> = Obj<ConnF<F>>;

pub(super) enum AccountF {
    Leaf(Leaf<account::Model>),
    Money(fn(&account::Model) -> Option<Money>, Obj<Leaf<Money>>),
    ExternalRef(Obj<Leaf<ExternalRef>>),
    Owner(Obj<Leaf<user::Model>>),
    Contacts(PageSpec, Conn<ContactF>, Columns),
    Plans(PageSpec, Conn<PlanF>, Columns),
}

pub(super) enum ContactF {
    Leaf(Leaf<contact::Model>),
    ExternalRef(Obj<Leaf<ExternalRef>>),
}

pub(super) enum PlanF {
    Leaf(Leaf<account_plan::Model>),
    Owner(Obj<Leaf<user::Model>>),
    Objectives(Obj<ObjectiveF>, Columns),
}

pub(super) enum ObjectiveF {
    Leaf(Leaf<objective::Model>),
    Owner(Obj<Leaf<user::Model>>),
}

pub(super) enum RootF {
    Typename,
    Account {
        id: Arg,
        sel: Obj<AccountF>,
        columns: Columns,
    },
    Accounts {
        page: Box<PageSpec>,
        order_by: Arg,
        filter: Arg,
        conn: Conn<AccountF>,
        columns: Columns,
    },
}

/// A compiled query.
pub struct Plan {
    /// The size of the last response, to allocate the next one at once.
    pub(super) size_hint: std::sync::atomic::AtomicUsize,
    pub(super) variables: Vec<(Name, Option<ConstValue>)>,
    pub(super) root: Obj<RootF>,
}

/// Compiles the operation `operation_name` of `doc`, or `None` when it is
/// not a query or selects anything outside the compiled path.
pub fn compile(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<Plan> {
    if !doc.fragments.is_empty() {
        return None;
    }
    let op = match (&doc.operations, operation_name) {
        (DocumentOperations::Single(op), None) => op,
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name)?,
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next()?,
        _ => return None,
    };
    let op = &op.node;
    if op.ty != OperationType::Query || !op.directives.is_empty() {
        return None;
    }
    let mut variables = Vec::with_capacity(op.variable_definitions.len());
    for v in &op.variable_definitions {
        if !v.node.directives.is_empty() {
            return None;
        }
        variables.push((
            v.node.name.node.clone(),
            v.node.default_value.as_ref().map(|d| d.node.clone()),
        ));
    }
    let mut root = Vec::new();
    for (key, f) in fields(&op.selection_set.node)? {
        let field = match f.name.node.as_str() {
            "__typename" if leaf(f) => RootF::Typename,
            "account" => {
                let (sel, columns) = account_obj(sub(f)?)?;
                RootF::Account {
                    id: only_args(f, &["id"])?.remove(0),
                    sel,
                    columns,
                }
            }
            "accounts" => {
                let mut a = only_args(
                    f,
                    &["first", "after", "last", "before", "orderBy", "filter"],
                )?;
                let filter = a.pop()?;
                let order_by = a.pop()?;
                let (conn, columns) = conn(sub(f)?, "Account", account_obj)?;
                RootF::Accounts {
                    page: Box::new(page_spec(a)?),
                    order_by,
                    filter,
                    conn,
                    columns,
                }
            }
            _ => return None,
        };
        root.push((key, field));
    }
    Some(Plan {
        size_hint: std::sync::atomic::AtomicUsize::new(4096),
        variables,
        root,
    })
}

/// The fields of a selection set with their response keys; `None` for
/// fragments, directives and keys selected twice (which GraphQL merges).
fn fields(set: &SelectionSet) -> Option<Vec<(Key, &Field)>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(set.items.len());
    for item in &set.items {
        let Selection::Field(f) = &item.node else {
            return None;
        };
        let f = &f.node;
        if !f.directives.is_empty() {
            return None;
        }
        let key = f.alias.as_ref().unwrap_or(&f.name).node.as_str();
        if !seen.insert(key) {
            return None;
        }
        out.push((Key::new(key), f));
    }
    Some(out)
}

/// A field without arguments or selection.
fn leaf(f: &Field) -> bool {
    f.arguments.is_empty() && f.selection_set.node.items.is_empty()
}

/// The selection of an object field without arguments.
fn sub(f: &Field) -> Option<&SelectionSet> {
    let set = &f.selection_set.node;
    (!set.items.is_empty()).then_some(set)
}

/// The field's arguments in the order of `names` (absent ones `None`);
/// `None` when it has any other argument.
fn only_args(f: &Field, names: &[&str]) -> Option<Vec<Arg>> {
    let mut out: Vec<Arg> = vec![None; names.len()];
    for (name, value) in &f.arguments {
        let i = names.iter().position(|n| *n == name.node.as_str())?;
        out[i] = Some(value.node.clone());
    }
    Some(out)
}

fn page_spec(mut a: Vec<Arg>) -> Option<PageSpec> {
    if a.len() != 4 {
        return None;
    }
    let before = a.pop()?;
    let last = a.pop()?;
    let after = a.pop()?;
    let first = a.pop()?;
    Some(PageSpec {
        first,
        after,
        last,
        before,
    })
}

/// A connection field's page arguments and selection.
fn paged<F>(
    f: &Field,
    node_type: &'static str,
    node: NodeFn<F>,
) -> Option<(PageSpec, Conn<F>, Columns)> {
    let a = only_args(f, &["first", "after", "last", "before"])?;
    let (c, columns) = conn(sub(f)?, node_type, node)?;
    Some((page_spec(a)?, c, columns))
}

/// Compiles the selection on a node type: its fields and the columns they read.
type NodeFn<F> = fn(&SelectionSet) -> Option<(Obj<F>, Columns)>;

fn typename_of(node_type: &'static str, suffix: &str) -> &'static str {
    match (node_type, suffix) {
        ("Account", "Connection") => "AccountConnection",
        ("Account", _) => "AccountEdge",
        ("Contact", "Connection") => "ContactConnection",
        ("Contact", _) => "ContactEdge",
        ("Plan", "Connection") => "PlanConnection",
        _ => "PlanEdge",
    }
}

fn conn<F>(
    set: &SelectionSet,
    node_type: &'static str,
    node: NodeFn<F>,
) -> Option<(Conn<F>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    let mut node = |set: &SelectionSet| {
        let (obj, c) = node(set)?;
        columns = columns.union(c);
        Some(obj)
    };
    for (key, f) in fields(set)? {
        let field = match f.name.node.as_str() {
            "__typename" if leaf(f) => ConnF::Typename(typename_of(node_type, "Connection")),
            "pageInfo" if f.arguments.is_empty() => ConnF::PageInfo(page_info(sub(f)?)?),
            "nodes" if f.arguments.is_empty() => ConnF::Nodes(node(sub(f)?)?),
            "edges" if f.arguments.is_empty() => {
                let mut edge = Vec::new();
                for (key, e) in fields(sub(f)?)? {
                    let ef = match e.name.node.as_str() {
                        "__typename" if leaf(e) => EdgeF::Typename(typename_of(node_type, "Edge")),
                        "cursor" if leaf(e) => EdgeF::Cursor,
                        "node" if e.arguments.is_empty() => EdgeF::Node(node(sub(e)?)?),
                        _ => return None,
                    };
                    edge.push((key, ef));
                }
                ConnF::Edges(edge)
            }
            _ => return None,
        };
        out.push((key, field));
    }
    Some((out, columns))
}

fn page_info(set: &SelectionSet) -> Option<Obj<PageInfoF>> {
    let mut out = Vec::new();
    for (key, f) in fields(set)? {
        if !leaf(f) {
            return None;
        }
        let field = match f.name.node.as_str() {
            "__typename" => PageInfoF::Typename,
            "hasNextPage" => PageInfoF::HasNextPage,
            "hasPreviousPage" => PageInfoF::HasPreviousPage,
            "startCursor" => PageInfoF::StartCursor,
            "endCursor" => PageInfoF::EndCursor,
            _ => return None,
        };
        out.push((key, field));
    }
    Some(out)
}

/// An object whose fields are all leaves.
fn leaves<R>(set: &SelectionSet, leaf_of: fn(&str) -> Option<Leaf<R>>) -> Option<Obj<Leaf<R>>> {
    let mut out = Vec::new();
    for (key, f) in fields(set)? {
        if !leaf(f) {
            return None;
        }
        out.push((key, leaf_of(f.name.node.as_str())?));
    }
    Some(out)
}

fn account_obj(set: &SelectionSet) -> Option<(Obj<AccountF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in fields(set)? {
        let name = f.name.node.as_str();
        let field = match name {
            _ if leaf(f) && account_leaf(name).is_some() => AccountF::Leaf(account_leaf(name)?),
            "annualRevenue" | "walletEstimate" if f.arguments.is_empty() => {
                let get: fn(&account::Model) -> Option<Money> = if name == "annualRevenue" {
                    |a| money(a.annual_revenue_minor, &a.annual_revenue_currency)
                } else {
                    |a| money(a.wallet_estimate_minor, &a.wallet_estimate_currency)
                };
                AccountF::Money(get, leaves(sub(f)?, money_leaf)?)
            }
            "externalRef" if f.arguments.is_empty() => {
                AccountF::ExternalRef(leaves(sub(f)?, external_leaf)?)
            }
            "owner" if f.arguments.is_empty() => AccountF::Owner(leaves(sub(f)?, user_leaf)?),
            "contacts" => {
                let (p, c, cols) = paged(f, "Contact", contact_obj)?;
                AccountF::Contacts(p, c, cols)
            }
            "plans" => {
                let (p, c, cols) = paged(f, "Plan", plan_obj)?;
                AccountF::Plans(p, c, cols)
            }
            _ => return None,
        };
        columns = columns.union(columns_of::<account::Model>(name));
        out.push((key, field));
    }
    Some((out, columns))
}

fn contact_obj(set: &SelectionSet) -> Option<(Obj<ContactF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in fields(set)? {
        let name = f.name.node.as_str();
        let field = match name {
            _ if leaf(f) && contact_leaf(name).is_some() => ContactF::Leaf(contact_leaf(name)?),
            "externalRef" if f.arguments.is_empty() => {
                ContactF::ExternalRef(leaves(sub(f)?, external_leaf)?)
            }
            _ => return None,
        };
        columns = columns.union(columns_of::<contact::Model>(name));
        out.push((key, field));
    }
    Some((out, columns))
}

fn plan_obj(set: &SelectionSet) -> Option<(Obj<PlanF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in fields(set)? {
        let name = f.name.node.as_str();
        let field = match name {
            _ if leaf(f) && plan_leaf(name).is_some() => PlanF::Leaf(plan_leaf(name)?),
            "owner" if f.arguments.is_empty() => PlanF::Owner(leaves(sub(f)?, user_leaf)?),
            "objectives" if f.arguments.is_empty() => {
                let (o, cols) = objective_obj(sub(f)?)?;
                PlanF::Objectives(o, cols)
            }
            _ => return None,
        };
        columns = columns.union(columns_of::<account_plan::Model>(name));
        out.push((key, field));
    }
    Some((out, columns))
}

fn objective_obj(set: &SelectionSet) -> Option<(Obj<ObjectiveF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in fields(set)? {
        let name = f.name.node.as_str();
        let field = match name {
            _ if leaf(f) && objective_leaf(name).is_some() => {
                ObjectiveF::Leaf(objective_leaf(name)?)
            }
            "owner" if f.arguments.is_empty() => ObjectiveF::Owner(leaves(sub(f)?, user_leaf)?),
            _ => return None,
        };
        columns = columns.union(columns_of::<objective::Model>(name));
        out.push((key, field));
    }
    Some((out, columns))
}

/// The columns a field of `M` reads: its own (camelCase to snake_case) or,
/// for derived fields and relations, those they are computed from.
fn columns_of<M: Partial>(field: &str) -> Columns {
    let fixed: &[&str] = match field {
        "__typename" => &[],
        "fullName" => &["first_name", "last_name"],
        "archived" => &["archived_at"],
        "erased" => &["erased_at"],
        "annualRevenue" => &["annual_revenue_minor", "annual_revenue_currency"],
        "walletEstimate" => &["wallet_estimate_minor", "wallet_estimate_currency"],
        "externalRef" => &["source", "external_id"],
        "owner" => &["owner_id"],
        "contacts" | "plans" | "objectives" => &["id"],
        "baseline" => &["baseline_e4"],
        "target" => &["target_e4"],
        "currentValue" => &["current_e4"],
        "progressPercent" => &["baseline_e4", "target_e4", "current_e4"],
        _ => {
            let mut snake = String::with_capacity(field.len() + 4);
            for ch in field.chars() {
                if ch.is_ascii_uppercase() {
                    snake.push('_');
                    snake.push(ch.to_ascii_lowercase());
                } else {
                    snake.push(ch);
                }
            }
            return Columns::of::<M>(&[snake.as_str()]);
        }
    };
    Columns::of::<M>(fixed)
}

// The leaf tables: each entry writes what the resolver of the same name in
// `graphql::types` / `graphql::plan` returns.

fn money_leaf(name: &str) -> Option<Leaf<Money>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "Money"),
        "amount" => |m, o| w::decimal(o, m.amount),
        "currency" => |m, o| w::str(o, &m.currency),
        _ => return None,
    })
}

fn external_leaf(name: &str) -> Option<Leaf<ExternalRef>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "ExternalRef"),
        "source" => |e, o| w::str(o, &e.source),
        "externalId" => |e, o| w::str(o, &e.external_id),
        _ => return None,
    })
}

fn user_leaf(name: &str) -> Option<Leaf<user::Model>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "User"),
        "id" => |u, o| w::id(o, Kind::User, u.id),
        "email" => |u, o| w::str(o, &u.email),
        "displayName" => |u, o| w::str(o, &u.display_name),
        "role" => |u, o| w::enumeration(o, Role::from_db(&u.role)),
        "active" => |u, o| w::boolean(o, u.active),
        "createdAt" => |u, o| w::datetime(o, &u.created_at),
        _ => return None,
    })
}

fn account_leaf(name: &str) -> Option<Leaf<account::Model>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "Account"),
        "id" => |a, o| w::id(o, Kind::Account, a.id),
        "name" => |a, o| w::str(o, &a.name),
        "industry" => |a, o| w::opt_str(o, a.industry.as_deref()),
        "website" => |a, o| w::opt_str(o, a.website.as_deref()),
        "region" => |a, o| w::opt_str(o, a.region.as_deref()),
        "status" => |a, o| w::enumeration(o, AccountStatus::from_db(&a.status)),
        "tier" => |a, o| w::enumeration(o, Tier::from_db(&a.tier)),
        "ownerId" => |a, o| w::id(o, Kind::User, a.owner_id),
        "archived" => |a, o| w::boolean(o, a.archived_at.is_some()),
        "archivedAt" => |a, o| w::opt(o, a.archived_at.as_ref(), |t, o| w::datetime(o, t)),
        "createdAt" => |a, o| w::datetime(o, &a.created_at),
        "updatedAt" => |a, o| w::datetime(o, &a.updated_at),
        "version" => |a, o| w::int(o, a.version),
        _ => return None,
    })
}

fn contact_leaf(name: &str) -> Option<Leaf<contact::Model>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "Contact"),
        "id" => |c, o| w::id(o, Kind::Contact, c.id),
        "accountId" => |c, o| w::id(o, Kind::Account, c.account_id),
        "firstName" => |c, o| w::str(o, &c.first_name),
        "lastName" => |c, o| w::str(o, &c.last_name),
        "fullName" => |c, o| w::str(o, &format!("{} {}", c.first_name, c.last_name)),
        "title" => |c, o| w::opt_str(o, c.title.as_deref()),
        "department" => |c, o| w::opt_str(o, c.department.as_deref()),
        "email" => |c, o| w::opt_str(o, c.email.as_deref()),
        "phone" => |c, o| w::opt_str(o, c.phone.as_deref()),
        "status" => |c, o| w::enumeration(o, ContactStatus::from_db(&c.status)),
        "buyingRole" => |c, o| {
            w::opt(o, c.buying_role.as_deref(), |s, o| {
                w::enumeration(o, BuyingRole::from_db(s));
            });
        },
        "influence" => |c, o| w::opt(o, c.influence.map(i64::from).as_ref(), |n, o| w::int(o, *n)),
        "attitude" => |c, o| {
            w::opt(o, c.attitude.as_deref(), |s, o| {
                w::enumeration(o, Attitude::from_db(s));
            });
        },
        "reportsToId" => |c, o| {
            w::opt(o, c.reports_to_id.as_ref(), |id, o| {
                w::id(o, Kind::Contact, *id)
            })
        },
        "relationshipOwnerId" => |c, o| {
            w::opt(o, c.relationship_owner_id.as_ref(), |id, o| {
                w::id(o, Kind::User, *id);
            });
        },
        "erased" => |c, o| w::boolean(o, c.erased_at.is_some()),
        "createdAt" => |c, o| w::datetime(o, &c.created_at),
        "updatedAt" => |c, o| w::datetime(o, &c.updated_at),
        "version" => |c, o| w::int(o, c.version),
        _ => return None,
    })
}

fn plan_leaf(name: &str) -> Option<Leaf<account_plan::Model>> {
    Some(match name {
        "__typename" => |_, o| w::name(o, "Plan"),
        "id" => |p, o| w::id(o, Kind::Plan, p.id),
        "title" => |p, o| w::str(o, &p.title),
        "strategySummary" => |p, o| w::opt_str(o, p.strategy_summary.as_deref()),
        "periodStart" => |p, o| w::date(o, p.period_start),
        "periodEnd" => |p, o| w::date(o, p.period_end),
        "status" => |p, o| w::enumeration(o, status_of(&p.status)),
        "createdAt" => |p, o| w::datetime(o, &p.created_at),
        "updatedAt" => |p, o| w::datetime(o, &p.updated_at),
        "version" => |p, o| w::int(o, p.version),
        _ => return None,
    })
}

fn objective_leaf(name: &str) -> Option<Leaf<objective::Model>> {
    use crate::services::plans::from_e4;
    Some(match name {
        "__typename" => |_, o| w::name(o, "Objective"),
        "id" => |x, o| w::id(o, Kind::Objective, x.id),
        "title" => |x, o| w::str(o, &x.title),
        "description" => |x, o| w::opt_str(o, x.description.as_deref()),
        "metric" => |x, o| w::str(o, &x.metric),
        "unit" => |x, o| w::opt_str(o, x.unit.as_deref()),
        "baseline" => |x, o| w::decimal_e4(o, x.baseline_e4),
        "target" => |x, o| w::decimal_e4(o, x.target_e4),
        "currentValue" => |x, o| w::decimal_e4(o, x.current_e4),
        "progressPercent" => |x, o| {
            let p = domain::objective::progress_percent(
                from_e4(x.baseline_e4),
                from_e4(x.target_e4),
                from_e4(x.current_e4),
            );
            w::opt(o, p.as_ref(), |d, o| w::decimal(o, *d));
        },
        "confidence" => |x, o| {
            w::opt(o, x.confidence.map(i64::from).as_ref(), |n, o| {
                w::int(o, *n)
            })
        },
        "dueDate" => |x, o| w::date(o, x.due_date),
        "status" => |x, o| {
            let s: crate::graphql::plan::ObjectiveStatus =
                domain::objective::ObjectiveStatus::from_str_opt(&x.status)
                    .unwrap_or(domain::objective::ObjectiveStatus::OnTrack)
                    .into();
            w::enumeration(o, s);
        },
        "version" => |x, o| w::int(o, x.version),
        _ => return None,
    })
}
