//! Running a [`Plan`]: resolve arguments, check the complexity limit, fetch
//! each level in one statement per relation, then write the JSON
//! (`render`).

use super::compile::{
    AccountF, ActivityF, Arg, Conn, ConnF, ContactF, EdgeF, Obj, ObjectiveF, PageSpec, Plan, PlanF,
    RootF, UserSel, ViewerF,
};
use super::cost::{Cost, Mul};
use super::overdue::OccurrenceF;
use super::render;
use super::simple::Rendered;
use super::whitespace::{self, WhiteSpaceGot};
use crate::graphql::common::enums::AccountOrderBy;
use crate::graphql::common::filters::{
    ACTIVITY_ORDER, AccountFilter, CHILD_ACCOUNT_ORDER, CONTACT_ORDER, OVERDUE_ORDER, PLAN_ORDER,
    PlanFilter, RENEWAL_ORDER, USER_ORDER, check_activity_cursors, check_cursor_dates,
    my_accounts_filter, repo_filter, repo_plan_filter, wants_today,
};
use crate::graphql::common::ids::{Kind, decode, decode_any};
use crate::graphql::common::pagination::page_args;
use crate::services::actions as svc;
use async_graphql::InputType;
use async_graphql::Variables;
use async_graphql_value::{ConstValue, Name, Value};
use domain::{Action, Principal, Record, TenantId, authorize};
use futures::future::{BoxFuture, try_join_all};
use persistence::Db;
use persistence::entity::{account, account_plan, activity, contact, tenant, user};
use persistence::repo::page::{Page, PageArgs};
use persistence::repo::partial::Part;
use persistence::repo::users::UserJoins;
use persistence::repo::{accounts, activities, contacts, hierarchy, plans, users};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Give up on the compiled path: async-graphql runs the request instead.
pub struct Bail;

impl From<persistence::StoreError> for Bail {
    fn from(_: persistence::StoreError) -> Self {
        Bail
    }
}

pub(super) type R<T> = Result<T, Bail>;

/// Runs `plan`. `None` means "not here": the caller executes the request
/// with async-graphql, which then produces the errors, if any.
pub async fn execute(
    plan: &Plan,
    variables: &Variables,
    principal: &Principal,
    db: &Db,
    max_complexity: usize,
) -> Option<Vec<u8>> {
    authorize(principal, Action::Read, Record::Tenant).ok()?;
    let cx = Cx {
        db,
        principal,
        tenant: principal.tenant_id,
        user: principal.user_id.0,
        plan,
        variables,
        joined_users: std::sync::Mutex::default(),
        memo: super::simple::Memo::default(),
        turn: tokio::sync::Mutex::new(()),
    };
    if cx.complexity().ok()? > max_complexity {
        return None;
    }
    let mut got = Vec::with_capacity(plan.root.len());
    for (_, f) in &plan.root {
        got.push(cx.fetch_root(f).await.ok()?);
    }
    let hint = &plan.size_hint;
    let mut o = Vec::with_capacity(hint.load(std::sync::atomic::Ordering::Relaxed));
    o.extend_from_slice(b"{\"data\":{");
    if render::write_root(&mut o, &plan.root, &got).is_err() {
        return None;
    }
    o.extend_from_slice(b"}}");
    // Room for a slightly larger page next time (bounded: a hint, not a cache).
    let next = (o.len() + o.len() / 8).min(8 << 20);
    hint.store(next, std::sync::atomic::Ordering::Relaxed);
    Some(o)
}

struct Cx<'a> {
    db: &'a Db,
    principal: &'a Principal,
    tenant: TenantId,
    /// The caller (`viewer`).
    user: Uuid,
    plan: &'a Plan,
    variables: &'a Variables,
    /// Users read in the statement of the rows that point at them (owners,
    /// `loggedBy`), for the user fields of this request: a user field whose
    /// users are all here costs no statement.
    joined_users: std::sync::Mutex<HashMap<Uuid, user::Model>>,
    /// What the batch reads of relations found (`simple::Memo`), and the
    /// turn the executor's reads through it take, one after the other.
    memo: super::simple::Memo,
    turn: tokio::sync::Mutex<()>,
}

/// What was fetched for one field of an object, for all rows of its level.
/// Rows come shared: identical reads of concurrent requests are fetched
/// and decoded once (`Db::query_shared`).
pub(super) enum Got {
    None,
    Users(Arc<HashMap<Uuid, user::Model>>),
    /// A user field that needs only the id (`UserSel::fetch` false).
    UserRefs,
    Contacts(Arc<HashMap<Uuid, Page<Part<contact::Model>>>>, Vec<ConnGot>),
    Plans(
        Arc<HashMap<Uuid, Page<Part<account_plan::Model>>>>,
        Vec<ConnGot>,
    ),
    Objectives(Arc<plans::ObjectivesOfPlans>, Vec<Got>),
    Activities(
        Arc<HashMap<Uuid, Page<Part<activity::Model>>>>,
        Vec<ConnGot>,
    ),
    /// Pages of subsidiaries per account.
    Children(Arc<HashMap<Uuid, Page<Part<account::Model>>>>, Vec<ConnGot>),
    /// An activity's contacts: their ids per activity and the rows.
    ActivityContacts(
        HashMap<Uuid, Vec<Uuid>>,
        HashMap<Uuid, Part<contact::Model>>,
        Vec<Got>,
    ),
    /// Contacts by the contact they report to, in name order.
    Reports(HashMap<Uuid, Vec<Part<contact::Model>>>, Vec<Got>),
    /// Rows of a to-one field by id, with what their own fields need.
    Accounts(HashMap<Uuid, Part<account::Model>>, Vec<Got>),
    ContactsById(HashMap<Uuid, Part<contact::Model>>, Vec<Got>),
    PlansById(HashMap<Uuid, account_plan::Model>, Vec<Got>),
    /// Lists of simple objects, written per parent.
    Rendered(Rendered),
    /// The relations of simple objects.
    Simple(super::simple::Got),
    WhiteSpace(Box<WhiteSpaceGot>),
}

/// What was fetched for one field of a connection.
pub(super) enum ConnGot {
    None,
    /// `totalCount` by parent (the root list under `Uuid::nil()`).
    Count(Arc<HashMap<Uuid, i64>>),
    Nodes(Vec<Got>),
    /// Per edge field: what `node` needs (empty for the others).
    Edges(Vec<Vec<Got>>),
}

