//! Action items: cadence and occurrences, the agenda, assessments with
//! follow-ups, overdue occurrences, permissions and tenancy.

use crate::helpers::*;
use serde_json::{Value, json};

const ITEM_FIELDS: &str = "id title notes cadence firstDueDate repeatUntil status nextOccurrence version \
    plan { id } objective { id } assignee { id displayName } contacts { fullName }";

fn create_query() -> String {
    format!(
        "mutation($i: CreateActionItemInput!) {{ createActionItem(input: $i) {{ actionItem {{ {ITEM_FIELDS} }} }} }}"
    )
}

fn update_query() -> String {
    format!(
        "mutation($i: UpdateActionItemInput!) {{ updateActionItem(input: $i) {{ actionItem {{ {ITEM_FIELDS} }} }} }}"
    )
}

const COMPLETE: &str = "mutation($i: CompleteOccurrenceInput!) { completeOccurrence(input: $i) { \
    assessment { id dueDate happened date valueDelivered learned revise assessedBy { displayName } followUp { id title } actionItem { id } } \
    actionItem { id status } followUp { id title firstDueDate cadence status assignee { id } plan { id } } } }";

const AGENDA: &str = "query($from: NaiveDate!, $to: NaiveDate!) { viewer { agenda(from: $from, to: $to) { \
    dueDate overdue actionItem { title plan { account { name } } } assessment { valueDelivered } } } }";

const ITEM: &str = "query($id: ID!, $from: NaiveDate!, $to: NaiveDate!) { actionItem(id: $id) { title status version \
    nextOccurrence assessments { dueDate valueDelivered followUp { title } } \
    occurrences(from: $from, to: $to) { dueDate overdue assessment { happened } } } }";

const OVERDUE: &str = "query($first: Int, $after: String) { overdueActions(first: $first, after: $after) { \
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { dueDate overdue actionItem { title } } } } }";

/// Today (UTC) shifted by `days`, as `YYYY-MM-DD`. Tests keep two days away
/// from today where "overdue" matters, so the tenant's time zone does not.
fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

/// Creates a plan for `account` and returns its id.
async fn plan(app: &TestApp, token: &str, account: &str) -> String {
    app.graphql(
        Some(token),
        "mutation($i: CreatePlanInput!) { createPlan(input: $i) { plan { id } } }",
        json!({ "i": { "accountId": account, "title": "Growth plan", "periodStart": day(-60), "periodEnd": day(300) } }),
    )
    .await
    .str("createPlan.plan.id")
}

async fn create(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), &create_query(), json!({ "i": input }))
        .await
}

/// Creates an action item and returns its id.
async fn item(app: &TestApp, token: &str, input: Value) -> String {
    create(app, token, input)
        .await
        .str("createActionItem.actionItem.id")
}

async fn update(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), &update_query(), json!({ "i": input }))
        .await
}

async fn complete(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), COMPLETE, json!({ "i": input }))
        .await
}

async fn agenda(app: &TestApp, token: &str, from: &str, to: &str) -> Gql {
    app.graphql(Some(token), AGENDA, json!({ "from": from, "to": to }))
        .await
}

async fn show(app: &TestApp, token: &str, id: &str, from: &str, to: &str) -> Gql {
    app.graphql(
        Some(token),
        ITEM,
        json!({ "id": id, "from": from, "to": to }),
    )
    .await
}

fn dates(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|o| o["dueDate"].as_str().unwrap().to_owned())
        .collect()
}

/// The first common year after this one, and the first leap year after that.
fn years() -> (i32, i32) {
    use chrono::Datelike;
    let leap = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    let this = chrono::Utc::now().year();
    let common = (this + 1..).find(|y| !leap(*y)).unwrap();
    (common, (common + 1..).find(|y| leap(*y)).unwrap())
}

