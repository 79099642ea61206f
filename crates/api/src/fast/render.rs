//! Writing a fetched [`Plan`](super::Plan) as JSON: the root fields, the
//! objects of each type and connections, straight into the response
//! buffer, from what `exec` fetched (one `Got` per field and level).

use super::compile::{
    AccountF, ActivityF, Conn, ConnF, ContactF, EdgeF, Key, Obj, ObjectiveF, PageInfoF, PlanF,
    RefLeaf, RootF, UserSel, ViewerF,
};
use super::exec::{Bail, ConnGot, Got, R, RootGot, ViewerPart};
use super::simple::{self, write_leaves};
use super::whitespace;
use crate::graphql::common::filters::{
    ACTIVITY_ORDER, CHILD_ACCOUNT_ORDER, CONTACT_ORDER, PLAN_ORDER, RENEWAL_ORDER, USER_ORDER,
    overdue_cursor,
};
use crate::graphql::common::ids::Kind;
use crate::graphql::common::json as w;
use crate::graphql::common::pagination::encode_cursor;
use persistence::entity::{account, account_plan, activity, contact, objective, user};
use persistence::repo::page::{Page, Position};
use persistence::repo::{activities, plans};
use uuid::Uuid;

/// Writes the root fields (after `{"data":{`).
pub(super) fn write_root(o: &mut Vec<u8>, root: &Obj<RootF>, got: &[RootGot]) -> R<()> {
    for (i, ((key, f), g)) in root.iter().zip(got).enumerate() {
        comma(o, i, key);
        write_root_field(o, f, g)?;
    }
    Ok(())
}

/// Writes one root field's value (also `viewer.accounts`, a root field's
/// plan under `viewer`).
fn write_root_field(o: &mut Vec<u8>, f: &RootF, g: &RootGot) -> R<()> {
    match (f, g) {
        (RootF::Typename, _) => w::name(o, "Query"),
        (RootF::Account { sel, .. }, RootGot::Account(row, g))
        | (
            RootF::Node {
                account: (sel, _), ..
            },
            RootGot::Account(row, g),
        ) => {
            write_account(o, sel, g, row)?;
        }
        (
            RootF::Node {
                plan: Some(sel), ..
            },
            RootGot::Plan(row, g),
        ) => {
            write_plan(o, sel, g, row)?;
        }
        (
            RootF::Node {
                user: Some(sel), ..
            },
            RootGot::User(row),
        ) => {
            write_leaves(o, sel, &**row);
        }
        (RootF::Users { conn, .. }, RootGot::Users(page, g)) => {
            write_conn(
                o,
                conn,
                g,
                (Uuid::nil(), page),
                &|u: &user::Model| {
                    encode_cursor(
                        USER_ORDER,
                        &Position {
                            key: u.email_key.clone(),
                            id: u.id,
                        },
                    )
                },
                |o, s, _, u| {
                    write_leaves(o, s, u);
                    Ok(())
                },
            )?;
        }
        (RootF::Node { .. } | RootF::ById { .. }, RootGot::Rendered(json)) => {
            o.extend_from_slice(json);
        }
        (RootF::Overdue { conn, .. }, RootGot::Overdue(page, g)) => {
            write_conn(
                o,
                conn,
                g,
                (Uuid::nil(), page),
                &overdue_cursor,
                super::overdue::write,
            )?;
        }
        (RootF::Plans { conn, .. }, RootGot::Plans(page, g)) => {
            write_conn(o, conn, g, (Uuid::nil(), page), &plan_cursor, write_plan)?;
        }
        (RootF::Viewer(sel), RootGot::Viewer(got)) => {
            o.push(b'{');
            for (i, ((key, f), part)) in sel.iter().zip(&got.parts).enumerate() {
                comma(o, i, key);
                match (f, part) {
                    (ViewerF::Typename, _) => w::name(o, "Viewer"),
                    (ViewerF::User(s), _) => write_leaves(o, s, &got.user),
                    (ViewerF::Tenant(s), ViewerPart::Tenant(g)) => {
                        s.write(o, got.tenant.as_ref().ok_or(Bail)?, g)?;
                    }
                    (ViewerF::Accounts(root), ViewerPart::Accounts(g)) => {
                        write_root_field(o, root, g)?;
                    }
                    (ViewerF::Agenda { obj, .. }, ViewerPart::Agenda(rows, g)) => {
                        o.push(b'[');
                        for (i, occ) in rows.iter().enumerate() {
                            if i > 0 {
                                o.push(b',');
                            }
                            super::overdue::write(o, obj, g, occ)?;
                        }
                        o.push(b']');
                    }
                    (ViewerF::Agenda { .. } | ViewerF::Accounts(_) | ViewerF::Tenant(_), _) => {
                        return Err(Bail);
                    }
                }
            }
            o.push(b'}');
        }
        (RootF::Alerts { conn, .. }, RootGot::Alerts(page, g)) => {
            let cursor = |a: &persistence::entity::jeopardy_alert::Model| {
                encode_cursor(
                    crate::graphql::alerts::ALERT_ORDER,
                    &Position {
                        key: persistence::repo::alerts::cursor_key(a),
                        id: a.id,
                    },
                )
            };
            conn.write(o, page, g, &cursor)?;
        }
        (RootF::Renewals { conn, .. }, RootGot::Renewals(page, g)) => {
            let cursor = |c: &persistence::entity::contract::Model| {
                encode_cursor(
                    RENEWAL_ORDER,
                    &Position {
                        key: persistence::repo::contracts::cursor_key(c),
                        id: c.id,
                    },
                )
            };
            conn.write(o, page, g, &cursor)?;
        }
        (RootF::Portfolio(obj), RootGot::Portfolio(p, g)) => obj.write(o, p, g)?,
        (RootF::Products { obj, .. }, RootGot::Products(rows, g)) => {
            obj.write_list(o, rows, g)?;
        }
        (RootF::Contact { sel, .. }, RootGot::Contact(row, g))
        | (
            RootF::Node {
                contact: (sel, _), ..
            },
            RootGot::Contact(row, g),
        ) => {
            write_contact(o, sel, g, row)?;
        }
        (RootF::Accounts { conn, .. }, RootGot::Accounts(page, g, order)) => {
            let cursor = |a: &account::Model| {
                encode_cursor(
                    order.code(),
                    &Position {
                        key: order.repo().key_of(a),
                        id: a.id,
                    },
                )
            };
            write_conn(o, conn, g, (Uuid::nil(), page), &cursor, write_account)?;
        }
        _ => return Err(Bail),
    }
    Ok(())
}

