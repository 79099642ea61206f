//! The one write path (`persistence::write`): every record a mutation
//! writes is stamped and reported once, whatever service or statement
//! writes it (the coalesced `logActivity` and set-based tombstones too), and
//! a refused write reports nothing.

use crate::helpers::*;
use serde_json::json;
use std::collections::BTreeMap;

/// The application's committed changes so far, per (record, operation).
fn counts(app: &TestApp) -> BTreeMap<(String, String), u64> {
    app.state
        .db
        .write_counts()
        .snapshot()
        .into_iter()
        .map(|(r, op, n)| ((r.to_owned(), op.as_str().to_owned()), n))
        .collect()
}

/// What changed between two snapshots.
fn delta(
    before: &BTreeMap<(String, String), u64>,
    after: &BTreeMap<(String, String), u64>,
) -> BTreeMap<String, u64> {
    after
        .iter()
        .filter_map(|((r, op), n)| {
            let d = n - before.get(&(r.clone(), op.clone())).copied().unwrap_or(0);
            (d > 0).then(|| (format!("{r}.{op}"), d))
        })
        .collect()
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, n)| ((*k).to_owned(), *n)).collect()
}

#[tokio::test]
async fn every_write_is_reported_once_and_a_refused_one_not_at_all() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some(steward_api::config::Secret::new("metrics-token-0123456789"));
    })
    .await;
    let t = app.tenant("acme").await;
    // Sign-up writes the tenant and its first admin; the sign-in that the
    // helper does writes a session, which is not a record.
    assert_eq!(
        delta(&BTreeMap::new(), &counts(&app)),
        expect(&[("tenant.created", 1), ("user.created", 1)])
    );

    let s = counts(&app);
    let a = app.account(&t.admin_token, "Acme").await;
    let upd = "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { version updatedAt } } }";
    let r = app
        .graphql(
            Some(&t.admin_token),
            upd,
            json!({ "i": { "id": a, "region": "EMEA" } }),
        )
        .await;
    assert_eq!(r.data("updateAccount.account.version"), &json!(2));
    for m in ["archiveAccount", "restoreAccount"] {
        app.graphql(
            Some(&t.admin_token),
            &format!(
                "mutation($id: ID!) {{ {m}(input: {{id: $id}}) {{ account {{ version }} }} }}"
            ),
            json!({ "id": a }),
        )
        .await
        .data(m);
    }
    assert_eq!(
        delta(&s, &counts(&app)),
        expect(&[
            ("account.archived", 1),
            ("account.created", 1),
            ("account.restored", 1),
            ("account_team_member.created", 1),
            ("account.updated", 1),
        ])
    );

    // Refused writes (bad input, a stale row) change nothing and report nothing.
    let s = counts(&app);
    app.graphql(
        Some(&t.admin_token),
        upd,
        json!({ "i": { "id": a, "name": "  " } }),
    )
    .await
    .assert_error("VALIDATION");
    app.graphql(
        Some(&t.admin_token),
        upd,
        json!({ "i": { "id": missing_id("Account"), "region": "APAC" } }),
    )
    .await
    .assert_error("NOT_FOUND");
    assert_eq!(delta(&s, &counts(&app)), BTreeMap::new());

    // Children, the coalesced activity insert, and the set-based tombstones
    // of an account's deletion: each row once.
    let s = counts(&app);
    let boss = app.contact(&t.admin_token, &a, "Ada", "Boss").await;
    let r = app
        .create_contact(
            &t.admin_token,
            json!({ "accountId": a, "firstName": "Bo", "lastName": "Report", "reportsToId": boss }),
        )
        .await;
    let report = r.str("createContact.contact.id");
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id version } } }",
        json!({ "i": { "accountId": a, "kind": "QBR", "occurredAt": chrono::Utc::now().to_rfc3339(), "summary": "Review", "contactIds": [boss, report] } }),
    )
    .await
    .data("logActivity.activity");
    let plan = app.plan(&t.admin_token, &a, "FY").await;
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: AddObjectiveInput!) { addObjective(input: $i) { objective { id } } }",
        json!({ "i": { "planId": plan, "title": "Grow", "metric": "share", "baseline": "1", "target": "2", "dueDate": "2026-12-31" } }),
    )
    .await
    .data("addObjective.objective.id");
    // Deleting the manager detaches the report (an update of that contact).
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deleteContact(input: {id: $id}) { contact { id } } }",
        json!({ "id": boss }),
    )
    .await
    .data("deleteContact");
    assert_eq!(
        delta(&s, &counts(&app)),
        expect(&[
            ("activity.created", 1),
            ("contact.created", 2),
            ("contact.deleted", 1),
            ("contact.updated", 1),
            ("objective.created", 1),
            ("plan.created", 1),
        ])
    );
    let s = counts(&app);
    app.delete_account(&t.admin_token, &a).await;
    assert_eq!(
        delta(&s, &counts(&app)),
        expect(&[
            ("account.deleted", 1),
            ("activity.deleted", 1),
            ("contact.deleted", 1),
            ("objective.deleted", 1),
            ("plan.deleted", 1),
        ])
    );

    // The counts are in /metrics.
    let text = app
        .client
        .get(format!("http://{}/metrics", app.addr))
        .bearer_auth("metrics-token-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("steward_writes_total{op=\"deleted\",record=\"account\"} 1"),
        "{text}"
    );
}

#[tokio::test]
async fn the_audit_columns_name_the_writer_and_the_version_counts_each_write() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "Ann").await;
    let a = app
        .create_account(&am.token, json!({ "name": "Acme" }))
        .await
        .str("createAccount.account.id");
    let q = "query($id: ID!) { account(id: $id) { version createdAt updatedAt } }";
    let before = app.graphql(Some(&am.token), q, json!({ "id": a })).await;
    assert_eq!(before.data("account.version"), &json!(1));
    assert_eq!(
        before.data("account.createdAt"),
        before.data("account.updatedAt")
    );
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({ "i": { "id": a, "region": "EMEA" } }),
    )
    .await
    .data("updateAccount");
    let after = app.graphql(Some(&am.token), q, json!({ "id": a })).await;
    assert_eq!(after.data("account.version"), &json!(2));
    assert_eq!(
        after.data("account.createdAt"),
        before.data("account.createdAt")
    );
    assert!(
        after.str("account.updatedAt") > before.str("account.updatedAt"),
        "{after:?}"
    );
    // Who wrote is stamped from the token: the row names the admin now.
    let tenant = domain::TenantId(app.tenant_id(&t).await);
    let row = persistence::repo::accounts::get(
        app.state.db.system().read(),
        tenant,
        domain::AccountId(uuid_of(&a)),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.created_by, Some(uuid_of(&am.id)));
    assert_eq!(row.updated_by, Some(uuid_of(&t.admin_id)));
}
