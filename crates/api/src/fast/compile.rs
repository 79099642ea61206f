//! From a validated document to a [`Plan`], or `None` when the document
//! selects anything the compiled path does not cover.

use super::cost::{Cost, cost_of};
use super::nodes::NodeOf;
use super::overdue::OccurrenceF;
use super::simple::{self, Children, Kids, SimpleF, Table, To};
use super::whitespace::WhiteSpaceF;
use crate::graphql::common::ids::Kind;
use crate::graphql::fields;
use async_graphql::parser::types::{
    Directive, DocumentOperations, ExecutableDocument, Field, OperationType, Selection,
    SelectionSet,
};
use async_graphql::{InputType, Positioned, Variables};
use async_graphql_value::{ConstValue, Name, Value};
use persistence::entity::{account, account_plan, activity, contact, objective, tenant, user};
use persistence::repo::partial::{Columns, Partial};
use std::cell::Cell;

pub(super) use crate::graphql::common::json::Leaf;

use super::rels::{ACCOUNT, ACTIVITY, CONTACT, OBJECTIVE, PLAN};

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
    /// `totalCount`: the whole list, counted once per level.
    TotalCount,
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
    /// A leaf or an embedded object (money, external reference).
    Row(SimpleF<account::Model>),
    /// `whiteSpace`.
    WhiteSpace(Obj<WhiteSpaceF>),
    Owner(UserSel),
    Contacts(PageSpec, Conn<ContactF>, Columns),
    Plans(PageSpec, Conn<PlanF>, Columns),
    Activities(PageSpec, Conn<ActivityF>, Columns),
    /// `children`: a page of subsidiaries per account.
    Children(PageSpec, Conn<AccountF>, Columns),
    /// Any other relation of `rels.rs` (`team`, ...).
    Rel(simple::RelF<account::Model>),
}

pub(super) enum ActivityF {
    Row(SimpleF<activity::Model>),
    /// `loggedBy`: the user who logged it (`null` for the system).
    LoggedBy(UserSel),
    /// `account`: the activity's account.
    Account(Obj<AccountF>, Columns),
    /// `contacts`: the live contacts involved, in name order (`name_key`
    /// is always among the columns).
    Contacts(Obj<ContactF>, Columns),
    /// Any relation listed in `rels.rs` (participants, the action item).
    Rel(simple::RelF<activity::Model>),
}

/// A to-one user field (`owner`, `relationshipOwner`): its selection, and
/// whether it reads the user's row. A selection of only `id` and
/// `__typename` is answered from the foreign key (users are never deleted,
/// only deactivated, so the row is always there, as the resolver finds it).
pub(super) enum UserSel {
    Row(Obj<Leaf<user::Model>>),
    Ref(Obj<RefLeaf>),
}

/// A field of a user known by id only.
#[derive(Clone, Copy)]
pub(super) enum RefLeaf {
    Id,
    Typename,
}

pub(super) enum ContactF {
    Row(SimpleF<contact::Model>),
    /// `account`: the contact's account (one statement per level).
    Account(Obj<AccountF>, Columns),
    /// `reportsTo`: the manager, a contact of the same account, or `null`.
    ReportsTo(Obj<ContactF>, Columns),
    /// `relationshipOwner`: a user, or `null`.
    RelationshipOwner(UserSel),
    /// `directReports`: the contacts who report to this one, in name order.
    DirectReports(Obj<ContactF>, Columns),
    /// Any other relation of `rels.rs` (e.g. `preferredColleagues`).
    Rel(simple::RelF<contact::Model>),
}

pub(super) enum PlanF {
    Row(SimpleF<account_plan::Model>),
    Owner(UserSel),
    /// `account`: the plan's account (one statement per level).
    Account(Obj<AccountF>, Columns),
    Objectives(Obj<ObjectiveF>, Columns),
    /// `growthTargets`, `reviews`, `contingencies`: lists of simple objects.
    Children(Box<dyn Children>),
}

pub(super) enum ObjectiveF {
    Row(SimpleF<objective::Model>),
    Owner(UserSel),
    /// `plan`: the objective's plan (one statement per level).
    Plan(Obj<PlanF>),
    /// `progress`.
    Children(Box<dyn Children>),
    /// Any other relation of `rels.rs` (e.g. `successCriterion`).
    Rel(simple::RelF<objective::Model>),
}