#[tokio::test]
async fn a_monthly_item_from_jan_31_falls_on_the_last_day_of_shorter_months() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let (y, leap) = years();
    let r = create(
        &app,
        &t.admin_token,
        json!({ "planId": p, "title": "Monthly account call", "cadence": "MONTHLY", "firstDueDate": format!("{y}-01-31") }),
    )
    .await;
    let created = r.data("createActionItem.actionItem");
    assert_eq!(created["cadence"], "MONTHLY");
    assert_eq!(created["status"], "OPEN");
    assert_eq!(created["firstDueDate"], json!(format!("{y}-01-31")));
    assert_eq!(created["repeatUntil"], Value::Null);
    assert_eq!(
        created["assignee"]["id"],
        json!(t.admin_id),
        "the assignee defaults to the caller"
    );
    assert_eq!(created["plan"]["id"], json!(p));
    let id = created["id"].as_str().unwrap().to_owned();

    let r = agenda(
        &app,
        &t.admin_token,
        &format!("{y}-01-01"),
        &format!("{y}-04-30"),
    )
    .await;
    assert_eq!(
        dates(r.data("viewer.agenda")),
        [
            format!("{y}-01-31"),
            format!("{y}-02-28"),
            format!("{y}-03-31"),
            format!("{y}-04-30")
        ]
    );
    let r = show(
        &app,
        &t.admin_token,
        &id,
        &format!("{leap}-01-01"),
        &format!("{leap}-03-31"),
    )
    .await;
    assert_eq!(
        dates(r.data("actionItem.occurrences")),
        [
            format!("{leap}-01-31"),
            format!("{leap}-02-29"),
            format!("{leap}-03-31")
        ],
        "leap year"
    );
    assert_eq!(
        r.data("actionItem.nextOccurrence"),
        &json!(format!("{y}-01-31"))
    );

    // A window longer than 366 days, or reversed, is refused.
    let r = agenda(
        &app,
        &t.admin_token,
        &format!("{y}-01-01"),
        &format!("{}-01-03", y + 1),
    )
    .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "to");
    agenda(
        &app,
        &t.admin_token,
        &format!("{y}-02-01"),
        &format!("{y}-01-01"),
    )
    .await
    .assert_error("VALIDATION");
    let r = show(
        &app,
        &t.admin_token,
        &id,
        &format!("{y}-01-01"),
        &format!("{}-01-01", y + 2),
    )
    .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "to");
}

#[tokio::test]
async fn the_agenda_orders_occurrences_across_accounts_by_due_date_and_flags_overdue_ones() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let a = app.account(&am.token, "Acme").await;
    let b = app.account(&am.token, "Beta").await;
    let pa = plan(&app, &am.token, &a).await;
    let pb = plan(&app, &am.token, &b).await;
    item(
        &app,
        &am.token,
        json!({ "planId": pa, "title": "Weekly call", "cadence": "WEEKLY", "firstDueDate": day(-10), "repeatUntil": day(20) }),
    )
    .await;
    item(
        &app,
        &am.token,
        json!({ "planId": pb, "title": "Site visit", "firstDueDate": day(2) }),
    )
    .await;
    item(
        &app,
        &am.token,
        json!({ "planId": pb, "title": "QBR", "cadence": "QUARTERLY", "firstDueDate": day(-5) }),
    )
    .await;
    // Out of the window, and a cancelled item: not on the agenda.
    item(
        &app,
        &am.token,
        json!({ "planId": pa, "title": "Later", "firstDueDate": day(40) }),
    )
    .await;
    let cancelled = item(
        &app,
        &am.token,
        json!({ "planId": pa, "title": "Dropped", "firstDueDate": day(1) }),
    )
    .await;
    update(
        &app,
        &am.token,
        json!({ "id": cancelled, "status": "CANCELLED" }),
    )
    .await
    .data("updateActionItem");

    let r = agenda(&app, &am.token, &day(-14), &day(14)).await;
    let got: Vec<(String, String, bool, String)> = r
        .data("viewer.agenda")
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["dueDate"].as_str().unwrap().to_owned(),
                o["actionItem"]["title"].as_str().unwrap().to_owned(),
                o["overdue"].as_bool().unwrap(),
                o["actionItem"]["plan"]["account"]["name"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    let row = |d: i64, title: &str, overdue: bool, account: &str| {
        (day(d), title.to_owned(), overdue, account.to_owned())
    };
    assert_eq!(
        got,
        [
            row(-10, "Weekly call", true, "Acme"),
            row(-5, "QBR", true, "Beta"),
            row(-3, "Weekly call", true, "Acme"),
            row(2, "Site visit", false, "Beta"),
            row(4, "Weekly call", false, "Acme"),
            row(11, "Weekly call", false, "Acme"),
        ]
    );
}

