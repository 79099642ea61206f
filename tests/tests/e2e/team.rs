//! Account teams and team-based authorisation: the owner is the team's one
//! `OWNER` and moves with `ownerId`; the account's writers add, change and
//! remove members; an account manager writes an account (and all under it)
//! when on its team as `OWNER` or `ACCOUNT_MANAGER`; an assignee on the team
//! completes their own occurrence; `viewer.accounts` lists the caller's
//! accounts. Every refusal changes nothing.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const TEAM: &str = "query($id: ID!) { account(id: $id) { version ownerId \
    team { role responsibility userId user { displayName } accountId version } } }";

const ADD: &str = "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { \
    member { role responsibility user { displayName } account { name } version } account { team { role } } } }";

const UPDATE: &str = "mutation($i: UpdateAccountTeamMemberInput!) { updateAccountTeamMember(input: $i) { \
    member { role responsibility version } } }";

const REMOVE: &str = "mutation($i: RemoveAccountTeamMemberInput!) { removeAccountTeamMember(input: $i) { \
    removedUserId account { team { userId role } } } }";

const MY_ACCOUNTS: &str = "query($f: AccountFilter) { viewer { accounts(first: 10, filter: $f) { \
    totalCount edges { node { name team { role user { displayName } } } } } } }";

async fn team(app: &TestApp, token: &str, account: &str) -> Value {
    let r = app
        .graphql(Some(token), TEAM, json!({ "id": account }))
        .await;
    r.data("account").clone()
}

/// (display name, role) of each member, in team order.
fn members(account: &Value) -> Vec<(String, String)> {
    account["team"]
        .as_array()
        .unwrap_or_else(|| panic!("no team: {account}"))
        .iter()
        .map(|m| {
            (
                m["user"]["displayName"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

async fn add(app: &TestApp, token: &str, account: &str, user: &str, role: &str) -> Gql {
    app.graphql(
        Some(token),
        ADD,
        json!({ "i": { "accountId": account, "userId": user, "role": role } }),
    )
    .await
}

fn my_account_names(r: &Gql) -> Vec<String> {
    r.data("viewer.accounts.edges")
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.body))
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_owner_is_the_teams_one_owner_and_moves_with_owner_id() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let a = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Globex", "ownerId": amy.id }),
        )
        .await
        .str("createAccount.account.id");
    let before = team(&app, &t.admin_token, &a).await;
    assert_eq!(members(&before), pairs(&[("amy", "OWNER")]));
    assert_eq!(before["team"][0]["userId"], json!(amy.id));
    assert_eq!(before["team"][0]["accountId"], json!(a));

    // Sam joins as specialist with a responsibility, then becomes owner:
    // the owner's membership moves to him (his text kept), Amy leaves.
    let r = app
        .graphql(
            Some(&amy.token),
            ADD,
            json!({ "i": { "accountId": a, "userId": sam.id, "role": "SPECIALIST", "responsibility": "  Logistics  " } }),
        )
        .await;
    assert_eq!(r.data("addAccountTeamMember.member.role"), "SPECIALIST");
    assert_eq!(
        r.data("addAccountTeamMember.member.responsibility"),
        "Logistics"
    );
    assert_eq!(r.data("addAccountTeamMember.member.version"), &json!(1));
    assert_eq!(
        r.data("addAccountTeamMember.account.team"),
        &json!([{ "role": "OWNER" }, { "role": "SPECIALIST" }])
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { ownerId version } } }",
            json!({ "i": { "id": a, "ownerId": sam.id } }),
        )
        .await;
    assert_eq!(r.str("updateAccount.account.ownerId"), sam.id);
    let after = team(&app, &t.admin_token, &a).await;
    assert_eq!(members(&after), pairs(&[("sam", "OWNER")]));
    assert_eq!(after["team"][0]["responsibility"], "Logistics");

    // viewer.accounts follows the team.
    let r = app.graphql(Some(&sam.token), MY_ACCOUNTS, json!({})).await;
    assert_eq!(my_account_names(&r), ["Globex"]);
    assert_eq!(r.data("viewer.accounts.totalCount"), &json!(1));
    let r = app.graphql(Some(&amy.token), MY_ACCOUNTS, json!({})).await;
    assert_eq!(my_account_names(&r), Vec::<String>::new());
    assert_eq!(r.data("viewer.accounts.totalCount"), &json!(0));
    // Restating the owner changes nothing on the team.
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
        json!({ "i": { "id": a, "ownerId": sam.id } }),
    )
    .await
    .data("updateAccount.account.id");
    assert_eq!(team(&app, &t.admin_token, &a).await["team"], after["team"]);
}