pub(super) fn comma(o: &mut Vec<u8>, i: usize, key: &Key) {
    if i > 0 {
        o.push(b',');
    }
    o.extend_from_slice(key.bytes());
}

/// The user `id` for a user field: from the fetched rows, or from the id
/// alone when the selection needs nothing else. A user that is not there is
/// `null`, or gives way when the field is non-null (`required`).
fn write_user(o: &mut Vec<u8>, sel: &UserSel, g: &Got, id: Uuid, required: bool) -> R<()> {
    match (sel, g) {
        (UserSel::Ref(obj), _) => {
            o.push(b'{');
            for (i, (key, f)) in obj.iter().enumerate() {
                comma(o, i, key);
                match f {
                    RefLeaf::Id => w::id(o, Kind::User, id),
                    RefLeaf::Typename => w::name(o, "User"),
                }
            }
            o.push(b'}');
        }
        (UserSel::Row(obj), Got::Users(m)) => match m.get(&id) {
            Some(u) => write_leaves(o, obj, u),
            None if required => return Err(Bail),
            None => w::null(o),
        },
        _ => return Err(Bail),
    }
    Ok(())
}

type Writer<F, Row> = fn(&mut Vec<u8>, &Obj<F>, &[Got], &Row) -> R<()>;

/// Writes a connection of the parent `parent` (`Uuid::nil()` for a root
/// list: the key of its `totalCount`).
fn write_conn<F, Row, P: std::borrow::Borrow<Row>>(
    o: &mut Vec<u8>,
    conn: &Conn<F>,
    got: &[ConnGot],
    (parent, page): (Uuid, &Page<P>),
    cursor: &dyn Fn(&Row) -> String,
    node: Writer<F, Row>,
) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in conn.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (ConnF::Typename(t), _) => w::name(o, t),
            (ConnF::TotalCount, ConnGot::Count(m)) => {
                w::int(o, m.get(&parent).copied().unwrap_or(0));
            }
            (ConnF::PageInfo(s), _) => {
                o.push(b'{');
                for (i, (key, f)) in s.iter().enumerate() {
                    comma(o, i, key);
                    match f {
                        PageInfoF::Typename => w::name(o, "PageInfo"),
                        PageInfoF::HasNextPage => w::boolean(o, page.has_next),
                        PageInfoF::HasPreviousPage => w::boolean(o, page.has_previous),
                        PageInfoF::StartCursor => {
                            w::opt(o, page.rows.first(), |r, o| w::str(o, &cursor(r.borrow())));
                        }
                        PageInfoF::EndCursor => {
                            w::opt(o, page.rows.last(), |r, o| w::str(o, &cursor(r.borrow())));
                        }
                    }
                }
                o.push(b'}');
            }
            (ConnF::Nodes(s), ConnGot::Nodes(g)) => {
                o.push(b'[');
                for (i, r) in page.rows.iter().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    node(o, s, g, r.borrow())?;
                }
                o.push(b']');
            }
            (ConnF::Edges(s), ConnGot::Edges(g)) => {
                o.push(b'[');
                for (i, r) in page.rows.iter().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    o.push(b'{');
                    for (j, ((key, f), g)) in s.iter().zip(g).enumerate() {
                        comma(o, j, key);
                        match f {
                            EdgeF::Typename(t) => w::name(o, t),
                            EdgeF::Cursor => w::str(o, &cursor(r.borrow())),
                            EdgeF::Node(s) => node(o, s, g, r.borrow())?,
                        }
                    }
                    o.push(b'}');
                }
                o.push(b']');
            }
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}