#[tokio::test]
async fn completing_an_occurrence_records_the_assessment_and_creates_the_follow_up() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let riley = app.user(&t, "ACCOUNT_MANAGER", "riley").await;
    let a = app.account(&am.token, "Acme").await;
    let p = plan(&app, &am.token, &a).await;
    let weekly = item(
        &app,
        &am.token,
        json!({ "planId": p, "title": "Weekly call", "cadence": "WEEKLY", "firstDueDate": day(-10) }),
    )
    .await;
    let r = complete(
        &app,
        &am.token,
        json!({ "actionItemId": weekly, "dueDate": day(-3), "happened": true, "date": day(-2), "valueDelivered": 4,
                "learned": " The CFO wants a TCO study ", "revise": "Add a TCO objective",
                "followUp": { "title": "Send the TCO study", "dueDate": day(7) } }),
    )
    .await;
    let done = r.data("completeOccurrence");
    let s = &done["assessment"];
    assert_eq!(s["dueDate"], json!(day(-3)));
    assert_eq!(s["happened"], true);
    assert_eq!(s["date"], json!(day(-2)));
    assert_eq!(s["valueDelivered"], 4);
    assert_eq!(s["learned"], "The CFO wants a TCO study");
    assert_eq!(s["revise"], "Add a TCO objective");
    assert_eq!(s["assessedBy"]["displayName"], "alex");
    assert_eq!(s["actionItem"]["id"], json!(weekly));
    assert_eq!(
        done["actionItem"]["status"], "OPEN",
        "a recurring item stays open"
    );
    let f = &done["followUp"];
    assert_eq!(f["title"], "Send the TCO study");
    assert_eq!(f["firstDueDate"], json!(day(7)));
    assert_eq!(f["cadence"], "ONCE");
    assert_eq!(f["status"], "OPEN");
    assert_eq!(
        f["assignee"]["id"],
        json!(am.id),
        "the follow-up goes to the same assignee"
    );
    assert_eq!(f["plan"]["id"], json!(p), "in the same plan");
    assert_eq!(s["followUp"]["id"], f["id"]);

    // The item shows the assessment on its occurrence; the overdue flag is gone.
    let r = show(&app, &am.token, &weekly, &day(-10), &day(-3)).await;
    let occ = r.data("actionItem.occurrences");
    assert_eq!(occ[0]["overdue"], true);
    assert_eq!(occ[0]["assessment"], Value::Null);
    assert_eq!(occ[1]["overdue"], false);
    assert_eq!(occ[1]["assessment"]["happened"], true);
    assert_eq!(
        r.data("actionItem.assessments"),
        &json!([{ "dueDate": day(-3), "valueDelivered": 4, "followUp": { "title": "Send the TCO study" } }])
    );
    let r = agenda(&app, &am.token, &day(-10), &day(8)).await;
    let flags: Vec<(String, bool, bool)> = r
        .data("viewer.agenda")
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["dueDate"].as_str().unwrap().to_owned(),
                o["overdue"].as_bool().unwrap(),
                o["assessment"].is_object(),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            (day(-10), true, false),
            (day(-3), false, true),
            (day(4), false, false),
            (day(7), false, false),
        ]
    );

    // Plan.actionItems lists both, by first due date.
    let r = app
        .graphql(
            Some(&am.token),
            "query($id: ID!) { plan(id: $id) { actionItems { title } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(
        r.data("plan.actionItems"),
        &json!([{ "title": "Weekly call" }, { "title": "Send the TCO study" }])
    );

    // A ONCE item is DONE once its occurrence is assessed (not happened:
    // no value); the follow-up may go to someone else.
    let once = item(
        &app,
        &am.token,
        json!({ "planId": p, "title": "Visit", "firstDueDate": day(-4) }),
    )
    .await;
    let r = complete(
        &app,
        &am.token,
        json!({ "actionItemId": once, "dueDate": day(-4), "happened": false, "revise": "Move the visit",
                "followUp": { "title": "Visit again", "dueDate": day(10), "assigneeId": riley.id, "cadence": "ONCE" } }),
    )
    .await;
    assert_eq!(
        r.data("completeOccurrence.actionItem.status"),
        &json!("DONE")
    );
    assert_eq!(
        r.data("completeOccurrence.assessment.valueDelivered"),
        &Value::Null
    );
    assert_eq!(
        r.data("completeOccurrence.assessment.date"),
        &json!(day(-4)),
        "the date defaults to the due date"
    );
    assert_eq!(
        r.data("completeOccurrence.followUp.assignee.id"),
        &json!(riley.id)
    );
    let r = show(&app, &am.token, &once, &day(-5), &day(5)).await;
    assert_eq!(r.data("actionItem.status"), &json!("DONE"));
    assert_eq!(r.data("actionItem.nextOccurrence"), &Value::Null);
    assert_eq!(r.data("actionItem.occurrences.0.overdue"), &json!(false));
}