#[tokio::test]
async fn members_are_added_changed_and_removed_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let vic = app.user(&t, "VIEWER", "vic").await;
    let gone = app.user(&t, "ACCOUNT_MANAGER", "gone").await;
    app.graphql(
        Some(admin),
        "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { id } } }",
        json!({ "id": gone.id }),
    )
    .await
    .data("deactivateUser.user.id");
    let a = app.account(admin, "Initech").await;

    add(&app, admin, &a, &vic.id, "EXECUTIVE_SPONSOR")
        .await
        .data("addAccountTeamMember.member");
    add(&app, admin, &a, &sam.id, "SUPPORT")
        .await
        .data("addAccountTeamMember.member");
    let start = team(&app, admin, &a).await;
    assert_eq!(
        members(&start),
        pairs(&[
            ("Admin", "OWNER"),
            ("vic", "EXECUTIVE_SPONSOR"),
            ("sam", "SUPPORT")
        ])
    );

    let refused = [
        (
            add(&app, admin, &a, &sam.id, "SPECIALIST").await,
            "CONFLICT",
            "input.userId",
        ),
        (
            add(&app, admin, &a, &t.admin_id, "SPECIALIST").await,
            "CONFLICT",
            "input.userId",
        ),
        (
            add(&app, admin, &a, &missing_id("User"), "SPECIALIST").await,
            "NOT_FOUND",
            "input.userId",
        ),
        (
            add(&app, admin, &a, &gone.id, "SPECIALIST").await,
            "VALIDATION",
            "input.userId",
        ),
        (
            add(&app, admin, &missing_id("Account"), &gone.id, "SPECIALIST").await,
            "NOT_FOUND",
            "input.accountId",
        ),
        (
            add(&app, admin, &a, &a, "SPECIALIST").await,
            "NOT_FOUND",
            "input.userId",
        ),
        (
            app.graphql(
                Some(admin),
                ADD,
                json!({ "i": { "accountId": a, "userId": gone.id, "role": "OWNER" } }),
            )
            .await,
            "VALIDATION",
            "input.role",
        ),
        (
            app.graphql(
                Some(admin),
                ADD,
                json!({ "i": { "accountId": a, "userId": gone.id, "role": "SUPPORT", "responsibility": "x".repeat(501) } }),
            )
            .await,
            "VALIDATION",
            "input.responsibility",
        ),
        (
            app.graphql(
                Some(admin),
                UPDATE,
                json!({ "i": { "accountId": a, "userId": t.admin_id, "role": "SUPPORT" } }),
            )
            .await,
            "VALIDATION",
            "input.role",
        ),
        (
            app.graphql(
                Some(admin),
                UPDATE,
                json!({ "i": { "accountId": a, "userId": sam.id, "role": "OWNER" } }),
            )
            .await,
            "VALIDATION",
            "input.role",
        ),
        (
            app.graphql(
                Some(admin),
                UPDATE,
                json!({ "i": { "accountId": a, "userId": sam.id, "role": null } }),
            )
            .await,
            "VALIDATION",
            "input.role",
        ),
        (
            app.graphql(
                Some(admin),
                UPDATE,
                json!({ "i": { "accountId": a, "userId": gone.id, "role": "SUPPORT" } }),
            )
            .await,
            "NOT_FOUND",
            "input.userId",
        ),
        (
            app.graphql(
                Some(admin),
                REMOVE,
                json!({ "i": { "accountId": a, "userId": t.admin_id } }),
            )
            .await,
            "VALIDATION",
            "input.userId",
        ),
        (
            app.graphql(
                Some(admin),
                REMOVE,
                json!({ "i": { "accountId": a, "userId": gone.id } }),
            )
            .await,
            "NOT_FOUND",
            "input.userId",
        ),
    ];
    for (i, (r, code, field)) in refused.iter().enumerate() {
        assert_eq!(r.code(), *code, "case {i}: {}", r.body);
        assert_eq!(r.field(), *field, "case {i}: {}", r.body);
    }
    assert_eq!(team(&app, admin, &a).await, start, "nothing changed");

    // Changing: the role, then the responsibility alone; null clears it.
    let r = app
        .graphql(
            Some(admin),
            UPDATE,
            json!({ "i": { "accountId": a, "userId": sam.id, "role": "ACCOUNT_MANAGER", "responsibility": "Renewals" } }),
        )
        .await;
    assert_eq!(
        r.data("updateAccountTeamMember.member"),
        &json!({ "role": "ACCOUNT_MANAGER", "responsibility": "Renewals", "version": 2 })
    );
    let r = app
        .graphql(
            Some(admin),
            UPDATE,
            json!({ "i": { "accountId": a, "userId": sam.id, "responsibility": null } }),
        )
        .await;
    assert_eq!(
        r.data("updateAccountTeamMember.member"),
        &json!({ "role": "ACCOUNT_MANAGER", "responsibility": null, "version": 3 })
    );
    let r = app
        .graphql(
            Some(admin),
            REMOVE,
            json!({ "i": { "accountId": a, "userId": vic.id } }),
        )
        .await;
    assert_eq!(r.str("removeAccountTeamMember.removedUserId"), vic.id);
    assert_eq!(
        r.data("removeAccountTeamMember.account.team"),
        &json!([
            { "userId": t.admin_id, "role": "OWNER" },
            { "userId": sam.id, "role": "ACCOUNT_MANAGER" }
        ])
    );
}