pub(super) enum RootF {
    Typename,
    Account {
        id: Arg,
        sel: Obj<AccountF>,
        columns: Columns,
    },
    /// `accounts`, or (`mine`) `viewer.accounts`: those on the caller's teams.
    Accounts {
        page: Box<PageSpec>,
        order_by: Arg,
        filter: Arg,
        mine: bool,
        conn: Conn<AccountF>,
        columns: Columns,
    },
    Contact {
        id: Arg,
        sel: Obj<ContactF>,
        columns: Columns,
    },
    /// The tenant's users, by e-mail.
    Users {
        page: Box<PageSpec>,
        conn: Conn<Leaf<user::Model>>,
    },
    /// The tenant's plans, newest period first.
    Plans {
        page: Box<PageSpec>,
        filter: Arg,
        conn: Conn<PlanF>,
    },
    /// `viewer`: the signed-in user and their tenant.
    Viewer(Obj<ViewerF>),
    /// `overdueActions`: the tenant's overdue occurrences, oldest first.
    Overdue {
        page: Box<PageSpec>,
        conn: Conn<OccurrenceF>,
    },
    /// `node(id:)`: the selection as it applies to each type the compiled
    /// path reads; the id's kind picks one when the request runs.
    Node {
        id: Arg,
        account: (Obj<AccountF>, Columns),
        contact: (Obj<ContactF>, Columns),
        /// Kinds whose selection may not compile: such an id gives way
        /// when the request runs.
        plan: Option<Obj<PlanF>>,
        user: Option<Obj<Leaf<user::Model>>>,
        /// The kinds computed from their row alone (`nodes`).
        others: Vec<(Kind, Box<dyn NodeOf>)>,
        /// An occurrence (an item and a day).
        occurrence: Option<Obj<OccurrenceF>>,
    },
    /// `products(includeInactive:)`: the catalogue.
    Products {
        include_inactive: Arg,
        obj: simple::SObj<persistence::entity::product::Model>,
    },
    /// `portfolio`: the revenue ranking's summary.
    Portfolio(simple::SObj<crate::graphql::fields::Portfolio>),
    /// `alerts(filter:, first:, ...)`: the tenant's jeopardy alerts, the
    /// arguments resolved as the resolver does.
    Alerts {
        filter: Box<persistence::repo::alerts::AlertFilter>,
        args: Box<persistence::repo::page::PageArgs>,
        conn: super::sconn::SConn<persistence::entity::jeopardy_alert::Model>,
    },
    /// `upcomingRenewals(withinDays:)`: the tenant's undecided renewals.
    Renewals {
        within_days: Arg,
        page: Box<PageSpec>,
        conn: super::sconn::SConn<persistence::entity::contract::Model>,
    },
    /// `plan(id:)`, `user(id:)`, `actionItem(id:)`: one kind by id (`nodes`).
    ById {
        kind: Kind,
        id: Arg,
        node: Box<dyn NodeOf>,
    },
}

pub(super) enum ViewerF {
    Typename,
    /// Always read: a user who no longer exists is an error.
    User(Obj<Leaf<user::Model>>),
    Tenant(simple::SObj<tenant::Model>),
    /// `agenda(from:, to:)`: the caller's occurrences in the window.
    Agenda {
        from: Arg,
        to: Arg,
        obj: Obj<OccurrenceF>,
    },
    /// `accounts`: a `RootF::Accounts` with `mine`.
    Accounts(Box<RootF>),
}

/// A compiled query.
pub struct Plan {
    /// The size of the last response, to allocate the next one at once.
    pub(super) size_hint: std::sync::atomic::AtomicUsize,
    pub(super) variables: Vec<(Name, Option<ConstValue>)>,
    pub(super) root: Obj<RootF>,
    /// The operation's complexity as async-graphql computes it (every field
    /// as written, fragments inlined, skipped ones included).
    pub(super) cost: Vec<Cost>,
}

/// Why a document has no plan.
#[derive(Debug, PartialEq, Eq)]
pub enum NotCompiled {
    /// It selects something the compiled path does not read.
    Unsupported,
    /// An `@include`/`@skip` depends on a variable: compile it per request,
    /// with the request's variables.
    PerRequest,
}