/// What `viewer` needs: the user, the tenant when selected, and per
/// selected field the agenda (`None` for the other fields).
pub(super) struct ViewerGot {
    pub user: user::Model,
    pub tenant: Option<tenant::Model>,
    /// What each field of the selection fetched (by index).
    pub parts: Vec<ViewerPart>,
}

/// What a field of `viewer` fetched beyond the user and the tenant.
pub(super) enum ViewerPart {
    None,
    Agenda(Vec<svc::Occurrence>, Vec<Got>),
    Accounts(RootGot),
    Tenant(super::simple::Got),
}

pub(super) enum RootGot {
    None,
    /// A page of alerts and what their selection fetched.
    Alerts(
        Page<persistence::entity::jeopardy_alert::Model>,
        super::sconn::SConnGot,
    ),
    /// A page of upcoming renewals and what their selection fetched.
    Renewals(
        Page<persistence::entity::contract::Model>,
        super::sconn::SConnGot,
    ),
    Viewer(Box<ViewerGot>),
    /// The catalogue's products listed, with their relations.
    Products(Vec<persistence::entity::product::Model>, super::simple::Got),
    Portfolio(Box<crate::graphql::fields::Portfolio>, super::simple::Got),
    Account(Box<Part<account::Model>>, Vec<Got>),
    Contact(Box<Part<contact::Model>>, Vec<Got>),
    Accounts(
        Arc<Page<Part<account::Model>>>,
        Vec<ConnGot>,
        AccountOrderBy,
    ),
    Plans(Page<account_plan::Model>, Vec<ConnGot>),
    Users(Page<user::Model>, Vec<ConnGot>),
    Plan(Box<account_plan::Model>, Vec<Got>),
    User(Box<user::Model>),
    Overdue(Page<svc::Occurrence>, Vec<ConnGot>),
    /// A node written while fetched (`nodes`).
    Rendered(Vec<u8>),
}