/// Every write an account manager may make under an account, tried by
/// `who`; each returns whether it was allowed (FORBIDDEN otherwise, with
/// nothing written).
async fn writes_under(app: &TestApp, who: &User, t: &Tenant, account: &str, n: usize) -> Vec<bool> {
    let tok = who.token.as_str();
    let ok = |r: &Gql, path: &str| -> bool {
        if r.body.get("errors").is_some() {
            assert_eq!(r.code(), "FORBIDDEN", "{path}: {}", r.body);
            assert!(r.body["data"].is_null(), "{}", r.body);
            false
        } else {
            assert!(!r.data(path).is_null(), "{path}: {}", r.body);
            true
        }
    };
    let contact = app
        .contact(&t.admin_token, account, "Hank", &format!("S{n}"))
        .await;
    let plan = app
        .plan(&t.admin_token, account, &format!("Plan {n}"))
        .await;
    let mut out = Vec::new();
    let r = app
        .graphql(
            Some(tok),
            "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id } } }",
            json!({ "i": { "id": account, "region": format!("EMEA {n}") } }),
        )
        .await;
    out.push(ok(&r, "updateAccount.account.id"));
    let r = app
        .create_contact(
            tok,
            json!({ "accountId": account, "firstName": "New", "lastName": format!("C{n}") }),
        )
        .await;
    out.push(ok(&r, "createContact.contact.id"));
    let r = app
        .graphql(
            Some(tok),
            "mutation($id: ID!) { updateContact(input: {id: $id, title: \"CFO\"}) { contact { id } } }",
            json!({ "id": contact }),
        )
        .await;
    out.push(ok(&r, "updateContact.contact.id"));
    let r = app
        .graphql(
            Some(tok),
            "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }",
            json!({ "i": { "accountId": account, "kind": "CALL", "occurredAt": "2026-11-02T10:00:00Z", "summary": "Call", "contactIds": [contact] } }),
        )
        .await;
    out.push(ok(&r, "logActivity.activity.id"));
    let r = app
        .graphql(
            Some(tok),
            "mutation($id: ID!) { updatePlan(input: {id: $id, strategySummary: \"Grow\"}) { plan { id } } }",
            json!({ "id": plan }),
        )
        .await;
    out.push(ok(&r, "updatePlan.plan.id"));
    let r = app
        .graphql(
            Some(tok),
            "mutation($a: ID!, $n: String!) { addBusinessUnit(input: {accountId: $a, name: $n, kind: DIVISION}) { businessUnit { id } } }",
            json!({ "a": account, "n": format!("Unit {n}") }),
        )
        .await;
    out.push(ok(&r, "addBusinessUnit.businessUnit.id"));
    let r = app
        .graphql(
            Some(tok),
            ADD,
            json!({ "i": { "accountId": account, "userId": t.admin_id, "role": "SUPPORT" } }),
        )
        .await;
    // The admin is the owner already: a writer gets CONFLICT, not FORBIDDEN.
    out.push(
        if r.body.get("errors").is_some() && r.code() == "FORBIDDEN" {
            false
        } else {
            assert_eq!(r.code(), "CONFLICT", "{}", r.body);
            true
        },
    );
    out
}