/// What compiling needs besides a selection: the document's fragments and,
/// for a plan made for one request, its variables (for `@include`/`@skip`).
pub(super) struct Cc<'a> {
    doc: &'a ExecutableDocument,
    vars: Option<&'a Variables>,
    /// A directive's condition was a variable and there were no variables.
    per_request: Cell<bool>,
}

/// The fields selected under one response key: one or more field nodes
/// (GraphQL merges a key selected twice, through fragments or not; validation
/// has checked that they are the same field with the same arguments).
pub(super) type Fs<'a> = Vec<&'a Field>;

/// Merged selection sets: those of every field node of one response key.
pub(super) type Sets<'a> = [&'a SelectionSet];

/// Compiles the operation `operation_name` of `doc`. Without `variables`
/// a plan serves every request of the document; a document whose
/// `@include`/`@skip` conditions are variables needs them (`PerRequest`).
pub fn compile(
    doc: &ExecutableDocument,
    operation_name: Option<&str>,
    variables: Option<&Variables>,
) -> Result<Plan, NotCompiled> {
    let cc = Cc {
        doc,
        vars: variables,
        per_request: Cell::new(false),
    };
    cc.plan(operation_name).ok_or(if cc.per_request.get() {
        NotCompiled::PerRequest
    } else {
        NotCompiled::Unsupported
    })
}

