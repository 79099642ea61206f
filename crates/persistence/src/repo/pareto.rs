//! The top 20%: a tenant's exchange rates, and the revenue ranking of its
//! accounts computed by the database (`domain::pareto`'s rules): one
//! statement per page of accounts, per `accounts(filter: {topTwentyPercent})`
//! page and per portfolio summary, never every account loaded into the
//! server.
//!
//! Converted revenue is `annual_revenue_minor * rate_e9` (ten-thousandths
//! times billionths): compared exactly on Postgres (`NUMERIC`); on SQLite
//! exactly while the product fits 64 bits, then at double precision.

use crate::StoreError;
use crate::entity::exchange_rate;
use chrono::NaiveDate;
use domain::TenantId;
use domain::pareto::UNIT_RATE;
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, ExprTrait, JoinType, Query, SelectStatement, SimpleExpr,
    UnionType, WithClause,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// How many rates a tenant keeps at most (the list is not paged).
pub const MAX_RATES: u64 = 1_000;

fn al(s: &str) -> Alias {
    Alias::new(s)
}

/// Every rate of the tenant, by currency, newest first.
pub async fn rates(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Vec<exchange_rate::Model>, StoreError> {
    Ok(exchange_rate::Entity::find()
        .filter(exchange_rate::Column::TenantId.eq(tenant.0))
        .order_by_asc(exchange_rate::Column::Currency)
        .order_by_desc(exchange_rate::Column::ValidFrom)
        .all(conn)
        .await?)
}

/// [`rates`] for the compiled path's batch read (keys: the tenant's id).
pub async fn rates_of_tenants(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<exchange_rate::Model>, StoreError> {
    if !ids.contains(&tenant.0) {
        return Ok(vec![]);
    }
    rates(conn, tenant).await
}

/// How many rates the tenant keeps.
pub async fn count_rates(conn: &impl ConnectionTrait, tenant: TenantId) -> Result<u64, StoreError> {
    Ok(exchange_rate::Entity::find()
        .filter(exchange_rate::Column::TenantId.eq(tenant.0))
        .count(conn)
        .await?)
}

/// The rate of `currency` from `day` on, locked for a write on Postgres.
pub async fn rate_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    currency: &str,
    day: NaiveDate,
) -> Result<Option<exchange_rate::Model>, StoreError> {
    let mut q = exchange_rate::Entity::find()
        .filter(exchange_rate::Column::TenantId.eq(tenant.0))
        .filter(exchange_rate::Column::Currency.eq(currency))
        .filter(exchange_rate::Column::ValidFrom.eq(day));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// `(currency, rate_e9)` in effect on `today`: each currency's newest rate
/// not after today, and the default currency at 1.
fn rates_in_effect(tenant: TenantId, today: NaiveDate) -> SelectStatement {
    let mut newer = Query::select();
    newer
        .expr(Expr::cust("1"))
        .from_as(al("exchange_rates"), al("n"))
        .and_where(Expr::cust(
            "n.tenant_id = e.tenant_id AND n.currency = e.currency AND n.valid_from > e.valid_from",
        ))
        .and_where(Expr::col((al("n"), al("valid_from"))).lte(today));
    let mut unit = Query::select();
    unit.expr_as(Expr::cust("t.default_currency"), al("currency"))
        .expr_as(Expr::val(UNIT_RATE), al("rate_e9"))
        .from_as(al("tenants"), al("t"))
        .and_where(Expr::col((al("t"), al("tenant_id"))).eq(tenant.0));
    let mut q = Query::select();
    q.expr_as(Expr::cust("e.currency"), al("currency"))
        .expr_as(Expr::cust("e.rate_e9"), al("rate_e9"))
        .from_as(al("exchange_rates"), al("e"))
        .and_where(Expr::col((al("e"), al("tenant_id"))).eq(tenant.0))
        .and_where(Expr::col((al("e"), al("valid_from"))).lte(today))
        .and_where(Expr::exists(newer).not())
        .union(UnionType::All, unit);
    q
}

/// `(id, v)`: the ranked accounts (live, active, with revenue in a
/// currency with a rate) and their converted revenue; the rates are the
/// subquery `rates`, or the common table `rates` when `None`.
fn converted(tenant: TenantId, rates: Option<SelectStatement>) -> SelectStatement {
    let on = Expr::cust("r.currency = a.annual_revenue_currency");
    let mut q = Query::select();
    q.expr_as(Expr::cust("a.id"), al("id"))
        .expr_as(
            Expr::cust("CAST(a.annual_revenue_minor AS NUMERIC) * r.rate_e9"),
            al("v"),
        )
        .from_as(al("accounts"), al("a"));
    match rates {
        Some(rates) => q.join_subquery(JoinType::InnerJoin, rates, al("r"), on),
        None => q.join_as(JoinType::InnerJoin, al("rates"), al("r"), on),
    };
    q.and_where(Expr::col((al("a"), al("tenant_id"))).eq(tenant.0))
        .and_where(Expr::cust(
            "a.deleted_at IS NULL AND a.archived_at IS NULL AND a.annual_revenue_minor IS NOT NULL",
        ));
    q
}

/// `(id, v, rnk, n)`: competition rank by converted revenue, and how many
/// accounts are ranked, over the subquery `conv` (or the common table
/// `conv` when `None`).
fn ranked(conv: Option<SelectStatement>) -> SelectStatement {
    let mut q = Query::select();
    q.expr_as(Expr::cust("c.id"), al("id"))
        .expr_as(Expr::cust("c.v"), al("v"))
        .expr_as(Expr::cust("RANK() OVER (ORDER BY c.v DESC)"), al("rnk"))
        .expr_as(Expr::cust("COUNT(*) OVER ()"), al("n"));
    match conv {
        Some(conv) => q.from_subquery(conv, al("c")),
        None => q.from_as(al("conv"), al("c")),
    };
    q
}

/// The top 20% rule on a row of [`ranked`] named `k`.
const IN_TOP: &str = "k.rnk <= (k.n + 4) / 5";

/// A condition on `accounts.id`: in the top 20% on `today` (`top`), or not
/// (unranked accounts included). Uncorrelated: the ranking is computed
/// once per statement.
pub fn top_condition(tenant: TenantId, today: NaiveDate, top: bool) -> SimpleExpr {
    let mut q = Query::select();
    q.expr(Expr::cust("k.id"))
        .from_subquery(
            ranked(Some(converted(
                tenant,
                Some(rates_in_effect(tenant, today)),
            ))),
            al("k"),
        )
        .and_where(Expr::cust(IN_TOP));
    let id = Expr::col((al("accounts"), al("id")));
    if top {
        id.in_subquery(q)
    } else {
        id.not_in_subquery(q)
    }
}

/// `WITH rates, conv, ranked` (common tables named so).
fn with_ranking(tenant: TenantId, today: NaiveDate) -> WithClause {
    let cte = |name: &str, q: SelectStatement| {
        CommonTableExpression::new()
            .query(q)
            .table_name(al(name))
            .to_owned()
    };
    WithClause::new()
        .cte(cte("rates", rates_in_effect(tenant, today)))
        .cte(cte("conv", converted(tenant, None)))
        .cte(cte("ranked", ranked(None)))
        .to_owned()
}

/// One account's place in the ranking, as the database found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankRow {
    pub account_id: Uuid,
    pub archived: bool,
    pub revenue_minor: Option<i64>,
    pub revenue_currency: Option<String>,
    /// The rate in effect for the revenue's currency, if any.
    pub rate_e9: Option<i64>,
    /// The competition rank, when ranked.
    pub rank: Option<i64>,
    /// How many accounts of the tenant are ranked.
    pub ranked: i64,
}

/// The ranking of these accounts (live ones of the tenant) on `today`, in
/// one statement.
pub async fn ranks(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    today: NaiveDate,
    ids: &[Uuid],
) -> Result<Vec<RankRow>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Query::select();
    q.expr_as(Expr::cust("a.id"), al("id"))
        .expr_as(
            Expr::cust("CASE WHEN a.archived_at IS NULL THEN 0 ELSE 1 END"),
            al("archived"),
        )
        .expr_as(Expr::cust("a.annual_revenue_minor"), al("minor"))
        .expr_as(Expr::cust("a.annual_revenue_currency"), al("currency"))
        .expr_as(Expr::cust("r.rate_e9"), al("rate_e9"))
        .expr_as(Expr::cust("k.rnk"), al("rnk"))
        .expr_as(Expr::cust("(SELECT COUNT(*) FROM conv)"), al("ranked"))
        .from_as(al("accounts"), al("a"))
        .join_as(
            JoinType::LeftJoin,
            al("rates"),
            al("r"),
            Expr::cust("r.currency = a.annual_revenue_currency"),
        )
        .join_as(
            JoinType::LeftJoin,
            al("ranked"),
            al("k"),
            Expr::cust("k.id = a.id"),
        )
        .and_where(Expr::col((al("a"), al("tenant_id"))).eq(tenant.0))
        .and_where(Expr::cust("a.deleted_at IS NULL"))
        .and_where(Expr::col((al("a"), al("id"))).is_in(ids.iter().copied()));
    let stmt = conn
        .get_database_backend()
        .build(&q.with(with_ranking(tenant, today)));
    let rows = conn.query_all_raw(stmt).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(RankRow {
            account_id: r.try_get("", "id")?,
            archived: r.try_get::<i32>("", "archived")? != 0,
            revenue_minor: r.try_get("", "minor")?,
            revenue_currency: r.try_get("", "currency")?,
            rate_e9: r.try_get("", "rate_e9")?,
            rank: r.try_get("", "rnk")?,
            ranked: r.try_get("", "ranked")?,
        });
    }
    Ok(out)
}