#[tokio::test]
async fn account_managers_write_where_they_are_owner_or_account_manager_on_the_team() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let vic = app.user(&t, "VIEWER", "vic").await;
    let a = app.account(admin, "Globex").await;
    let all = |b: bool| vec![b; 7];

    // Off the team: nothing.
    assert_eq!(writes_under(&app, &amy, &t, &a, 0).await, all(false));
    for (n, role) in [(1, "EXECUTIVE_SPONSOR"), (2, "SPECIALIST"), (3, "SUPPORT")] {
        add(&app, admin, &a, &amy.id, role)
            .await
            .data("addAccountTeamMember");
        assert_eq!(
            writes_under(&app, &amy, &t, &a, n).await,
            all(false),
            "{role}"
        );
        app.graphql(
            Some(admin),
            REMOVE,
            json!({ "i": { "accountId": a, "userId": amy.id } }),
        )
        .await
        .data("removeAccountTeamMember");
    }
    // As ACCOUNT_MANAGER on the team: everything under the account.
    add(&app, admin, &a, &amy.id, "ACCOUNT_MANAGER")
        .await
        .data("addAccountTeamMember");
    assert_eq!(writes_under(&app, &amy, &t, &a, 4).await, all(true));
    // But not what only managers do: delete the account, or give it away
    // (the owner's row is not hers to move).
    let r = app
        .graphql(
            Some(&amy.token),
            "mutation($id: ID!) { deleteAccount(input: {id: $id}) { account { id } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(r.code(), "FORBIDDEN");
    // A viewer on the team in a writing role still only reads.
    add(&app, admin, &a, &vic.id, "ACCOUNT_MANAGER")
        .await
        .data("addAccountTeamMember");
    assert_eq!(writes_under(&app, &vic, &t, &a, 5).await, all(false));
    // Removed from the team: nothing again.
    app.graphql(
        Some(admin),
        REMOVE,
        json!({ "i": { "accountId": a, "userId": amy.id } }),
    )
    .await
    .data("removeAccountTeamMember");
    assert_eq!(writes_under(&app, &amy, &t, &a, 6).await, all(false));
}

#[tokio::test]
async fn an_account_manager_on_the_team_hands_the_account_to_a_colleague_only_as_a_writer_who_stays()
 {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let a = app.account(&amy.token, "Globex").await;
    let give = |token: String, owner: String| {
        let app = &app;
        let a = a.clone();
        async move {
            app.graphql(
                Some(&token),
                "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { ownerId } } }",
                json!({ "i": { "id": a, "ownerId": owner } }),
            )
            .await
        }
    };
    // The owner giving it away would leave the team: refused.
    give(amy.token.clone(), sam.id.clone())
        .await
        .assert_error("FORBIDDEN");
    // Sam, an ACCOUNT_MANAGER member, takes it over; Amy is off the team.
    add(&app, &amy.token, &a, &sam.id, "ACCOUNT_MANAGER")
        .await
        .data("addAccountTeamMember");
    let r = give(sam.token.clone(), sam.id.clone()).await;
    assert_eq!(r.str("updateAccount.account.ownerId"), sam.id);
    assert_eq!(
        members(&team(&app, &t.admin_token, &a).await),
        pairs(&[("sam", "OWNER")])
    );
    give(amy.token.clone(), amy.id.clone())
        .await
        .assert_error("FORBIDDEN");
}