impl<'d> Cc<'d> {
    fn plan(&self, operation_name: Option<&str>) -> Option<Plan> {
        let doc = self.doc;
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
        for (key, f) in self.fields(&[&op.selection_set.node], "Query")? {
            let field = match name(&f) {
                "__typename" if leaf(&f) => RootF::Typename,
                "account" => {
                    let (sel, columns) = account_obj(self, &sub(&f)?)?;
                    RootF::Account {
                        id: only_args(&f, &["id"])?.remove(0),
                        sel,
                        columns,
                    }
                }
                "contact" => {
                    let (sel, columns) = contact_obj(self, &sub(&f)?)?;
                    RootF::Contact {
                        id: only_args(&f, &["id"])?.remove(0),
                        sel,
                        columns,
                    }
                }
                "plan" | "user" | "actionItem" | "contract" => {
                    let kind = match name(&f) {
                        "plan" => Kind::Plan,
                        "user" => Kind::User,
                        "contract" => Kind::Contract,
                        _ => Kind::ActionItem,
                    };
                    RootF::ById {
                        kind,
                        id: only_args(&f, &["id"])?.remove(0),
                        node: super::nodes::of_kind(self, &sub(&f)?, kind)?,
                    }
                }
                "products" => RootF::Products {
                    include_inactive: only_args(&f, &["includeInactive"])?.remove(0),
                    obj: simple::object(self, &sub(&f)?, &super::rels::PRODUCT)?,
                },
                "users" => {
                    let a = only_args(&f, &["first", "after", "last", "before"])?;
                    let (conn, _) = conn(self, &sub(&f)?, "User", user_obj)?;
                    RootF::Users {
                        page: Box::new(page_spec(a)?),
                        conn,
                    }
                }
                "overdueActions" => {
                    let a = only_args(&f, &["first", "after", "last", "before"])?;
                    let (conn, _) = conn(self, &sub(&f)?, "Occurrence", super::overdue::object)?;
                    RootF::Overdue {
                        page: Box::new(page_spec(a)?),
                        conn,
                    }
                }
                "plans" => {
                    let mut a = only_args(&f, &["first", "after", "last", "before", "filter"])?;
                    let filter = a.pop()?;
                    let (conn, _) = conn(self, &sub(&f)?, "Plan", plan_obj)?;
                    RootF::Plans {
                        page: Box::new(page_spec(a)?),
                        filter,
                        conn,
                    }
                }
                "viewer" if no_args(&f) => {
                    let mut sel = Vec::new();
                    for (key, v) in self.fields(&sub(&f)?, "Viewer")? {
                        sel.push((
                            key,
                            match name(&v) {
                                "__typename" if leaf(&v) => ViewerF::Typename,
                                "user" => ViewerF::User(simple::leaves(
                                    self,
                                    &v,
                                    "User",
                                    fields::user::leaf_of,
                                )?),
                                "tenant" if no_args(&v) => ViewerF::Tenant(simple::object(
                                    self,
                                    &sub(&v)?,
                                    &super::rels::TENANT,
                                )?),
                                "agenda" => {
                                    let mut a = only_args(&v, &["from", "to"])?;
                                    let to = a.pop()?;
                                    let from = a.pop()?;
                                    let (obj, _) = super::overdue::object(self, &sub(&v)?)?;
                                    ViewerF::Agenda { from, to, obj }
                                }
                                "accounts" => {
                                    ViewerF::Accounts(Box::new(accounts_field(self, &v, true)?))
                                }
                                _ => return None,
                            },
                        ));
                    }
                    RootF::Viewer(sel)
                }
                "node" => {
                    let sets = sub(&f)?;
                    RootF::Node {
                        id: only_args(&f, &["id"])?.remove(0),
                        account: account_obj(self, &sets)?,
                        contact: contact_obj(self, &sets)?,
                        plan: plan_obj(self, &sets).map(|(o, _)| o),
                        user: user_obj(self, &sets).map(|(o, _)| o),
                        others: super::nodes::compile(self, &sets),
                        occurrence: super::overdue::object(self, &sets).map(|(o, _)| o),
                    }
                }
                "accounts" => accounts_field(self, &f, false)?,
                "portfolio" if no_args(&f) => {
                    RootF::Portfolio(simple::object(self, &sub(&f)?, &super::rels::PORTFOLIO)?)
                }
                "alerts" => {
                    let filter = self.arg_or_absent(&f, "filter")?;
                    let first = self.arg_or_absent(&f, "first")?;
                    let after = self.arg_or_absent(&f, "after")?;
                    let last = self.arg_or_absent(&f, "last")?;
                    let before = self.arg_or_absent(&f, "before")?;
                    let (filter, args) =
                        crate::graphql::alerts::list_args(filter, (first, after, last, before))
                            .ok()?;
                    RootF::Alerts {
                        filter: Box::new(filter),
                        args: Box::new(args),
                        conn: super::sconn::compile(
                            self,
                            &sub(&f)?,
                            &super::rels::ALERT,
                            ("JeopardyAlertConnection", "JeopardyAlertEdge"),
                        )?,
                    }
                }
                "upcomingRenewals" => {
                    let mut a = only_args(&f, &["withinDays", "first", "after", "last", "before"])?;
                    let within_days = a.remove(0);
                    RootF::Renewals {
                        within_days,
                        page: Box::new(page_spec(a)?),
                        conn: super::sconn::compile(
                            self,
                            &sub(&f)?,
                            &super::rels::CONTRACT,
                            ("ContractConnection", "ContractEdge"),
                        )?,
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
            cost: cost_of(doc, &op.selection_set.node)?,
        })
    }

    /// Argument `name` of field `f`, when it is known at compile time: a
    /// literal, or a variable of the request (a plan made without variables
    /// becomes per request, as for `@include` with a variable). `None` for a
    /// value that does not parse (async-graphql answers such requests).
    pub(super) fn arg_now<T: InputType>(&self, f: &Fs<'d>, name: &str) -> Option<T> {
        let value = f[0].get_argument(name).map(|v| v.node.clone());
        let value = match value {
            None => None,
            Some(v) => Some(
                v.into_const_with(|n| match self.vars {
                    None => {
                        self.per_request.set(true);
                        Err(())
                    }
                    Some(vars) => vars.get(&n).cloned().ok_or(()),
                })
                .ok()?,
            ),
        };
        T::parse(value).ok()
    }

    /// As [`Self::arg_now`], but a variable the request left out counts as
    /// the argument left out (GraphQL's CoerceArgumentValues), for
    /// arguments without a default in the schema.
    pub(super) fn arg_or_absent<T: InputType>(&self, f: &Fs<'d>, name: &str) -> Option<T> {
        if let (Some(vars), Some(v)) = (self.vars, f[0].get_argument(name))
            && let Value::Variable(n) = &v.node
            && !vars.contains_key(n)
        {
            return T::parse(None).ok();
        }
        self.arg_now(f, name)
    }

    /// Whether a selection is left out: `@skip(if: true)`, `@include(if:
    /// false)`, evaluated as async-graphql does (an absent variable counts
    /// as `false`; the handler has filled in declared defaults). `None` for
    /// any other directive, or a variable condition without variables.
    fn skipped(&self, directives: &[Positioned<Directive>]) -> Option<bool> {
        for d in directives {
            let include = match d.node.name.node.as_str() {
                "skip" => false,
                "include" => true,
                _ => return None,
            };
            let Some(cond) = d.node.get_argument("if") else {
                continue;
            };
            let value = match &cond.node {
                Value::Boolean(b) => *b,
                Value::Variable(name) => {
                    let Some(vars) = self.vars else {
                        self.per_request.set(true);
                        return None;
                    };
                    vars.get(name)
                        .and_then(|v| bool::parse(Some(v.clone())).ok())
                        .unwrap_or(false)
                }
                _ => return None,
            };
            if include != value {
                return Some(true);
            }
        }
        Some(false)
    }

    /// The fields of merged selection sets on the object type `ty`, by
    /// response key in first-seen order (GraphQL's CollectFields): fragment
    /// spreads and inline fragments whose type condition applies to `ty`
    /// are expanded, skipped selections left out.
    pub(super) fn fields(&self, sets: &Sets<'d>, ty: &str) -> Option<Vec<(Key, Fs<'d>)>> {
        let mut out: Vec<(&'d str, Fs<'d>)> = Vec::new();
        for set in sets {
            self.collect(set, ty, &mut out)?;
        }
        Some(out.into_iter().map(|(k, f)| (Key::new(k), f)).collect())
    }

    fn collect(
        &self,
        set: &'d SelectionSet,
        ty: &str,
        out: &mut Vec<(&'d str, Fs<'d>)>,
    ) -> Option<()> {
        for item in &set.items {
            if self.skipped(item.node.directives())? {
                continue;
            }
            match &item.node {
                Selection::Field(f) => {
                    let f = &f.node;
                    let key = f.response_key().node.as_str();
                    match out.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, fs)) => fs.push(f),
                        None => out.push((key, vec![f])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    let frag = self.doc.fragments.get(&spread.node.fragment_name.node)?;
                    if applies(ty, frag.node.type_condition.node.on.node.as_str()) {
                        self.collect(&frag.node.selection_set.node, ty, out)?;
                    }
                }
                Selection::InlineFragment(inline) => {
                    let cond = inline.node.type_condition.as_ref();
                    if cond.is_none_or(|c| applies(ty, c.node.on.node.as_str())) {
                        self.collect(&inline.node.selection_set.node, ty, out)?;
                    }
                }
            }
        }
        Some(())
    }
}

/// Whether a fragment on `cond` applies to an object of type `ty`.
fn applies(ty: &str, cond: &str) -> bool {
    ty == cond
        || (cond == "Node"
            && matches!(
                ty,
                "Account"
                    | "Contact"
                    | "User"
                    | "Activity"
                    | "Plan"
                    | "Objective"
                    | "ActionItem"
                    | "Product"
                    | "BusinessUnit"
                    | "WhiteSpaceCell"
                    | "GrowthTarget"
                    | "PlanReview"
                    | "Contingency"
                    | "Assessment"
                    | "Occurrence"
                    | "Tenant"
            ))
}

pub(super) fn name<'a>(f: &Fs<'a>) -> &'a str {
    f[0].name.node.as_str()
}