#[tokio::test]
async fn an_occurrence_is_assessed_once_and_only_real_occurrences_are_assessed() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let id = item(
        &app,
        &t.admin_token,
        json!({ "planId": p, "title": "Monthly call", "cadence": "MONTHLY", "firstDueDate": "2026-01-31" }),
    )
    .await;
    let ok = json!({ "actionItemId": id, "dueDate": "2026-02-28", "happened": true, "date": "2026-02-27", "valueDelivered": 3 });
    complete(&app, &t.admin_token, ok.clone())
        .await
        .data("completeOccurrence");
    let r = complete(&app, &t.admin_token, ok.clone()).await;
    r.assert_error("CONFLICT");
    assert_eq!(r.field(), "input.dueDate");

    let with = |k: &str, v: Value| {
        let mut i = ok.clone();
        i[k] = v;
        i
    };
    for (input, code, field) in [
        (
            with("dueDate", json!("2026-03-28")),
            "VALIDATION",
            "input.dueDate",
        ),
        (
            with("dueDate", json!("2026-01-30")),
            "VALIDATION",
            "input.dueDate",
        ),
        (
            {
                let mut i = with("dueDate", json!("2026-03-31"));
                i["valueDelivered"] = json!(6);
                i
            },
            "VALIDATION",
            "input.valueDelivered",
        ),
        (
            with("valueDelivered", json!(0)),
            "VALIDATION",
            "input.valueDelivered",
        ),
        (with("date", json!(day(5))), "VALIDATION", "input.date"),
        (
            with("followUp", json!({ "title": " ", "dueDate": day(3) })),
            "VALIDATION",
            "input.followUp.title",
        ),
        (
            {
                let mut i = with("dueDate", json!("2026-03-31"));
                i["followUp"] =
                    json!({ "title": "Next", "dueDate": day(3), "assigneeId": missing_id("User") });
                i
            },
            "NOT_FOUND",
            "input.followUp.assigneeId",
        ),
        (
            with("actionItemId", json!(missing_id("ActionItem"))),
            "NOT_FOUND",
            "input.actionItemId",
        ),
    ] {
        let r = complete(&app, &t.admin_token, input.clone()).await;
        r.assert_error(code);
        assert_eq!(r.field(), field, "{input}");
    }
    // March 31 with a valid value now works: the rejected attempts changed nothing.
    let r = complete(&app, &t.admin_token, with("dueDate", json!("2026-03-31"))).await;
    assert_eq!(
        r.data("completeOccurrence.assessment.dueDate"),
        &json!("2026-03-31")
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { actionItems { title assessments { dueDate } } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(
        r.data("plan.actionItems"),
        &json!([{ "title": "Monthly call", "assessments": [{ "dueDate": "2026-02-28" }, { "dueDate": "2026-03-31" }] }]),
        "no follow-up was created by a rejected assessment"
    );

    // A cancelled item is not assessed any more.
    update(
        &app,
        &t.admin_token,
        json!({ "id": id, "status": "CANCELLED" }),
    )
    .await
    .data("updateActionItem");
    let r = complete(&app, &t.admin_token, with("dueDate", json!("2026-04-30"))).await;
    r.assert_error("CONFLICT");
    assert_eq!(r.field(), "input.actionItemId");
}

#[tokio::test]
async fn creating_checks_the_input_contacts_assignee_and_objective() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let b = app.account(&t.admin_token, "Beta").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let other_plan = plan(&app, &t.admin_token, &b).await;
    let zoe = app.contact(&t.admin_token, &a, "Zoe", "Young").await;
    let adam = app.contact(&t.admin_token, &a, "Adam", "Able").await;
    let theirs = app.contact(&t.admin_token, &b, "Other", "Person").await;
    let objective_of = |plan: String| {
        let app = &app;
        let token = t.admin_token.clone();
        async move {
            app.graphql(
                Some(&token),
                "mutation($i: AddObjectiveInput!) { addObjective(input: $i) { objective { id } } }",
                json!({ "i": { "planId": plan, "title": "Grow", "metric": "Revenue", "target": "10", "dueDate": day(200) } }),
            )
            .await
            .str("addObjective.objective.id")
        }
    };
    let objective = objective_of(p.clone()).await;
    let foreign_objective = objective_of(other_plan).await;

    let base =
        json!({ "planId": p, "title": "QBR", "cadence": "QUARTERLY", "firstDueDate": day(30) });
    let with = |k: &str, v: Value| {
        let mut i = base.clone();
        i[k] = v;
        i
    };
    let r = create(
        &app,
        &t.admin_token,
        with("contactIds", json!([zoe, theirs])),
    )
    .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.contactIds");
    for (input, code, field) in [
        (
            with("assigneeId", json!(missing_id("User"))),
            "NOT_FOUND",
            "input.assigneeId",
        ),
        (
            with("objectiveId", json!(foreign_objective)),
            "NOT_FOUND",
            "input.objectiveId",
        ),
        (
            with("planId", json!(missing_id("Plan"))),
            "NOT_FOUND",
            "input.planId",
        ),
        (
            with("planId", json!("nonsense")),
            "VALIDATION",
            "input.planId",
        ),
        (with("title", json!("  ")), "VALIDATION", "input.title"),
        (
            with("repeatUntil", json!(day(10))),
            "VALIDATION",
            "input.repeatUntil",
        ),
        (
            json!({ "planId": p, "title": "Once", "firstDueDate": day(3), "repeatUntil": day(30) }),
            "VALIDATION",
            "input.repeatUntil",
        ),
    ] {
        let r = create(&app, &t.admin_token, input.clone()).await;
        r.assert_error(code);
        assert_eq!(r.field(), field, "{input}");
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { actionItems { id } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(
        r.data("plan.actionItems"),
        &json!([]),
        "nothing was created"
    );

    let mut ok = with("contactIds", json!([zoe, adam, zoe]));
    ok["objectiveId"] = json!(objective);
    ok["notes"] = json!("Bring the roadmap");
    let r = create(&app, &t.admin_token, ok).await;
    let created = r.data("createActionItem.actionItem");
    assert_eq!(
        created["contacts"],
        json!([{ "fullName": "Adam Able" }, { "fullName": "Zoe Young" }])
    );
    assert_eq!(created["objective"]["id"], json!(objective));
    assert_eq!(created["notes"], "Bring the roadmap");
    let id = created["id"].as_str().unwrap().to_owned();
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { ... on ActionItem { title } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r.data("node.title"), &json!("QBR"));
}

#[tokio::test]
async fn updates_are_partial_and_keep_assessed_occurrences() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let b = app.account(&t.admin_token, "Beta").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let zoe = app.contact(&t.admin_token, &a, "Zoe", "Young").await;
    let adam = app.contact(&t.admin_token, &a, "Adam", "Able").await;
    let theirs = app.contact(&t.admin_token, &b, "Other", "Person").await;
    let id = item(
        &app,
        &t.admin_token,
        json!({ "planId": p, "title": "Monthly call", "notes": "n", "cadence": "MONTHLY", "firstDueDate": "2026-01-31",
                "repeatUntil": "2026-12-31", "contactIds": [zoe] }),
    )
    .await;
    let r = update(
        &app,
        &t.admin_token,
        json!({ "id": id, "title": "Monthly call with the CFO" }),
    )
    .await;
    let u = r.data("updateActionItem.actionItem");
    assert_eq!(u["title"], "Monthly call with the CFO");
    assert_eq!(u["notes"], "n");
    assert_eq!(u["cadence"], "MONTHLY");
    assert_eq!(u["repeatUntil"], "2026-12-31");
    assert_eq!(u["contacts"], json!([{ "fullName": "Zoe Young" }]));
    assert_eq!(u["version"], 2);

    let r = update(
        &app,
        &t.admin_token,
        json!({ "id": id, "notes": null, "repeatUntil": null, "assigneeId": am.id, "contactIds": [adam, zoe] }),
    )
    .await;
    let u = r.data("updateActionItem.actionItem");
    assert_eq!(u["notes"], Value::Null);
    assert_eq!(u["repeatUntil"], Value::Null);
    assert_eq!(u["assignee"]["id"], json!(am.id));
    assert_eq!(
        u["contacts"],
        json!([{ "fullName": "Adam Able" }, { "fullName": "Zoe Young" }])
    );
    let r = update(
        &app,
        &t.admin_token,
        json!({ "id": id, "contactIds": null }),
    )
    .await;
    assert_eq!(r.data("updateActionItem.actionItem.contacts"), &json!([]));

    complete(
        &app,
        &t.admin_token,
        json!({ "actionItemId": id, "dueDate": "2026-03-31", "happened": true, "date": "2026-03-31", "valueDelivered": 5 }),
    )
    .await
    .data("completeOccurrence");
    for (input, field) in [
        (json!({ "cadence": "WEEKLY" }), "input.cadence"),
        (
            json!({ "firstDueDate": "2026-01-30" }),
            "input.firstDueDate",
        ),
        (json!({ "repeatUntil": "2026-03-30" }), "input.repeatUntil"),
        (json!({ "title": null }), "input.title"),
        (json!({ "cadence": null }), "input.cadence"),
        (json!({ "assigneeId": null }), "input.assigneeId"),
        (json!({ "contactIds": [theirs] }), "input.contactIds"),
    ] {
        let mut i = input.clone();
        i["id"] = json!(id);
        let r = update(&app, &t.admin_token, i).await;
        let code = if field == "input.contactIds" {
            "NOT_FOUND"
        } else {
            "VALIDATION"
        };
        r.assert_error(code);
        assert_eq!(r.field(), field, "{input}");
    }
    // Keeping March 31: a quarterly series from Dec 31 still has it.
    let r = update(
        &app,
        &t.admin_token,
        json!({ "id": id, "cadence": "QUARTERLY", "firstDueDate": "2025-12-31" }),
    )
    .await;
    assert_eq!(
        r.data("updateActionItem.actionItem.cadence"),
        &json!("QUARTERLY")
    );
    let r = show(&app, &t.admin_token, &id, "2026-01-01", "2026-12-31").await;
    assert_eq!(
        dates(r.data("actionItem.occurrences")),
        ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
    );
    assert_eq!(
        r.data("actionItem.version"),
        &json!(5),
        "rejected updates changed nothing"
    );
}

#[tokio::test]
async fn viewers_and_account_managers_of_other_accounts_cannot_write_action_items() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let input = json!({ "planId": p, "title": "Call", "cadence": "WEEKLY", "firstDueDate": day(-7), "assigneeId": am.id });
    let id = item(&app, &t.admin_token, input.clone()).await;
    let assess =
        json!({ "actionItemId": id, "dueDate": day(-7), "happened": true, "valueDelivered": 2 });
    for who in [&viewer, &am] {
        create(&app, &who.token, input.clone())
            .await
            .assert_error("FORBIDDEN");
        update(&app, &who.token, json!({ "id": id, "title": "Mine now" }))
            .await
            .assert_error("FORBIDDEN");
        complete(&app, &who.token, assess.clone())
            .await
            .assert_error("FORBIDDEN");
    }
    // The assignee reads the item on the agenda all the same.
    let r = agenda(&app, &am.token, &day(-7), &day(-7)).await;
    assert_eq!(r.data("viewer.agenda.0.actionItem.title"), &json!("Call"));
    let r = show(&app, &viewer.token, &id, &day(-7), &day(0)).await;
    assert_eq!(r.data("actionItem.title"), &json!("Call"));
    assert_eq!(r.data("actionItem.version"), &json!(1));
    assert_eq!(r.data("actionItem.assessments"), &json!([]));
    // Sales managers write any account's items.
    create(&app, &sm.token, input)
        .await
        .data("createActionItem");
    complete(&app, &sm.token, assess)
        .await
        .data("completeOccurrence");
}