#[tokio::test]
async fn an_assignee_on_the_team_completes_their_own_occurrence_and_no_one_elses() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sue = app.user(&t, "ACCOUNT_MANAGER", "sue").await;
    let ned = app.user(&t, "ACCOUNT_MANAGER", "ned").await;
    let a = app.account(admin, "Globex").await;
    let plan = app.plan(admin, &a, "Plan").await;
    let item = |assignee: &str| json!({ "i": { "planId": plan, "title": format!("Call for {assignee}"), "firstDueDate": "2026-03-02", "assigneeId": assignee } });
    let create = "mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { actionItem { id } } }";
    let sues = app
        .graphql(Some(admin), create, item(&sue.id))
        .await
        .str("createActionItem.actionItem.id");
    let neds = app
        .graphql(Some(admin), create, item(&ned.id))
        .await
        .str("createActionItem.actionItem.id");
    let complete = |token: String, id: String| {
        let app = &app;
        async move {
            app.graphql(
                Some(&token),
                "mutation($i: CompleteOccurrenceInput!) { completeOccurrence(input: $i) { assessment { id } actionItem { status } } }",
                json!({ "i": { "actionItemId": id, "dueDate": "2026-03-02", "happened": true, "date": "2026-03-02", "valueDelivered": 4 } }),
            )
            .await
        }
    };
    // Assigned but not on the team: refused.
    complete(sue.token.clone(), sues.clone())
        .await
        .assert_error("FORBIDDEN");
    // On the team as support: her own, yes; Ned's, no.
    add(&app, admin, &a, &sue.id, "SUPPORT")
        .await
        .data("addAccountTeamMember");
    complete(sue.token.clone(), neds.clone())
        .await
        .assert_error("FORBIDDEN");
    let r = complete(sue.token.clone(), sues.clone()).await;
    assert_eq!(r.data("completeOccurrence.actionItem.status"), "DONE");
    // Other writes under the account stay closed to her.
    app.graphql(
        Some(&sue.token),
        "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { actionItem { id } } }",
        json!({ "i": { "id": neds, "title": "Mine now" } }),
    )
    .await
    .assert_error("FORBIDDEN");
    // Ned is not on the team: his own occurrence is refused too.
    complete(ned.token.clone(), neds.clone())
        .await
        .assert_error("FORBIDDEN");
}

#[tokio::test]
async fn teams_stay_inside_their_tenant() {
    let app = spawn_app().await;
    let a_t = app.tenant("alpha").await;
    let b_t = app.tenant("bravo").await;
    let bob = app.user(&b_t, "ACCOUNT_MANAGER", "bob").await;
    let a_acc = app.account(&a_t.admin_token, "Alpha's").await;
    let b_acc = app.account(&b_t.admin_token, "Bravo's").await;
    // Another tenant's user, or another tenant's account: not found.
    let r = add(&app, &a_t.admin_token, &a_acc, &bob.id, "SUPPORT").await;
    assert_eq!((r.code(), r.field()), ("NOT_FOUND", "input.userId"));
    let r = add(&app, &a_t.admin_token, &b_acc, &a_t.admin_id, "SUPPORT").await;
    assert_eq!((r.code(), r.field()), ("NOT_FOUND", "input.accountId"));
    for q in [UPDATE, REMOVE] {
        let r = app
            .graphql(
                Some(&a_t.admin_token),
                q,
                json!({ "i": { "accountId": b_acc, "userId": b_t.admin_id } }),
            )
            .await;
        assert_eq!(r.code(), "NOT_FOUND", "{}", r.body);
    }
    // Each sees only their own accounts and teams.
    let r = app
        .graphql(Some(&a_t.admin_token), MY_ACCOUNTS, json!({}))
        .await;
    assert_eq!(my_account_names(&r), ["Alpha's"]);
    let r = app
        .graphql(
            Some(&a_t.admin_token),
            "query($u: ID!) { accounts(filter: {teamMemberId: $u}) { totalCount } }",
            json!({ "u": b_t.admin_id }),
        )
        .await;
    assert_eq!(r.data("accounts.totalCount"), &json!(0));
    assert_eq!(
        members(&team(&app, &b_t.admin_token, &b_acc).await),
        pairs(&[("Admin", "OWNER")])
    );
}