fn empty<T>() -> Page<T> {
    Page {
        rows: Vec::new(),
        has_next: false,
        has_previous: false,
    }
}

/// A plan's cursor in its lists (newest period first).
fn activity_cursor(a: &activity::Model) -> String {
    encode_cursor(
        ACTIVITY_ORDER,
        &Position {
            key: activities::cursor_key(a),
            id: a.id,
        },
    )
}

fn write_activity(
    o: &mut Vec<u8>,
    obj: &Obj<ActivityF>,
    got: &[Got],
    a: &activity::Model,
) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match f {
            ActivityF::Row(f) => simple::write_field(o, f, a),
            ActivityF::Rel(r) => {
                let Got::Rendered(g) = g else {
                    return Err(Bail);
                };
                r.write(o, a, g)?;
            }
            ActivityF::LoggedBy(s) => match a.created_by {
                Some(id) => write_user(o, s, g, id, false)?,
                None => w::null(o),
            },
            ActivityF::Account(s, _) => {
                let Got::Accounts(m, g) = g else {
                    return Err(Bail);
                };
                write_account(o, s, g, m.get(&a.account_id).ok_or(Bail)?)?;
            }
            ActivityF::Contacts(s, _) => {
                let Got::ActivityContacts(of, rows, g) = g else {
                    return Err(Bail);
                };
                // Live contacts only (a deleted one is not found), in name order.
                let mut list: Vec<&contact::Model> = of
                    .get(&a.id)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| rows.get(id).map(|r| &**r))
                    .collect();
                list.sort_by(|x, y| (&x.name_key, x.id).cmp(&(&y.name_key, y.id)));
                o.push(b'[');
                for (i, c) in list.into_iter().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    write_contact(o, s, g, c)?;
                }
                o.push(b']');
            }
        }
    }
    o.push(b'}');
    Ok(())
}

fn plan_cursor(p: &account_plan::Model) -> String {
    encode_cursor(
        PLAN_ORDER,
        &Position {
            key: plans::cursor_key(p),
            id: p.id,
        },
    )
}