#[tokio::test]
async fn overdue_actions_are_listed_oldest_first_for_sales_managers_and_admins_only() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let riley = app.user(&t, "ACCOUNT_MANAGER", "riley").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let a = app.account(&am.token, "Acme").await;
    let b = app.account(&riley.token, "Beta").await;
    let pa = plan(&app, &am.token, &a).await;
    let pb = plan(&app, &riley.token, &b).await;
    let weekly = item(
        &app,
        &am.token,
        json!({ "planId": pa, "title": "Weekly call", "cadence": "WEEKLY", "firstDueDate": day(-15) }),
    )
    .await;
    item(
        &app,
        &riley.token,
        json!({ "planId": pb, "title": "Visit", "firstDueDate": day(-9) }),
    )
    .await;
    item(
        &app,
        &riley.token,
        json!({ "planId": pb, "title": "Upcoming", "firstDueDate": day(3) }),
    )
    .await;
    let cancelled = item(
        &app,
        &riley.token,
        json!({ "planId": pb, "title": "Dropped", "firstDueDate": day(-4) }),
    )
    .await;
    update(
        &app,
        &riley.token,
        json!({ "id": cancelled, "status": "CANCELLED" }),
    )
    .await
    .data("updateActionItem");
    complete(
        &app,
        &am.token,
        json!({ "actionItemId": weekly, "dueDate": day(-8), "happened": true, "valueDelivered": 3 }),
    )
    .await
    .data("completeOccurrence");

    for who in [&am, &viewer] {
        let r = app
            .graphql(Some(&who.token), OVERDUE, json!({ "first": 10 }))
            .await;
        r.assert_error("FORBIDDEN");
    }
    let expected = [
        (day(-15), "Weekly call"),
        (day(-9), "Visit"),
        (day(-1), "Weekly call"),
    ];
    for token in [&sm.token, &t.admin_token] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let r = app
                .graphql(Some(token), OVERDUE, json!({ "first": 2, "after": after }))
                .await;
            let conn = r.data("overdueActions");
            // The whole list, whichever page.
            assert_eq!(conn["totalCount"], 3);
            for e in conn["edges"].as_array().unwrap() {
                assert_eq!(e["node"]["overdue"], true);
                seen.push((
                    e["node"]["dueDate"].as_str().unwrap().to_owned(),
                    e["node"]["actionItem"]["title"]
                        .as_str()
                        .unwrap()
                        .to_owned(),
                ));
            }
            assert_eq!(conn["pageInfo"]["hasPreviousPage"], json!(after.is_some()));
            if conn["pageInfo"]["hasNextPage"] != json!(true) {
                break;
            }
            after = Some(conn["pageInfo"]["endCursor"].as_str().unwrap().to_owned());
        }
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(d, s)| (d.clone(), (*s).to_owned()))
            .collect();
        assert_eq!(seen, want);
        // Backwards: `last` before a cursor, the same rows in the same order.
        let mut back = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let r = app
                .graphql(
                    Some(token),
                    OVERDUE_BACK,
                    json!({ "last": 2, "before": before }),
                )
                .await;
            let conn = r.data("overdueActions");
            let page: Vec<(String, String)> = conn["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e["node"]["dueDate"].as_str().unwrap().to_owned(),
                        e["node"]["actionItem"]["title"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                    )
                })
                .collect();
            back.splice(0..0, page);
            assert_eq!(conn["pageInfo"]["hasNextPage"], json!(before.is_some()));
            if conn["pageInfo"]["hasPreviousPage"] != json!(true) {
                break;
            }
            before = Some(conn["pageInfo"]["startCursor"].as_str().unwrap().to_owned());
        }
        assert_eq!(back, want);
    }
    let r = app
        .graphql(
            Some(&sm.token),
            OVERDUE,
            json!({ "first": 2, "after": "garbage" }),
        )
        .await;
    r.assert_error("VALIDATION");
    let r = app
        .graphql(
            Some(&sm.token),
            OVERDUE_BACK,
            json!({ "last": 2, "before": "garbage" }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "before");
}