impl Cx<'_> {
    fn variable(&self, name: &Name) -> Option<ConstValue> {
        match self.variables.get(name) {
            Some(v) => Some(v.clone()),
            None => self
                .plan
                .variables
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, d)| d.clone()),
        }
    }

    /// An argument coerced as async-graphql coerces it (literal, variable or
    /// variable default; absent is `None`, as for a resolver's `Option`).
    fn parse<T: InputType>(&self, a: &Arg) -> R<T> {
        let value = match a {
            None => None,
            Some(Value::Variable(name)) => self.variable(name),
            Some(v) => Some(
                v.clone()
                    .into_const_with(|name| self.variable(&name).ok_or(()))
                    .map_err(|()| Bail)?,
            ),
        };
        T::parse(value).map_err(|_| Bail)
    }

    fn int(&self, a: &Arg) -> R<Option<i32>> {
        self.parse(a)
    }

    fn string(&self, a: &Arg) -> R<Option<String>> {
        self.parse(a)
    }

    fn page(&self, p: &PageSpec, order: &str) -> R<PageArgs> {
        let (after, before) = (self.string(&p.after)?, self.string(&p.before)?);
        page_args(
            order,
            self.int(&p.first)?,
            after.as_deref(),
            self.int(&p.last)?,
            before.as_deref(),
        )
        .map_err(|_| Bail)
    }

    /// async-graphql's complexity of the operation with these variables
    /// (`fast::cost`).
    fn complexity(&self) -> R<usize> {
        self.cost(&self.plan.cost)
    }

    fn cost(&self, fields: &[Cost]) -> R<usize> {
        let mut c = 0usize;
        for f in fields {
            let kids = self.cost(&f.kids)?;
            c = c.saturating_add(match &f.mul {
                Mul::One => kids.saturating_add(1),
                Mul::List(n) => n.saturating_mul(kids).saturating_add(1),
                Mul::Window { from, to } => {
                    let from: chrono::NaiveDate = self.parse(from)?;
                    let to: chrono::NaiveDate = self.parse(to)?;
                    crate::limits::window_size(from, to)
                        .saturating_mul(kids)
                        .saturating_add(1)
                }
                Mul::Page { first, last } => {
                    let n = self
                        .int(first)?
                        .or(self.int(last)?)
                        .map_or(20, |n| usize::try_from(n.max(0)).unwrap_or(0));
                    n.saturating_mul(kids).saturating_add(1)
                }
            });
        }
        Ok(c)
    }

    /// `viewer.agenda`: the service's occurrences (as for the resolver: the
    /// window checked there, dates in years 1 to 9999 as the argument's
    /// validator requires), with what their items and assessments select.
    async fn agenda(
        &self,
        from: &Arg,
        to: &Arg,
        obj: &Obj<OccurrenceF>,
    ) -> R<(Vec<svc::Occurrence>, Vec<Got>)> {
        let supported = |d: &chrono::NaiveDate| (1..=9999).contains(&chrono::Datelike::year(d));
        let from: chrono::NaiveDate = self.parse(from)?;
        let to: chrono::NaiveDate = self.parse(to)?;
        if !supported(&from) || !supported(&to) {
            return Err(Bail);
        }
        let today = svc::today(self.db.read(), self.tenant)
            .await
            .map_err(|_| Bail)?;
        let rows = svc::agenda(self.db, self.principal, from, to, today)
            .await
            .map_err(|_| Bail)?;
        let refs: Vec<&svc::Occurrence> = rows.iter().collect();
        let turn = self.turn.lock().await;
        let got = super::overdue::fetch(self.rq(), obj, &refs).await?;
        drop(turn);
        drop(refs);
        Ok((rows, got))
    }

    /// What a root connection's selection needs for its page: the count
    /// (read only when `totalCount` is selected) and the nodes' relations.
    async fn root_conn<M: Sync>(
        &self,
        conn: &super::sconn::SConn<M>,
        page: &Page<M>,
        count: impl Future<Output = Result<u64, persistence::StoreError>>,
    ) -> R<super::sconn::SConnGot> {
        let count = if conn.counts() {
            Some(i64::try_from(count.await?).unwrap_or(i64::MAX))
        } else {
            None
        };
        let _turn = self.turn.lock().await;
        let refs: Vec<&M> = page.rows.iter().collect();
        conn.fetch(self.rq(), &refs, count).await
    }

    /// This request's reads for the generic parts (`simple`).
    fn rq(&self) -> super::simple::Rq<'_> {
        super::simple::Rq {
            db: self.db,
            tenant: self.tenant,
            memo: &self.memo,
        }
    }

    /// A node of a kind read through `nodes` (not found: give way).
    async fn render_node(&self, node: &dyn super::nodes::NodeOf, uuid: Uuid) -> R<RootGot> {
        let loaders = crate::loaders::Loaders::new(self.db.clone(), self.tenant);
        let turn = self.turn.lock().await;
        let json = node.render(&loaders, self.rq(), uuid).await?.ok_or(Bail)?;
        drop(turn);
        Ok(RootGot::Rendered(json))
    }

    async fn fetch_root(&self, f: &RootF) -> R<RootGot> {
        match f {
            RootF::Typename => Ok(RootGot::None),
            RootF::Viewer(sel) => {
                let user = users::by_ids_hot(self.db, self.tenant, &[self.user])
                    .await?
                    .get(&self.user)
                    .cloned()
                    .ok_or(Bail)?;
                let tenant = if sel.iter().any(|(_, f)| matches!(f, ViewerF::Tenant(_))) {
                    Some(
                        persistence::repo::tenants::get(self.db.read(), self.tenant)
                            .await?
                            .ok_or(Bail)?,
                    )
                } else {
                    None
                };
                let mut parts = Vec::with_capacity(sel.len());
                for (_, f) in sel {
                    parts.push(match f {
                        ViewerF::Agenda { from, to, obj } => {
                            let (rows, got) = self.agenda(from, to, obj).await?;
                            ViewerPart::Agenda(rows, got)
                        }
                        ViewerF::Accounts(root) => {
                            ViewerPart::Accounts(Box::pin(self.fetch_root(root)).await?)
                        }
                        ViewerF::Tenant(obj) => {
                            let turn = self.turn.lock().await;
                            let got = obj.fetch(self.rq(), tenant.iter()).await?;
                            drop(turn);
                            ViewerPart::Tenant(got)
                        }
                        _ => ViewerPart::None,
                    });
                }
                Ok(RootGot::Viewer(Box::new(ViewerGot {
                    user,
                    tenant,
                    parts,
                })))
            }
            RootF::Alerts { filter, args, conn } => {
                use persistence::repo::alerts;
                let rows = alerts::page(self.db.read(), self.tenant, filter, args).await?;
                let count = alerts::count(self.db.read(), self.tenant, filter);
                let got = self.root_conn(conn, &rows, count).await?;
                Ok(RootGot::Alerts(rows, got))
            }
            RootF::Renewals {
                within_days,
                page,
                conn,
            } => {
                let within: i32 = self.parse(within_days)?;
                let args = self.page(page, RENEWAL_ORDER)?;
                for pos in [&args.after, &args.before].into_iter().flatten() {
                    pos.key.parse::<chrono::NaiveDate>().map_err(|_| Bail)?;
                }
                let today = svc::today(self.db.read(), self.tenant)
                    .await
                    .map_err(|_| Bail)?;
                let window =
                    crate::services::contracts::renewal_window(today, within).map_err(|_| Bail)?;
                let rows = persistence::repo::contracts::upcoming_page(
                    self.db.read(),
                    self.tenant,
                    window,
                    &args,
                )
                .await?;
                let count = persistence::repo::contracts::upcoming_count(
                    self.db.read(),
                    self.tenant,
                    window,
                );
                let got = self.root_conn(conn, &rows, count).await?;
                Ok(RootGot::Renewals(rows, got))
            }
            RootF::Portfolio(obj) => {
                let (row, currency) = crate::services::pareto::portfolio(self.db, self.tenant)
                    .await
                    .map_err(|_| Bail)?;
                let p = crate::graphql::fields::Portfolio { row, currency };
                let turn = self.turn.lock().await;
                let got = obj.fetch(self.rq(), std::iter::once(&p)).await?;
                drop(turn);
                Ok(RootGot::Portfolio(Box::new(p), got))
            }
            RootF::Products {
                include_inactive,
                obj,
            } => {
                let all = self
                    .parse::<Option<bool>>(include_inactive)?
                    .unwrap_or(false);
                let mut rows =
                    persistence::repo::whitespace::products(self.db.read(), self.tenant, true)
                        .await?;
                rows.retain(|p| all || p.active);
                let turn = self.turn.lock().await;
                let got = obj.fetch(self.rq(), rows.iter()).await?;
                drop(turn);
                Ok(RootGot::Products(rows, got))
            }
            RootF::ById { kind, id, node } => {
                let id: async_graphql::ID = self.parse(id)?;
                let uuid = decode(*kind, &id, "id").map_err(|_| Bail)?;
                self.render_node(&**node, uuid).await
            }
            RootF::Account { id, sel, columns } => {
                let id: async_graphql::ID = self.parse(id)?;
                let uuid = decode(Kind::Account, &id, "id").map_err(|_| Bail)?;
                self.account_by_id(uuid, sel, *columns).await
            }
            RootF::Contact { id, sel, columns } => {
                let id: async_graphql::ID = self.parse(id)?;
                let uuid = decode(Kind::Contact, &id, "id").map_err(|_| Bail)?;
                self.contact_by_id(uuid, sel, *columns).await
            }
            RootF::Node {
                id,
                account,
                contact,
                plan,
                user,
                others,
                occurrence,
            } => {
                let id: async_graphql::ID = self.parse(id)?;
                if let Some(key) = crate::graphql::common::ids::decode_occurrence(id.as_str()) {
                    let obj = occurrence.as_ref().ok_or(Bail)?;
                    let loaders = crate::loaders::Loaders::new(self.db.clone(), self.tenant);
                    let _turn = self.turn.lock().await;
                    let json = super::occurrences::node(&loaders, self.rq(), key, obj)
                        .await?
                        .ok_or(Bail)?;
                    return Ok(RootGot::Rendered(json));
                }
                match decode_any(id.as_str()).ok_or(Bail)? {
                    (Kind::Account, uuid) => self.account_by_id(uuid, &account.0, account.1).await,
                    (Kind::Contact, uuid) => self.contact_by_id(uuid, &contact.0, contact.1).await,
                    (Kind::Plan, uuid) => {
                        let sel = plan.as_ref().ok_or(Bail)?;
                        let row = plans::by_ids(self.db.read(), self.tenant, &[uuid])
                            .await?
                            .pop()
                            .ok_or(Bail)?;
                        let got = self.fetch_plans(sel, &[&row]).await?;
                        Ok(RootGot::Plan(Box::new(row), got))
                    }
                    (Kind::User, uuid) => {
                        user.as_ref().ok_or(Bail)?;
                        let row = users::by_ids(self.db.read(), self.tenant, &[uuid])
                            .await?
                            .pop()
                            .ok_or(Bail)?;
                        Ok(RootGot::User(Box::new(row)))
                    }
                    (kind, uuid) => {
                        let (_, node) = others.iter().find(|(k, _)| *k == kind).ok_or(Bail)?;
                        self.render_node(&**node, uuid).await
                    }
                }
            }
            RootF::Users { page, conn } => {
                let args = self.page(page, USER_ORDER)?;
                let rows = users::list(self.db.read(), self.tenant, &args).await?;
                let all: Vec<&user::Model> = rows.rows.iter().collect();
                let counts =
                    async { Ok(root_count(users::count(self.db.read(), self.tenant).await?)) };
                let got = self
                    .fetch_conn(conn, &all, counts, |_, o, _| {
                        let none: Vec<Got> = o.iter().map(|_| Got::None).collect();
                        Box::pin(async { Ok(none) })
                    })
                    .await?;
                drop(all);
                Ok(RootGot::Users(rows, got))
            }
            RootF::Overdue { page, conn } => {
                let args = self.page(page, OVERDUE_ORDER)?;
                let window = svc::OverdueWindow::of(&args).map_err(|_| Bail)?;
                let (db, p) = (self.db, self.principal);
                let today = svc::today(db.read(), self.tenant).await.map_err(|_| Bail)?;
                let (rows, has_previous, has_next) = svc::overdue_page(db, p, window, today)
                    .await
                    .map_err(|_| Bail)?;
                let page = Page {
                    rows,
                    has_next,
                    has_previous,
                };
                let counts = async {
                    let n = svc::overdue_count(db, p, today).await.map_err(|_| Bail)?;
                    Ok(root_count(u64::try_from(n).unwrap_or(u64::MAX)))
                };
                let all: Vec<&svc::Occurrence> = page.rows.iter().collect();
                let got = self
                    .fetch_conn(conn, &all, counts, |cx, o, rows| {
                        Box::pin(async move {
                            let _turn = cx.turn.lock().await;
                            super::overdue::fetch(cx.rq(), o, rows).await
                        })
                    })
                    .await?;
                drop(all);
                Ok(RootGot::Overdue(page, got))
            }
            RootF::Plans { page, filter, conn } => {
                let args = self.page(page, PLAN_ORDER)?;
                check_cursor_dates(&args).map_err(|_| Bail)?;
                let filter: Option<PlanFilter> = self.parse(filter)?;
                let filter = repo_plan_filter(filter).map_err(|_| Bail)?;
                let rows = plans::list(self.db.read(), self.tenant, &filter, &args).await?;
                let all: Vec<&account_plan::Model> = rows.rows.iter().collect();
                let counts = async {
                    Ok(root_count(
                        plans::count(self.db.read(), self.tenant, &filter).await?,
                    ))
                };
                let got = self
                    .fetch_conn(conn, &all, counts, |cx, o, r| {
                        Box::pin(cx.fetch_plans(o, r))
                    })
                    .await?;
                drop(all);
                Ok(RootGot::Plans(rows, got))
            }
            RootF::Accounts {
                page,
                order_by,
                filter,
                mine,
                conn,
                columns,
            } => {
                let order: Option<AccountOrderBy> = self.parse(order_by)?;
                let order = order.unwrap_or_default();
                let args = self.page(page, order.code())?;
                let filter: Option<AccountFilter> = self.parse(filter)?;
                let today = match wants_today(&filter) {
                    true => Some(
                        svc::today(self.db.read(), self.tenant)
                            .await
                            .map_err(|_| Bail)?,
                    ),
                    false => None,
                };
                let filter = if *mine {
                    my_accounts_filter(filter, today, self.user)
                } else {
                    repo_filter(filter, today)
                };
                let filter = filter.map_err(|_| Bail)?;
                let rows = accounts::list_partial(
                    self.db,
                    self.tenant,
                    &filter,
                    order.repo(),
                    &args,
                    *columns,
                )
                .await?;
                let all: Vec<&account::Model> = rows.rows.iter().map(|r| &**r).collect();
                let counts = async {
                    Ok(root_count(
                        accounts::count(self.db.read(), self.tenant, &filter).await?,
                    ))
                };
                let got = self
                    .fetch_conn(conn, &all, counts, |cx, o, r| {
                        Box::pin(cx.fetch_accounts(o, r, None))
                    })
                    .await?;
                drop(all);
                Ok(RootGot::Accounts(rows, got, order))
            }
        }
    }

    /// An account by id with what its fields need. On Postgres the account
    /// and its first `contacts` (or else `activities`, or else `plans`) page
    /// come in one statement (one round trip instead of two), with the
    /// users the account and the page's rows point at: `account(id:)` and
    /// `node(id:)` alike.
    async fn account_by_id(
        &self,
        uuid: Uuid,
        sel: &Obj<AccountF>,
        columns: persistence::repo::partial::Columns,
    ) -> R<RootGot> {
        let (db, t) = (self.db, self.tenant);
        let position = |f: fn(&AccountF) -> bool| {
            sel.iter()
                .position(|(_, x)| f(x))
                .filter(|_| db.is_postgres())
        };
        if let Some(i) = position(|f| matches!(f, AccountF::Contacts(..)))
            && let (_, AccountF::Contacts(p, conn, ccols)) = &sel[i]
        {
            let args = self.page(p, CONTACT_ORDER)?;
            let (row, page) = contacts::account_with_page(db, t, uuid, columns, *ccols, &args)
                .await?
                .ok_or(Bail)?;
            let counts = async { Ok(contacts::counts_by_account(db.read(), t, &[uuid]).await?) };
            let joined = (row, page, HashMap::new());
            return self
                .with_page(sel, i, joined, conn, counts, Got::Contacts, |cx, o, r| {
                    cx.fetch_contacts(o, r)
                })
                .await;
        }
        if let Some(i) = position(|f| matches!(f, AccountF::Activities(..)))
            && let (_, AccountF::Activities(p, conn, cols)) = &sel[i]
        {
            let args = self.page(p, ACTIVITY_ORDER)?;
            check_activity_cursors(&args).map_err(|_| Bail)?;
            let reads = |f: &ActivityF| matches!(f, ActivityF::LoggedBy(UserSel::Row(_)));
            let joins = page_joins(sel, conn, reads, "created_by");
            let users = UserJoins(&joins);
            let joined = activities::account_with_page(db, t, uuid, (columns, *cols), &args, users)
                .await?
                .ok_or(Bail)?;
            let counts = async { Ok(activities::counts_by_account(db.read(), t, &[uuid]).await?) };
            return self
                .with_page(sel, i, joined, conn, counts, Got::Activities, |cx, o, r| {
                    cx.fetch_activities(o, r)
                })
                .await;
        }
        if let Some(i) = position(|f| matches!(f, AccountF::Plans(..)))
            && let (_, AccountF::Plans(p, conn, cols)) = &sel[i]
        {
            let args = self.page(p, PLAN_ORDER)?;
            check_cursor_dates(&args).map_err(|_| Bail)?;
            let reads = |f: &PlanF| matches!(f, PlanF::Owner(UserSel::Row(_)));
            let joins = page_joins(sel, conn, reads, "owner_id");
            let users = UserJoins(&joins);
            let joined = plans::account_with_page(db, t, uuid, (columns, *cols), &args, users)
                .await?
                .ok_or(Bail)?;
            let counts = async { Ok(plans::counts_by_account(db.read(), t, &[uuid]).await?) };
            return self
                .with_page(sel, i, joined, conn, counts, Got::Plans, |cx, o, r| {
                    Box::pin(cx.fetch_plans(o, r))
                })
                .await;
        }
        let row = accounts::by_ids_partial(db, t, &[uuid], columns)
            .await?
            .pop()
            .ok_or(Bail)?;
        let got = self.fetch_accounts(sel, &[&row], None).await?;
        Ok(RootGot::Account(Box::new(row), got))
    }

    /// The rest of [`Self::account_by_id`] once the account, the page of
    /// its field `i` and the joined users are read: what the other fields
    /// and the page's rows need.
    #[allow(clippy::too_many_arguments)]
    async fn with_page<'s, F: Sync, Row: Sync>(
        &'s self,
        sel: &'s Obj<AccountF>,
        i: usize,
        (row, page, found): persistence::repo::page::ParentWithPage<account::Model, Row>,
        conn: &'s Conn<F>,
        counts: impl Future<Output = R<HashMap<Uuid, i64>>>,
        wrap: WrapPage<Row>,
        node: impl for<'x> Fn(&'x Self, &'x Obj<F>, &'x [&'x Row]) -> BoxFuture<'x, R<Vec<Got>>>,
    ) -> R<RootGot> {
        self.joined(found)?;
        let mut got = self.fetch_accounts(sel, &[&row], Some(i)).await?;
        let all: Vec<&Row> = page.rows.iter().map(|r| &**r).collect();
        let pg = self.fetch_conn(conn, &all, counts, node).await?;
        drop(all);
        got[i] = wrap(Arc::new(HashMap::from([(row.id, page)])), pg);
        Ok(RootGot::Account(Box::new(row), got))
    }

    /// A contact by id with what its fields need. On Postgres a selected
    /// `account` comes in the contact's statement (one round trip less):
    /// `contact(id:)` and `node(id:)` alike.
    async fn contact_by_id(
        &self,
        uuid: Uuid,
        sel: &Obj<ContactF>,
        columns: persistence::repo::partial::Columns,
    ) -> R<RootGot> {
        let joined = sel
            .iter()
            .position(|(_, f)| matches!(f, ContactF::Account(..)))
            .filter(|_| self.db.is_postgres());
        if let Some(i) = joined
            && let (_, ContactF::Account(o, acols)) = &sel[i]
        {
            let mut joins = owner_join(o);
            if sel
                .iter()
                .any(|(_, f)| matches!(f, ContactF::RelationshipOwner(UserSel::Row(_))))
            {
                joins.push(("c", "relationship_owner_id"));
            }
            let (row, account, found) = contacts::contact_with_account(
                self.db,
                self.tenant,
                uuid,
                columns,
                *acols,
                UserJoins(&joins),
            )
            .await?
            .ok_or(Bail)?;
            self.joined(found)?;
            let account = account.ok_or(Bail)?;
            let mut got = self.fetch_contacts_but(sel, &[&row], Some(i)).await?;
            let ag = self.fetch_accounts(o, &[&account], None).await?;
            got[i] = Got::Accounts(HashMap::from([(account.id, account)]), ag);
            return Ok(RootGot::Contact(Box::new(row), got));
        }
        // On Postgres a contact's direct reports come in its statement.
        let reports = sel
            .iter()
            .position(|(_, f)| matches!(f, ContactF::DirectReports(..)))
            .filter(|_| self.db.is_postgres());
        if let Some(i) = reports
            && let (_, ContactF::DirectReports(o, rcols)) = &sel[i]
        {
            let mut joins = Vec::new();
            if sel
                .iter()
                .any(|(_, f)| matches!(f, ContactF::RelationshipOwner(UserSel::Row(_))))
            {
                joins.push(("a", "relationship_owner_id"));
            }
            let (row, page, found) = contacts::contact_with_reports(
                self.db,
                self.tenant,
                uuid,
                (columns, *rcols),
                UserJoins(&joins),
            )
            .await?
            .ok_or(Bail)?;
            self.joined(found)?;
            let mut got = self.fetch_contacts_but(sel, &[&row], Some(i)).await?;
            let refs: Vec<&contact::Model> = page.rows.iter().map(|r| &**r).collect();
            let rg = self.fetch_contacts(o, &refs).await?;
            drop(refs);
            got[i] = Got::Reports(HashMap::from([(row.id, page.rows)]), rg);
            return Ok(RootGot::Contact(Box::new(row), got));
        }
        let row = contacts::by_ids_partial(self.db, self.tenant, &[uuid], columns)
            .await?
            .pop()
            .ok_or(Bail)?;
        let got = self.fetch_contacts(sel, &[&row]).await?;
        Ok(RootGot::Contact(Box::new(row), got))
    }

    async fn fetch_conn<'s, F: Sync, Row: Sync>(
        &'s self,
        conn: &'s Conn<F>,
        rows: &'s [&'s Row],
        counts: impl Future<Output = R<HashMap<Uuid, i64>>>,
        node: impl for<'x> Fn(&'x Self, &'x Obj<F>, &'x [&'x Row]) -> BoxFuture<'x, R<Vec<Got>>>,
    ) -> R<Vec<ConnGot>> {
        let counts = if conn.iter().any(|(_, f)| matches!(f, ConnF::TotalCount)) {
            Some(Arc::new(counts.await?))
        } else {
            None
        };
        let mut out = Vec::with_capacity(conn.len());
        for (_, f) in conn {
            out.push(match f {
                ConnF::TotalCount => ConnGot::Count(counts.clone().ok_or(Bail)?),
                ConnF::Nodes(o) => ConnGot::Nodes(node(self, o, rows).await?),
                ConnF::Edges(e) => {
                    let mut per = Vec::with_capacity(e.len());
                    for (_, f) in e {
                        per.push(match f {
                            EdgeF::Node(o) => node(self, o, rows).await?,
                            _ => Vec::new(),
                        });
                    }
                    ConnGot::Edges(per)
                }
                _ => ConnGot::None,
            });
        }
        Ok(out)
    }

    async fn users(&self, sel: &UserSel, ids: impl Iterator<Item = Uuid>) -> R<Got> {
        if let UserSel::Ref(_) = sel {
            return Ok(Got::UserRefs);
        }
        let mut ids: Vec<Uuid> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        {
            let joined = self.joined_users.lock().map_err(|_| Bail)?;
            if !joined.is_empty() && ids.iter().all(|id| joined.contains_key(id)) {
                let found = ids.iter().map(|id| (*id, joined[id].clone())).collect();
                return Ok(Got::Users(Arc::new(found)));
            }
        }
        Ok(Got::Users(
            users::by_ids_hot(self.db, self.tenant, &ids).await?,
        ))
    }

    /// Keeps users read by a join for the user fields of this request.
    fn joined(&self, found: HashMap<Uuid, user::Model>) -> R<()> {
        if !found.is_empty() {
            self.joined_users.lock().map_err(|_| Bail)?.extend(found);
        }
        Ok(())
    }

    /// What the fields of `obj` need for `rows`; field `skip` is fetched by
    /// the caller.
    async fn fetch_accounts(
        &self,
        obj: &Obj<AccountF>,
        rows: &[&account::Model],
        skip: Option<usize>,
    ) -> R<Vec<Got>> {
        let ids = || rows.iter().map(|a| a.id).collect::<Vec<_>>();
        let (db, t) = (self.db, self.tenant);
        try_join_all(
            obj.iter()
                .enumerate()
                .map(|(i, (_, f))| -> BoxFuture<'_, R<Got>> {
                    match f {
                        _ if Some(i) == skip => Box::pin(async { Ok(Got::None) }),
                        AccountF::Owner(s) => {
                            Box::pin(self.users(s, rows.iter().map(|a| a.owner_id)))
                        }
                        AccountF::Contacts(p, conn, cols) => Box::pin(async move {
                            let args = self.page(p, CONTACT_ORDER)?;
                            let pages =
                                contacts::pages_by_account_partial(db, t, &ids(), &args, *cols)
                                    .await?;
                            let all: Vec<&contact::Model> = pages
                                .values()
                                .flat_map(|p| p.rows.iter().map(|r| &**r))
                                .collect();
                            let counts = async {
                                Ok(contacts::counts_by_account(db.read(), t, &ids()).await?)
                            };
                            let got = self
                                .fetch_conn(conn, &all, counts, |cx, o, r| cx.fetch_contacts(o, r))
                                .await?;
                            drop(all);
                            Ok(Got::Contacts(pages, got))
                        }),
                        AccountF::Plans(p, conn, cols) => Box::pin(async move {
                            let args = self.page(p, PLAN_ORDER)?;
                            check_cursor_dates(&args).map_err(|_| Bail)?;
                            let pages =
                                plans::pages_by_account_partial(db, t, &ids(), &args, *cols)
                                    .await?;
                            let all: Vec<&account_plan::Model> = pages
                                .values()
                                .flat_map(|p| p.rows.iter().map(|r| &**r))
                                .collect();
                            let counts =
                                async { Ok(plans::counts_by_account(db.read(), t, &ids()).await?) };
                            let got = self
                                .fetch_conn(conn, &all, counts, |cx, o, r| {
                                    Box::pin(cx.fetch_plans(o, r))
                                })
                                .await?;
                            drop(all);
                            Ok(Got::Plans(pages, got))
                        }),
                        AccountF::Activities(p, conn, cols) => Box::pin(async move {
                            let args = self.page(p, ACTIVITY_ORDER)?;
                            check_activity_cursors(&args).map_err(|_| Bail)?;
                            let pages =
                                activities::pages_by_account_partial(db, t, &ids(), &args, *cols)
                                    .await?;
                            let all: Vec<&activity::Model> = pages
                                .values()
                                .flat_map(|p| p.rows.iter().map(|r| &**r))
                                .collect();
                            let counts = async {
                                Ok(activities::counts_by_account(db.read(), t, &ids()).await?)
                            };
                            let got = self
                                .fetch_conn(conn, &all, counts, |cx, o, r| {
                                    cx.fetch_activities(o, r)
                                })
                                .await?;
                            drop(all);
                            Ok(Got::Activities(pages, got))
                        }),
                        AccountF::Children(p, conn, cols) => Box::pin(async move {
                            let args = self.page(p, CHILD_ACCOUNT_ORDER)?;
                            let pages =
                                hierarchy::children_pages_partial(db, t, &ids(), &args, *cols)
                                    .await?;
                            let all: Vec<&account::Model> = pages
                                .values()
                                .flat_map(|p| p.rows.iter().map(|r| &**r))
                                .collect();
                            let counts = async {
                                Ok(hierarchy::children_counts(db.read(), t, &ids()).await?)
                            };
                            let got = self
                                .fetch_conn(conn, &all, counts, |cx, o, r| {
                                    cx.fetch_accounts_boxed(o, r)
                                })
                                .await?;
                            drop(all);
                            Ok(Got::Children(pages, got))
                        }),
                        AccountF::WhiteSpace(s) => Box::pin(async move {
                            let turn = self.turn.lock().await;
                            let got = whitespace::fetch(self.rq(), s, &ids()).await?;
                            drop(turn);
                            Ok(Got::WhiteSpace(Box::new(got)))
                        }),
                        AccountF::Rel(r) => Box::pin(async move {
                            let _turn = self.turn.lock().await;
                            Ok(Got::Rendered(r.fetch(self.rq(), rows).await?))
                        }),
                        AccountF::Row(_) => Box::pin(async { Ok(Got::None) }),
                    }
                }),
        )
        .await
    }

    /// What the fields of `obj` need for `rows` (boxed: contacts nest
    /// accounts and contacts).
    fn fetch_contacts<'s>(
        &'s self,
        obj: &'s Obj<ContactF>,
        rows: &'s [&'s contact::Model],
    ) -> BoxFuture<'s, R<Vec<Got>>> {
        self.fetch_contacts_but(obj, rows, None)
    }

    /// Like [`Self::fetch_contacts`]; field `skip` is fetched by the caller.
    fn fetch_contacts_but<'s>(
        &'s self,
        obj: &'s Obj<ContactF>,
        rows: &'s [&'s contact::Model],
        skip: Option<usize>,
    ) -> BoxFuture<'s, R<Vec<Got>>> {
        let (db, t) = (self.db, self.tenant);
        let ids = |f: fn(&contact::Model) -> Option<Uuid>| {
            let mut ids: Vec<Uuid> = rows.iter().filter_map(|c| f(c)).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        Box::pin(try_join_all(obj.iter().enumerate().map(
            move |(n, (_, f))| -> BoxFuture<'s, R<Got>> {
                match f {
                    _ if Some(n) == skip => Box::pin(async { Ok(Got::None) }),
                    ContactF::Account(o, cols) => {
                        self.accounts_of(o, *cols, ids(|c| Some(c.account_id)))
                    }
                    ContactF::ReportsTo(o, cols) => Box::pin(async move {
                        let found =
                            contacts::by_ids_partial(db, t, &ids(|c| c.reports_to_id), *cols)
                                .await?;
                        let refs: Vec<&contact::Model> = found.iter().map(|r| &**r).collect();
                        let got = self.fetch_contacts(o, &refs).await?;
                        drop(refs);
                        Ok(Got::ContactsById(
                            found.into_iter().map(|c| (c.id, c)).collect(),
                            got,
                        ))
                    }),
                    ContactF::DirectReports(o, cols) => Box::pin(async move {
                        let found =
                            contacts::direct_reports_partial(db, t, &ids(|c| Some(c.id)), *cols)
                                .await?;
                        let refs: Vec<&contact::Model> = found.iter().map(|r| &**r).collect();
                        let got = self.fetch_contacts(o, &refs).await?;
                        drop(refs);
                        let mut by_manager: HashMap<Uuid, Vec<Part<contact::Model>>> =
                            HashMap::new();
                        for c in found {
                            if let Some(m) = c.reports_to_id {
                                by_manager.entry(m).or_default().push(c);
                            }
                        }
                        Ok(Got::Reports(by_manager, got))
                    }),
                    ContactF::RelationshipOwner(s) => {
                        Box::pin(self.users(s, rows.iter().filter_map(|c| c.relationship_owner_id)))
                    }
                    ContactF::Rel(r) => Box::pin(async move {
                        let _turn = self.turn.lock().await;
                        Ok(Got::Rendered(r.fetch(self.rq(), rows).await?))
                    }),
                    ContactF::Row(_) => Box::pin(async { Ok(Got::None) }),
                }
            },
        )))
    }

    /// What the fields of `obj` need for `rows` (boxed: activities nest
    /// accounts, which nest activities).
    fn fetch_activities<'s>(
        &'s self,
        obj: &'s Obj<ActivityF>,
        rows: &'s [&'s activity::Model],
    ) -> BoxFuture<'s, R<Vec<Got>>> {
        Box::pin(async move {
            let (db, t) = (self.db, self.tenant);
            let mut out = Vec::with_capacity(obj.len());
            for (_, f) in obj {
                out.push(match f {
                    ActivityF::LoggedBy(s) => {
                        self.users(s, rows.iter().filter_map(|a| a.created_by))
                            .await?
                    }
                    ActivityF::Account(o, cols) => {
                        self.accounts_of(o, *cols, rows.iter().map(|a| a.account_id).collect())
                            .await?
                    }
                    ActivityF::Contacts(o, cols) => {
                        let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
                        let mut of: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                        for (a, c) in activities::contacts_of(db.read(), t, &ids).await? {
                            of.entry(a).or_default().push(c);
                        }
                        let mut wanted: Vec<Uuid> = of.values().flatten().copied().collect();
                        wanted.sort_unstable();
                        wanted.dedup();
                        let found = contacts::by_ids_partial(db, t, &wanted, *cols).await?;
                        let refs: Vec<&contact::Model> = found.iter().map(|r| &**r).collect();
                        let got = self.fetch_contacts(o, &refs).await?;
                        drop(refs);
                        Got::ActivityContacts(
                            of,
                            found.into_iter().map(|c| (c.id, c)).collect(),
                            got,
                        )
                    }
                    ActivityF::Rel(r) => {
                        let _turn = self.turn.lock().await;
                        Got::Rendered(r.fetch(self.rq(), rows).await?)
                    }
                    ActivityF::Row(_) => Got::None,
                });
            }
            Ok(out)
        })
    }

    /// The accounts `ids` (a to-one `account` field of a level) with what
    /// their fields need (boxed: accounts nest plans and contacts, which
    /// nest accounts). A missing account gives way when written.
    fn accounts_of<'s>(
        &'s self,
        obj: &'s Obj<AccountF>,
        columns: persistence::repo::partial::Columns,
        mut ids: Vec<Uuid>,
    ) -> BoxFuture<'s, R<Got>> {
        Box::pin(async move {
            ids.sort_unstable();
            ids.dedup();
            let found = accounts::by_ids_partial(self.db, self.tenant, &ids, columns).await?;
            let refs: Vec<&account::Model> = found.iter().map(|r| &**r).collect();
            let got = self.fetch_accounts(obj, &refs, None).await?;
            drop(refs);
            Ok(Got::Accounts(
                found.into_iter().map(|a| (a.id, a)).collect(),
                got,
            ))
        })
    }

    /// [`Self::fetch_accounts`] behind a `Send` box: accounts nest their
    /// subsidiaries.
    fn fetch_accounts_boxed<'s>(
        &'s self,
        obj: &'s Obj<AccountF>,
        rows: &'s [&'s account::Model],
    ) -> BoxFuture<'s, R<Vec<Got>>> {
        Box::pin(self.fetch_accounts(obj, rows, None))
    }

    /// [`Self::fetch_plans`] behind a `Send` box: plans nest objectives,
    /// which nest their plan.
    fn fetch_plans_boxed<'s>(
        &'s self,
        obj: &'s Obj<PlanF>,
        rows: &'s [&'s account_plan::Model],
    ) -> BoxFuture<'s, R<Vec<Got>>> {
        Box::pin(self.fetch_plans(obj, rows))
    }

    async fn fetch_plans(&self, obj: &Obj<PlanF>, rows: &[&account_plan::Model]) -> R<Vec<Got>> {
        let (db, t) = (self.db, self.tenant);
        try_join_all(obj.iter().map(|(_, f)| -> BoxFuture<'_, R<Got>> {
            match f {
                PlanF::Owner(s) => Box::pin(self.users(s, rows.iter().map(|p| p.owner_id))),
                PlanF::Account(o, cols) => {
                    self.accounts_of(o, *cols, rows.iter().map(|p| p.account_id).collect())
                }
                PlanF::Objectives(o, cols) => Box::pin(async move {
                    let ids: Vec<Uuid> = rows.iter().map(|p| p.id).collect();
                    let owners = o
                        .iter()
                        .any(|(_, f)| matches!(f, ObjectiveF::Owner(UserSel::Row(_))));
                    let read = plans::objectives_of_partial(db, t, &ids, *cols, owners).await?;
                    self.joined(read.owners.clone())?;
                    let by_plan = &read.by_plan;
                    let mut got = Vec::with_capacity(o.len());
                    for (_, f) in o {
                        got.push(match f {
                            ObjectiveF::Owner(s) => {
                                self.users(s, by_plan.values().flatten().filter_map(|x| x.owner_id))
                                    .await?
                            }
                            ObjectiveF::Children(c) => {
                                let ids = by_plan.values().flatten().map(|x| x.id).collect();
                                let _turn = self.turn.lock().await;
                                Got::Rendered(c.fetch(self.rq(), ids).await?)
                            }
                            ObjectiveF::Plan(p) => {
                                let mut ids: Vec<Uuid> =
                                    by_plan.values().flatten().map(|x| x.plan_id).collect();
                                ids.sort_unstable();
                                ids.dedup();
                                let found = plans::by_ids(db.read(), t, &ids).await?;
                                let refs: Vec<&account_plan::Model> = found.iter().collect();
                                let g = self.fetch_plans_boxed(p, &refs).await?;
                                drop(refs);
                                Got::PlansById(found.into_iter().map(|p| (p.id, p)).collect(), g)
                            }
                            ObjectiveF::Rel(r) => {
                                let all: Vec<&persistence::entity::objective::Model> =
                                    by_plan.values().flatten().map(|x| &**x).collect();
                                let _turn = self.turn.lock().await;
                                Got::Rendered(r.fetch(self.rq(), &all).await?)
                            }
                            ObjectiveF::Row(_) => Got::None,
                        });
                    }
                    Ok(Got::Objectives(read, got))
                }),
                PlanF::Children(c) => Box::pin(async move {
                    let ids = rows.iter().map(|p| p.id).collect();
                    let _turn = self.turn.lock().await;
                    Ok(Got::Rendered(c.fetch(self.rq(), ids).await?))
                }),
                PlanF::Row(_) => Box::pin(async { Ok(Got::None) }),
            }
        }))
        .await
    }
}