/// A field without arguments or selection.
pub(super) fn leaf(f: &Fs<'_>) -> bool {
    f[0].arguments.is_empty() && f.iter().all(|f| f.selection_set.node.items.is_empty())
}

/// Whether the field has no arguments.
pub(super) fn no_args(f: &Fs<'_>) -> bool {
    f[0].arguments.is_empty()
}

/// The merged selection of an object field (`None` for a leaf).
pub(super) fn sub<'a>(f: &Fs<'a>) -> Option<Vec<&'a SelectionSet>> {
    let sets: Vec<&SelectionSet> = f
        .iter()
        .map(|f| &f.selection_set.node)
        .filter(|s| !s.items.is_empty())
        .collect();
    (!sets.is_empty()).then_some(sets)
}

/// The field's arguments in the order of `names` (absent ones `None`);
/// `None` when it has any other argument.
pub(super) fn only_args(f: &Fs<'_>, names: &[&str]) -> Option<Vec<Arg>> {
    let mut out: Vec<Arg> = vec![None; names.len()];
    for (name, value) in &f[0].arguments {
        let i = names.iter().position(|n| *n == name.node.as_str())?;
        out[i] = Some(value.node.clone());
    }
    Some(out)
}

pub(super) fn page_spec(mut a: Vec<Arg>) -> Option<PageSpec> {
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

/// `accounts`, or with `mine` the caller's (`viewer.accounts`).
fn accounts_field<'d>(cc: &Cc<'d>, f: &Fs<'d>, mine: bool) -> Option<RootF> {
    let mut a = only_args(
        f,
        &["first", "after", "last", "before", "orderBy", "filter"],
    )?;
    let filter = a.pop()?;
    let order_by = a.pop()?;
    let (conn, columns) = conn(cc, &sub(f)?, "Account", account_obj)?;
    Some(RootF::Accounts {
        page: Box::new(page_spec(a)?),
        order_by,
        filter,
        mine,
        conn,
        columns,
    })
}