fn write_account(o: &mut Vec<u8>, obj: &Obj<AccountF>, got: &[Got], a: &account::Model) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (AccountF::Row(f), _) => simple::write_field(o, f, a),
            (AccountF::Rel(r), Got::Rendered(g)) => r.write(o, a, g)?,
            (AccountF::WhiteSpace(s), Got::WhiteSpace(g)) => whitespace::write(o, s, g, a.id)?,
            (AccountF::Owner(s), g) => write_user(o, s, g, a.owner_id, true)?,
            (AccountF::Contacts(_, conn, _), Got::Contacts(pages, g)) => {
                let none = empty();
                let page = pages.get(&a.id).unwrap_or(&none);
                let cursor = |c: &contact::Model| {
                    encode_cursor(
                        CONTACT_ORDER,
                        &Position {
                            key: c.name_key.clone(),
                            id: c.id,
                        },
                    )
                };
                write_conn(o, conn, g, (a.id, page), &cursor, write_contact)?;
            }
            (AccountF::Plans(_, conn, _), Got::Plans(pages, g)) => {
                let none = empty();
                let page = pages.get(&a.id).unwrap_or(&none);
                write_conn(o, conn, g, (a.id, page), &plan_cursor, write_plan)?;
            }
            (AccountF::Activities(_, conn, _), Got::Activities(pages, g)) => {
                let none = empty();
                let page = pages.get(&a.id).unwrap_or(&none);
                write_conn(o, conn, g, (a.id, page), &activity_cursor, write_activity)?;
            }
            (AccountF::Children(_, conn, _), Got::Children(pages, g)) => {
                let none = empty();
                let page = pages.get(&a.id).unwrap_or(&none);
                let cursor = |c: &account::Model| {
                    encode_cursor(
                        CHILD_ACCOUNT_ORDER,
                        &Position {
                            key: c.name_key.clone(),
                            id: c.id,
                        },
                    )
                };
                write_conn(o, conn, g, (a.id, page), &cursor, write_account)?;
            }
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}

fn write_contact(o: &mut Vec<u8>, obj: &Obj<ContactF>, got: &[Got], c: &contact::Model) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (ContactF::Row(f), _) => simple::write_field(o, f, c),
            (ContactF::Account(s, _), Got::Accounts(m, g)) => {
                write_account(o, s, g, m.get(&c.account_id).ok_or(Bail)?)?;
            }
            (ContactF::ReportsTo(s, _), Got::ContactsById(m, g)) => {
                match c.reports_to_id.and_then(|id| m.get(&id)) {
                    Some(r) => write_contact(o, s, g, r)?,
                    None => w::null(o),
                }
            }
            (ContactF::DirectReports(s, _), Got::Reports(m, g)) => {
                o.push(b'[');
                for (i, r) in m.get(&c.id).into_iter().flatten().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    write_contact(o, s, g, r)?;
                }
                o.push(b']');
            }
            (ContactF::Rel(r), Got::Rendered(g)) => r.write(o, c, g)?,
            (ContactF::RelationshipOwner(s), g) => match c.relationship_owner_id {
                Some(id) => write_user(o, s, g, id, false)?,
                None => w::null(o),
            },
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}

fn write_plan(o: &mut Vec<u8>, obj: &Obj<PlanF>, got: &[Got], p: &account_plan::Model) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (PlanF::Row(f), _) => simple::write_field(o, f, p),
            (PlanF::Children(_), Got::Rendered(r)) => r.write(o, p.id),
            (PlanF::Owner(s), g) => write_user(o, s, g, p.owner_id, true)?,
            (PlanF::Account(s, _), Got::Accounts(m, g)) => {
                write_account(o, s, g, m.get(&p.account_id).ok_or(Bail)?)?;
            }
            (PlanF::Objectives(s, _), Got::Objectives(read, g)) => {
                o.push(b'[');
                for (i, x) in read.by_plan.get(&p.id).into_iter().flatten().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    write_objective(o, s, g, x)?;
                }
                o.push(b']');
            }
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}

fn write_objective(
    o: &mut Vec<u8>,
    obj: &Obj<ObjectiveF>,
    got: &[Got],
    x: &objective::Model,
) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (ObjectiveF::Row(f), _) => simple::write_field(o, f, x),
            (ObjectiveF::Owner(s), g) => match x.owner_id {
                Some(id) => write_user(o, s, g, id, false)?,
                None => w::null(o),
            },
            (ObjectiveF::Children(_), Got::Rendered(r)) => r.write(o, x.id),
            (ObjectiveF::Rel(r), Got::Rendered(g)) => r.write(o, x, g)?,
            (ObjectiveF::Plan(s), Got::PlansById(m, g)) => {
                write_plan(o, s, g, m.get(&x.plan_id).ok_or(Bail)?)?;
            }
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}