/// The join of an account's owner (alias `a`) when the selection reads the
/// owner's row.
fn owner_join(sel: &Obj<AccountF>) -> Vec<(&'static str, &'static str)> {
    if sel
        .iter()
        .any(|(_, f)| matches!(f, AccountF::Owner(UserSel::Row(_))))
    {
        vec![("a", "owner_id")]
    } else {
        Vec::new()
    }
}

/// How a page read with its parent becomes the field's `Got`.
type WrapPage<Row> = fn(Arc<HashMap<Uuid, Page<Part<Row>>>>, Vec<ConnGot>) -> Got;

/// The users to join to an account and its page: the owner (`a`) when
/// selected, and the page rows' user `fk` (`c`) when a node selection reads
/// it (`reads`).
fn page_joins<F>(
    sel: &Obj<AccountF>,
    conn: &Conn<F>,
    reads: impl Fn(&F) -> bool,
    fk: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut joins = owner_join(sel);
    if nodes_of(conn).any(|o| o.iter().any(|(_, f)| reads(f))) {
        joins.push(("c", fk));
    }
    joins
}

/// The node selections of a connection (`nodes`, `edges { node }`).
fn nodes_of<F>(conn: &Conn<F>) -> impl Iterator<Item = &Obj<F>> {
    conn.iter().flat_map(|(_, f)| match f {
        ConnF::Nodes(o) => vec![o],
        ConnF::Edges(e) => e
            .iter()
            .filter_map(|(_, f)| match f {
                EdgeF::Node(o) => Some(o),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    })
}

/// The `totalCount` of a root list, under the key `write_conn` looks up.
fn root_count(n: u64) -> HashMap<Uuid, i64> {
    HashMap::from([(Uuid::nil(), i64::try_from(n).unwrap_or(i64::MAX))])
}