const OVERDUE_BACK: &str = "query($last: Int, $before: String) { overdueActions(last: $last, before: $before) { \
    pageInfo { hasNextPage hasPreviousPage startCursor } edges { cursor node { dueDate overdue actionItem { title } } } } }";

#[tokio::test]
async fn ids_of_another_tenant_are_not_found_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a).await;
    let zoe = app.contact(&t.admin_token, &a, "Zoe", "Young").await;
    let id = item(
        &app,
        &t.admin_token,
        json!({ "planId": p, "title": "Call", "cadence": "WEEKLY", "firstDueDate": day(-7), "contactIds": [zoe] }),
    )
    .await;

    let other = app.tenant("other").await;
    let b = app.account(&other.admin_token, "Theirs").await;
    let pb = plan(&app, &other.admin_token, &b).await;
    let r = create(
        &app,
        &other.admin_token,
        json!({ "planId": p, "title": "Sneak", "firstDueDate": day(3) }),
    )
    .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.planId");
    for (k, v, field) in [
        ("contactIds", json!([zoe]), "input.contactIds"),
        ("assigneeId", json!(t.admin_id), "input.assigneeId"),
    ] {
        let mut i = json!({ "planId": pb, "title": "Sneak", "firstDueDate": day(3) });
        i[k] = v;
        let r = create(&app, &other.admin_token, i).await;
        r.assert_error("NOT_FOUND");
        assert_eq!(r.field(), field);
    }
    let r = update(
        &app,
        &other.admin_token,
        json!({ "id": id, "title": "Hijacked" }),
    )
    .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    let r = complete(
        &app,
        &other.admin_token,
        json!({ "actionItemId": id, "dueDate": day(-7), "happened": true, "valueDelivered": 5 }),
    )
    .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.actionItemId");
    show(&app, &other.admin_token, &id, &day(-7), &day(0))
        .await
        .assert_error("NOT_FOUND");
    let r = app
        .graphql(
            Some(&other.admin_token),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    let r = app
        .graphql(Some(&other.admin_token), OVERDUE, json!({ "first": 10 }))
        .await;
    assert_eq!(r.data("overdueActions.edges"), &json!([]));

    let r = show(&app, &t.admin_token, &id, &day(-7), &day(0)).await;
    assert_eq!(r.data("actionItem.title"), &json!("Call"));
    assert_eq!(r.data("actionItem.version"), &json!(1));
    assert_eq!(r.data("actionItem.assessments"), &json!([]));
    let r = app
        .graphql(
            Some(&other.admin_token),
            "query($id: ID!) { plan(id: $id) { actionItems { id } } }",
            json!({ "id": pb }),
        )
        .await;
    assert_eq!(r.data("plan.actionItems"), &json!([]));
}