#[tokio::test]
async fn my_accounts_filter_like_accounts_and_refuse_another_users_team() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    for (name, tier) in [("Alpha", "KEY"), ("Bravo", "GROWTH"), ("Charlie", "KEY")] {
        let a = app
            .create_account(admin, json!({ "name": name, "tier": tier }))
            .await
            .str("createAccount.account.id");
        if name != "Bravo" {
            add(&app, admin, &a, &sam.id, "SPECIALIST")
                .await
                .data("addAccountTeamMember");
        }
    }
    app.account(&sam.token, "Delta").await;
    let r = app.graphql(Some(&sam.token), MY_ACCOUNTS, json!({})).await;
    assert_eq!(my_account_names(&r), ["Alpha", "Charlie", "Delta"]);
    let r = app
        .graphql(
            Some(&sam.token),
            MY_ACCOUNTS,
            json!({ "f": { "tiers": ["KEY"], "teamMemberId": sam.id } }),
        )
        .await;
    assert_eq!(my_account_names(&r), ["Alpha", "Charlie"]);
    assert_eq!(r.data("viewer.accounts.totalCount"), &json!(2));
    let r = app
        .graphql(
            Some(&sam.token),
            MY_ACCOUNTS,
            json!({ "f": { "teamMemberId": t.admin_id } }),
        )
        .await;
    assert_eq!(r.code(), "VALIDATION", "{}", r.body);
    // The admin's view of Sam's accounts, through the tenant-wide filter.
    let r = app
        .graphql(
            Some(admin),
            "query($u: ID!) { accounts(filter: {teamMemberId: $u}) { totalCount edges { node { name } } } }",
            json!({ "u": sam.id }),
        )
        .await;
    assert_eq!(r.data("accounts.totalCount"), &json!(3));
}

#[tokio::test]
async fn teams_and_my_accounts_are_compiled_and_answer_as_the_resolvers_do() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let mut ids = Vec::new();
    for name in ["Alpha", "Bravo", "Charlie"] {
        let a = app.account(admin, name).await;
        add(&app, admin, &a, &sam.id, "SPECIALIST")
            .await
            .data("addAccountTeamMember");
        ids.push(a);
    }
    let docs = [
        "{ accounts(first: 5) { nodes { name team { role responsibility userId user { id displayName role } \
            account { name team { role } } version } } } }",
        "fragment M on AccountTeamMember { role user { displayName } } \
         query { viewer { user { displayName } accounts(first: 2, orderBy: NAME_DESC) { totalCount \
            pageInfo { hasNextPage endCursor } edges { cursor node { id name owner { id } team { ...M } } } } } }",
        "query($id: ID!) { account(id: $id) { name team { __typename role user { __typename id } } \
            contacts(first: 3) { totalCount } } }",
        "query($id: ID!) { node(id: $id) { ... on Account { team { role user { displayName } } } } }",
    ];
    for token in [admin, sam.token.as_str()] {
        for q in docs {
            let vars = if q.contains("$id") {
                json!({ "id": ids[1] })
            } else {
                json!({})
            };
            let v = same(&app, token, q, vars, true).await;
            assert!(!v["data"].is_null(), "{v}");
        }
    }
    let v = same(&app, &sam.token, docs[1], json!({}), true).await;
    assert_eq!(v["data"]["viewer"]["accounts"]["totalCount"], json!(3));
    assert_eq!(
        v["data"]["viewer"]["accounts"]["edges"][0]["node"]["team"],
        json!([{ "role": "OWNER", "user": { "displayName": "Admin" } },
               { "role": "SPECIALIST", "user": { "displayName": "sam" } }])
    );
    // A team per account costs one statement for the whole page (plus the
    // users), on both paths.
    let q = "{ accounts(first: 3) { nodes { name team { role user { displayName } } } } }";
    let (fast, reference) = crate::compiled::both_paths(&app, admin, q).await;
    assert!(fast.statements() <= 3, "{}", fast.statements());
    assert!(reference.statements() <= 3, "{}", reference.statements());
}
