//! What `domain::coverage` reads about accounts (their contacts, active and
//! departed, and when each contact was last part of an activity), and the
//! same rules as SQL conditions on `accounts`, for
//! `accounts(filter: {hasCoverageGap})`: the database finds the accounts
//! with a gap, no account is loaded to judge it. A test compares both
//! forms on the same data.

use crate::StoreError;
use crate::entity::contact;
use chrono::{DateTime, Duration, Utc};
use domain::TenantId;
use domain::cadence::Cadence;
use domain::coverage::{GapKind, frequency_days};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};
use uuid::Uuid;

/// Every live contact (active or departed) of these accounts, by account
/// then name.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<contact::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(contact::Entity::find()
        .filter(contact::Column::TenantId.eq(tenant.0))
        .filter(contact::Column::DeletedAt.is_null())
        .filter(contact::Column::AccountId.is_in(accounts.iter().copied()))
        .order_by_asc(contact::Column::AccountId)
        .order_by_asc(contact::Column::NameKey)
        .order_by_asc(contact::Column::Id)
        .all(conn)
        .await?)
}

/// When each of these contacts was last part of a live activity.
pub async fn last_activity_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    contacts: &[Uuid],
) -> Result<Vec<(Uuid, DateTime<Utc>)>, StoreError> {
    if contacts.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT ac.contact_id AS contact_id, MAX(a.occurred_at) AS last_at \
         FROM activity_contacts ac JOIN activities a ON a.tenant_id = ac.tenant_id AND a.id = ac.activity_id \
         WHERE ac.tenant_id = ? AND a.deleted_at IS NULL AND ac.contact_id IN ({}) \
         GROUP BY ac.contact_id",
        super::placeholders(contacts.len())
    );
    let mut values: Vec<Value> = vec![tenant.0.into()];
    values.extend(contacts.iter().map(|c| Value::from(*c)));
    let rows = conn
        .query_all_raw(super::raw(conn.get_database_backend(), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push((r.try_get("", "contact_id")?, r.try_get("", "last_at")?));
    }
    Ok(out)
}

const ACTIVE: &str = "c.tenant_id = accounts.tenant_id AND c.account_id = accounts.id \
    AND c.deleted_at IS NULL AND c.status = 'ACTIVE'";
const KEY: &str =
    "(c.influence >= 4 OR c.buying_role IN ('ECONOMIC_BUYER', 'DECISION_MAKER', 'COACH'))";

/// `domain::coverage`'s rule for `kind` as a condition on a row of
/// `accounts`, at the instant `now` (for `STALE_CONTACT`).
pub fn gap_condition(kind: GapKind, now: DateTime<Utc>) -> SimpleExpr {
    let any = |cond: &str| format!("EXISTS (SELECT 1 FROM contacts c WHERE {ACTIVE} AND {cond})");
    let sql = match kind {
        GapKind::DecisionMakerUnowned => any(
            "c.buying_role IN ('ECONOMIC_BUYER', 'DECISION_MAKER') AND c.relationship_owner_id IS NULL",
        ),
        GapKind::NoCoach => format!("NOT {}", any("c.buying_role = 'COACH'")),
        GapKind::SingleThreaded => format!(
            "((SELECT count(*) FROM contacts c WHERE {ACTIVE}) = 1 \
             OR ((SELECT count(*) FROM contacts c WHERE {ACTIVE}) > 1 \
                 AND NOT {} \
                 AND (SELECT count(DISTINCT c.relationship_owner_id) FROM contacts c WHERE {ACTIVE}) = 1))",
            any("c.relationship_owner_id IS NULL")
        ),
        GapKind::KeyContactLeft => format!(
            "EXISTS (SELECT 1 FROM contacts l WHERE l.tenant_id = accounts.tenant_id \
             AND l.account_id = accounts.id AND l.deleted_at IS NULL AND l.status = 'LEFT_COMPANY' \
             AND (l.influence >= 4 OR l.buying_role IN ('ECONOMIC_BUYER', 'DECISION_MAKER', 'COACH')) \
             AND NOT {})",
            any("c.buying_role = l.buying_role")
        ),
        GapKind::BlockerUnaddressed => any(
            "(c.buying_role = 'BLOCKER' OR c.attitude = 'DETRACTOR') AND c.influence >= 4 \
             AND c.relationship_owner_id IS NULL",
        ),
        GapKind::NoExecutiveSponsor => "NOT EXISTS (SELECT 1 FROM account_team_members m \
             WHERE m.tenant_id = accounts.tenant_id AND m.account_id = accounts.id \
             AND m.role = 'EXECUTIVE_SPONSOR')"
            .to_owned(),
        GapKind::StaleContact => return stale(now),
    };
    Expr::cust(sql)
}

/// `STALE_CONTACT`: an active key contact with a preferred frequency and
/// no live activity with them since that frequency's cutoff. Built with
/// the query builder so that the cutoffs are bound values on both
/// databases (custom SQL would need each dialect's placeholders).
fn stale(now: DateTime<Utc>) -> SimpleExpr {
    use sea_orm::sea_query::{Alias, Condition, JoinType, Query};
    let mut branches = Condition::any();
    for c in Cadence::ALL {
        let Some(days) = frequency_days(*c) else {
            continue;
        };
        let met = Query::select()
            .expr(Expr::cust("1"))
            .from_as(Alias::new("activity_contacts"), Alias::new("ac"))
            .join_as(
                JoinType::InnerJoin,
                Alias::new("activities"),
                Alias::new("a"),
                Expr::cust("a.tenant_id = ac.tenant_id AND a.id = ac.activity_id"),
            )
            .and_where(Expr::cust(
                "ac.tenant_id = c.tenant_id AND ac.contact_id = c.id AND a.deleted_at IS NULL",
            ))
            .and_where(
                Expr::col((Alias::new("a"), Alias::new("occurred_at")))
                    .gte(Value::from(now - Duration::days(days))),
            )
            .to_owned();
        branches = branches.add(
            Condition::all()
                .add(Expr::cust(format!(
                    "c.preferred_frequency = '{}'",
                    c.as_str()
                )))
                .add(Expr::exists(met).not()),
        );
    }
    let contact = Query::select()
        .expr(Expr::cust("1"))
        .from_as(Alias::new("contacts"), Alias::new("c"))
        .and_where(Expr::cust(format!("{ACTIVE} AND {KEY}")))
        .cond_where(branches)
        .to_owned();
    Expr::exists(contact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbBackend, EntityTrait, QueryFilter, QueryTrait};

    /// The cutoffs are bound as values on both databases (sea-query
    /// numbers `$n` placeholders of custom SQL for each dialect).
    #[test]
    fn the_stale_contact_cutoffs_are_bound_values() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let q = crate::entity::account::Entity::find()
                .filter(gap_condition(GapKind::StaleContact, Utc::now()))
                .build(backend);
            let n = q.values.map_or(0, |v| v.0.len());
            assert_eq!(n, 5, "{backend:?}: {}", q.sql);
            assert!(!q.sql.contains("$6"), "{}", q.sql);
        }
    }
}