#[tokio::test]
async fn the_agenda_of_one_user_never_shows_another_users_items() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let riley = app.user(&t, "ACCOUNT_MANAGER", "riley").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a).await;
    for (who, title) in [(&alex, "Alex's call"), (&riley, "Riley's call")] {
        item(
            &app,
            &t.admin_token,
            json!({ "planId": p, "title": title, "cadence": "DAILY", "firstDueDate": day(-3), "assigneeId": who.id }),
        )
        .await;
    }
    let other = app.tenant("other").await;
    let b = app.account(&other.admin_token, "Theirs").await;
    let pb = plan(&app, &other.admin_token, &b).await;
    item(
        &app,
        &other.admin_token,
        json!({ "planId": pb, "title": "Other tenant's call", "cadence": "DAILY", "firstDueDate": day(-3) }),
    )
    .await;
    for (who, title) in [(&alex, "Alex's call"), (&riley, "Riley's call")] {
        let r = agenda(&app, &who.token, &day(-3), &day(3)).await;
        let list = r.data("viewer.agenda").as_array().unwrap();
        assert_eq!(list.len(), 7);
        assert!(
            list.iter().all(|o| o["actionItem"]["title"] == title),
            "{list:?}"
        );
    }
    let r = agenda(&app, &t.admin_token, &day(-3), &day(3)).await;
    assert_eq!(
        r.data("viewer.agenda"),
        &json!([]),
        "the admin has nothing assigned"
    );
}