/// The tenant's portfolio as the ranking sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PortfolioRow {
    /// Live, active accounts.
    pub active: i64,
    /// Of those, ranked.
    pub ranked: i64,
    /// Of those, in the top 20%.
    pub top: i64,
    /// Converted revenue of the ranked accounts, in ten-thousandths of
    /// the default currency (rounded).
    pub total_minor: i64,
    /// Converted revenue of the top 20%.
    pub top_minor: i64,
}

/// The portfolio's ranking summary on `today`, in one statement.
pub async fn portfolio(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    today: NaiveDate,
) -> Result<PortfolioRow, StoreError> {
    let top = |then: &str| format!("CASE WHEN {IN_TOP} THEN {then} ELSE 0 END");
    let money = |sum: String| format!("CAST(ROUND(COALESCE({sum}, 0) / {UNIT_RATE}.0) AS BIGINT)");
    let mut active = Query::select();
    active
        .expr(Expr::cust("COUNT(*)"))
        .from_as(al("accounts"), al("x"))
        .and_where(Expr::col((al("x"), al("tenant_id"))).eq(tenant.0))
        .and_where(Expr::cust("x.deleted_at IS NULL AND x.archived_at IS NULL"));
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(k.id)"), al("ranked"))
        .expr_as(
            Expr::cust(format!("COALESCE(SUM({}), 0)", top("1"))),
            al("top"),
        )
        .expr_as(Expr::cust(money("SUM(k.v)".into())), al("total"))
        .expr_as(
            Expr::cust(money(format!("SUM({})", top("k.v")))),
            al("top_total"),
        )
        .expr_as(Expr::SubQuery(None, Box::new(active.into())), al("active"))
        .from_as(al("ranked"), al("k"));
    let stmt = conn
        .get_database_backend()
        .build(&q.with(with_ranking(tenant, today)));
    let Some(r) = conn.query_one_raw(stmt).await? else {
        return Ok(PortfolioRow::default());
    };
    Ok(PortfolioRow {
        active: r.try_get("", "active")?,
        ranked: r.try_get("", "ranked")?,
        top: r.try_get("", "top")?,
        total_minor: r.try_get("", "total")?,
        top_minor: r.try_get("", "top_total")?,
    })
}