/// A connection field's page arguments and selection.
fn paged<'d, F>(
    cc: &Cc<'d>,
    f: &Fs<'d>,
    node_type: &'static str,
    node: ObjFn<F>,
) -> Option<(PageSpec, Conn<F>, Columns)> {
    let a = only_args(f, &["first", "after", "last", "before"])?;
    let (c, columns) = conn(cc, &sub(f)?, node_type, node)?;
    Some((page_spec(a)?, c, columns))
}

/// Compiles the selection on an object type: its fields and the columns
/// they read.
type ObjFn<F> = for<'d> fn(&Cc<'d>, &Sets<'d>) -> Option<(Obj<F>, Columns)>;

fn typename_of(node_type: &'static str, suffix: &str) -> &'static str {
    match (node_type, suffix) {
        ("Account", "Connection") => "AccountConnection",
        ("Account", _) => "AccountEdge",
        ("Contact", "Connection") => "ContactConnection",
        ("Contact", _) => "ContactEdge",
        ("Plan", "Connection") => "PlanConnection",
        ("Plan", _) => "PlanEdge",
        ("User", "Connection") => "UserConnection",
        ("Activity", "Connection") => "ActivityConnection",
        ("Activity", _) => "ActivityEdge",
        ("Occurrence", "Connection") => "OccurrenceConnection",
        ("Occurrence", _) => "OccurrenceEdge",
        _ => "UserEdge",
    }
}

fn conn<'d, F>(
    cc: &Cc<'d>,
    sets: &Sets<'d>,
    node_type: &'static str,
    node: ObjFn<F>,
) -> Option<(Conn<F>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    let mut node = |sets: &Sets<'d>| {
        let (obj, c) = node(cc, sets)?;
        columns = columns.union(c);
        Some(obj)
    };
    let conn_type = typename_of(node_type, "Connection");
    let edge_type = typename_of(node_type, "Edge");
    for (key, f) in cc.fields(sets, conn_type)? {
        let field = match name(&f) {
            "__typename" if leaf(&f) => ConnF::Typename(conn_type),
            "totalCount" if leaf(&f) => ConnF::TotalCount,
            "pageInfo" if no_args(&f) => ConnF::PageInfo(page_info(cc, &sub(&f)?)?),
            "nodes" if no_args(&f) => ConnF::Nodes(node(&sub(&f)?)?),
            "edges" if no_args(&f) => {
                let mut edge = Vec::new();
                for (key, e) in cc.fields(&sub(&f)?, edge_type)? {
                    let ef = match name(&e) {
                        "__typename" if leaf(&e) => EdgeF::Typename(edge_type),
                        "cursor" if leaf(&e) => EdgeF::Cursor,
                        "node" if no_args(&e) => EdgeF::Node(node(&sub(&e)?)?),
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

pub(super) fn page_info<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<Obj<PageInfoF>> {
    let mut out = Vec::new();
    for (key, f) in cc.fields(sets, "PageInfo")? {
        if !leaf(&f) {
            return None;
        }
        let field = match name(&f) {
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

/// A user in a list: leaves only (full rows are read).
fn user_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<Leaf<user::Model>>, Columns)> {
    let mut out = Vec::new();
    for (key, f) in cc.fields(sets, "User")? {
        if !leaf(&f) {
            return None;
        }
        out.push((key, fields::user::leaf_of(name(&f))?));
    }
    Some((out, Columns::default()))
}

fn user_sel<'d>(cc: &Cc<'d>, field: &Fs<'d>) -> Option<UserSel> {
    if !no_args(field) {
        return None;
    }
    let mut refs = Vec::new();
    for (key, f) in cc.fields(&sub(field)?, "User")? {
        match name(&f) {
            "id" if leaf(&f) => refs.push((key, RefLeaf::Id)),
            "__typename" if leaf(&f) => refs.push((key, RefLeaf::Typename)),
            _ => {
                return Some(UserSel::Row(simple::leaves(
                    cc,
                    field,
                    "User",
                    fields::user::leaf_of,
                )?));
            }
        }
    }
    Some(UserSel::Ref(refs))
}

fn account_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<AccountF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in cc.fields(sets, "Account")? {
        let name = name(&f);
        let field = if let Some(s) = simple::field(cc, &f, &ACCOUNT) {
            AccountF::Row(s)
        } else {
            match name {
                "owner" => AccountF::Owner(user_sel(cc, &f)?),
                "contacts" => {
                    let (p, c, cols) = paged(cc, &f, "Contact", contact_obj)?;
                    AccountF::Contacts(p, c, cols)
                }
                "plans" => {
                    let (p, c, cols) = paged(cc, &f, "Plan", plan_obj)?;
                    AccountF::Plans(p, c, cols)
                }
                "activities" => match paged(cc, &f, "Activity", activity_obj) {
                    Some((p, c, cols)) => AccountF::Activities(p, c, cols),
                    // A filter: the list through `rels.rs`.
                    None => AccountF::Rel(simple::relation(cc, &f, &ACCOUNT)?),
                },
                "whiteSpace" => AccountF::WhiteSpace(super::whitespace::compile(cc, &f)?),
                "children" => {
                    let (p, c, cols) = paged(cc, &f, "Account", account_obj)?;
                    AccountF::Children(p, c, cols)
                }
                _ => AccountF::Rel(simple::relation(cc, &f, &ACCOUNT)?),
            }
        };
        columns = columns.union(columns_of::<account::Model>(
            name,
            fields::account::columns_of,
        ));
        out.push((key, field));
    }
    Some((out, columns))
}

fn contact_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<ContactF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in cc.fields(sets, "Contact")? {
        let name = name(&f);
        let field = if let Some(s) = simple::field(cc, &f, &CONTACT) {
            ContactF::Row(s)
        } else {
            match name {
                "relationshipOwner" => ContactF::RelationshipOwner(user_sel(cc, &f)?),
                "account" if no_args(&f) => {
                    let (o, cols) = account_obj(cc, &sub(&f)?)?;
                    ContactF::Account(o, cols)
                }
                "reportsTo" if no_args(&f) => {
                    let (o, cols) = contact_obj(cc, &sub(&f)?)?;
                    ContactF::ReportsTo(o, cols)
                }
                "directReports" if no_args(&f) => {
                    let (o, cols) = contact_obj(cc, &sub(&f)?)?;
                    ContactF::DirectReports(o, cols)
                }
                _ => ContactF::Rel(simple::relation(cc, &f, &CONTACT)?),
            }
        };
        columns = columns.union(columns_of::<contact::Model>(
            name,
            fields::contact::columns_of,
        ));
        out.push((key, field));
    }
    Some((out, columns))
}

/// A list relation of `t`'s type (`rels.rs`), compiled.
fn many<'d, M>(cc: &Cc<'d>, f: &Fs<'d>, t: &Table<M>) -> Option<Box<dyn Children>> {
    let rel = (t.rel)(name(f))?;
    match (rel.to, rel.kids) {
        (To::Many, Kids::ByKey(c)) => c(cc, f),
        _ => None,
    }
}

fn plan_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<PlanF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in cc.fields(sets, "Plan")? {
        let name = name(&f);
        let field = if let Some(s) = simple::field(cc, &f, &PLAN) {
            PlanF::Row(s)
        } else {
            match name {
                "owner" => PlanF::Owner(user_sel(cc, &f)?),
                "account" if no_args(&f) => {
                    let (o, cols) = account_obj(cc, &sub(&f)?)?;
                    PlanF::Account(o, cols)
                }
                "objectives" if no_args(&f) => {
                    let (o, cols) = objective_obj(cc, &sub(&f)?)?;
                    PlanF::Objectives(o, cols)
                }
                // The lists of `rels.rs` (growth targets, growth, reviews,
                // contingencies, action items).
                _ => PlanF::Children(many(cc, &f, &PLAN)?),
            }
        };
        columns = columns.union(columns_of::<account_plan::Model>(
            name,
            fields::plan::columns_of,
        ));
        out.push((key, field));
    }
    Some((out, columns))
}

fn activity_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<ActivityF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in cc.fields(sets, "Activity")? {
        let name = name(&f);
        let field = if let Some(s) = simple::field(cc, &f, &ACTIVITY) {
            ActivityF::Row(s)
        } else {
            match name {
                "loggedBy" => ActivityF::LoggedBy(user_sel(cc, &f)?),
                "account" if no_args(&f) => {
                    let (o, cols) = account_obj(cc, &sub(&f)?)?;
                    ActivityF::Account(o, cols)
                }
                "contacts" if no_args(&f) => {
                    let (o, cols) = contact_obj(cc, &sub(&f)?)?;
                    ActivityF::Contacts(o, cols.union(Columns::of::<contact::Model>(&["name_key"])))
                }
                _ => ActivityF::Rel(simple::relation(cc, &f, &ACTIVITY)?),
            }
        };
        columns = columns.union(columns_of::<activity::Model>(
            name,
            fields::activity::columns_of,
        ));
        out.push((key, field));
    }
    Some((out, columns))
}

fn objective_obj<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<ObjectiveF>, Columns)> {
    let mut out = Vec::new();
    let mut columns = Columns::default();
    for (key, f) in cc.fields(sets, "Objective")? {
        let name = name(&f);
        let field = if let Some(s) = simple::field(cc, &f, &OBJECTIVE) {
            ObjectiveF::Row(s)
        } else {
            match name {
                "owner" => ObjectiveF::Owner(user_sel(cc, &f)?),
                "plan" if no_args(&f) => ObjectiveF::Plan(plan_obj(cc, &sub(&f)?)?.0),
                _ => match many(cc, &f, &OBJECTIVE) {
                    Some(c) => ObjectiveF::Children(c),
                    None => ObjectiveF::Rel(simple::relation(cc, &f, &OBJECTIVE)?),
                },
            }
        };
        columns = columns.union(columns_of::<objective::Model>(
            name,
            fields::objective::columns_of,
        ));
        out.push((key, field));
    }
    Some((out, columns))
}