#[tokio::test]
async fn plans_with_action_items_and_the_agenda_cost_a_bounded_number_of_statements() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    const PLANS: &str = "query { plans(first: 50) { edges { node { title actionItems { title cadence nextOccurrence \
        assignee { displayName } contacts { fullName } objective { title } assessments { valueDelivered assessedBy { displayName } } } } } } }";
    let mut counts = Vec::new();
    for round in 0..2 {
        let plans_now = if round == 0 { 1 } else { 5 };
        for i in 0..plans_now {
            let a = app
                .account(&t.admin_token, &format!("Account {round}-{i}"))
                .await;
            let c = app
                .contact(&t.admin_token, &a, "Ann", &format!("A{i}"))
                .await;
            let p = plan(&app, &t.admin_token, &a).await;
            for j in 0..3 {
                let id = item(
                    &app,
                    &t.admin_token,
                    json!({ "planId": p, "title": format!("Item {j}"), "cadence": "WEEKLY", "firstDueDate": day(-20 + j), "contactIds": [c] }),
                )
                .await;
                complete(
                    &app,
                    &t.admin_token,
                    json!({ "actionItemId": id, "dueDate": day(-20 + j), "happened": true, "valueDelivered": 3 }),
                )
                .await
                .data("completeOccurrence");
            }
        }
        // Compiled from the second request of the document on.
        app.graphql(Some(&t.admin_token), PLANS, json!({})).await;
        let r = app.graphql(Some(&t.admin_token), PLANS, json!({})).await;
        assert_eq!(r.execution(), "compiled");
        let edges = r.data("plans.edges").as_array().unwrap();
        assert!(
            edges
                .iter()
                .all(|e| e["node"]["actionItems"].as_array().unwrap().len() == 3)
        );
        assert!(
            edges
                .iter()
                .all(|e| e["node"]["actionItems"][0]["nextOccurrence"].is_string())
        );
        counts.push(r.statements());
        let r = agenda(&app, &t.admin_token, &day(-20), &day(20)).await;
        assert!(!r.data("viewer.agenda").as_array().unwrap().is_empty());
        counts.push(r.statements());
    }
    assert_eq!(counts[0], counts[2], "plans: {counts:?}");
    assert_eq!(counts[1], counts[3], "agenda: {counts:?}");
    // plans, their items, the tenant's today, assessments from today (next
    // occurrence), assignees and assessors (the same user here: read once
    // per request), contact links, contacts, all assessments.
    assert_eq!(counts[0], 8, "plans: {counts:?}");
    // the viewer, the tenant's today, the items, their assessments, their
    // plans, the plans' accounts.
    assert_eq!(counts[1], 6, "agenda: {counts:?}");
}