/// The columns a field of `M` reads: its own (camelCase to snake_case) or,
/// for derived fields and relations, those they are computed from.
fn columns_of<M: Partial>(
    field: &str,
    table: fn(&str) -> Option<&'static [&'static str]>,
) -> Columns {
    if let Some(fixed) = table(field) {
        return Columns::of::<M>(fixed);
    }
    let fixed: &[&str] = match field {
        "__typename" => &[],
        "owner" => &["owner_id"],
        "parent" => &["parent_id"],
        "account" => &["account_id"],
        "plan" => &["plan_id"],
        "reportsTo" => &["reports_to_id"],
        "relationshipOwner" => &["relationship_owner_id"],
        "successCriterion" => &["success_criterion_id"],
        "contacts"
        | "plans"
        | "objectives"
        | "activities"
        | "directReports"
        | "whiteSpace"
        | "growthTargets"
        | "growth"
        | "reviews"
        | "contingencies"
        | "progress"
        | "actionItems"
        | "team"
        | "children"
        | "ancestors"
        | "subtreeRevenue"
        | "contracts"
        | "opportunities"
        | "pipeline"
        | "coverage"
        | "contactMap"
        | "revenueRank"
        | "isTopTwentyPercent"
        | "revenueRanking"
        | "profile"
        | "goals"
        | "industryTrends"
        | "needs"
        | "swot"
        | "financials"
        | "trajectory"
        | "competitors"
        | "successCriteria"
        | "valueChain"
        | "preferredColleagues"
        | "signals"
        | "alerts"
        | "healthHistory"
        | "roti"
        | "participants" => &["id"],
        "actionItem" => &["action_item_id"],
        "health" => &["id"],
        "share" => &[
            "id",
            "annual_revenue_minor",
            "annual_revenue_currency",
            "wallet_estimate_minor",
            "wallet_estimate_currency",
        ],
        "loggedBy" => &["created_by"],
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
