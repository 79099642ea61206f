//! `contact.activities` and `account.activities(filter:)` on the compiled
//! path (an account's list without a filter argument keeps its own hot path
//! in `exec`; with `filter: null` it is read here as the loaders read it):
//! the arguments resolved as the resolver does (a value it would refuse
//! gives way to async-graphql), one page read and (with `totalCount`) one
//! count per level, the nodes' relations one statement each.

use super::compile::{Cc, Fs, sub};
use super::exec::R;
use super::rels::ACTIVITY;
use super::sconn::{self, SConn};
use super::simple::{Rendered, RowsOf, Rq};
use crate::graphql::activity::{ActivityFilterInput, list_args};
use crate::graphql::common::filters::ACTIVITY_ORDER;
use crate::graphql::common::pagination::encode_cursor;
use persistence::entity::{account, activity, contact};
use persistence::repo::activities::{self, ActivityFilter, cursor_key};
use persistence::repo::page::{PageArgs, Position};
use uuid::Uuid;

/// A compiled activity connection of contacts or (filtered) accounts.
pub(super) struct Activities {
    by_contact: bool,
    filter: ActivityFilter,
    args: PageArgs,
    conn: SConn<activity::Model>,
}

/// Compiles `account.activities` with a filter.
pub(super) fn of_accounts<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    Some(Box::new(compile(cc, f, false)?))
}

/// Compiles `contact.activities`.
pub(super) fn of_contacts<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<contact::Model>>> {
    Some(Box::new(compile(cc, f, true)?))
}

fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>, by_contact: bool) -> Option<Activities> {
    let filter: Option<ActivityFilterInput> = cc.arg_or_absent(f, "filter")?;
    let first: Option<i32> = cc.arg_or_absent(f, "first")?;
    let after: Option<String> = cc.arg_or_absent(f, "after")?;
    let last: Option<i32> = cc.arg_or_absent(f, "last")?;
    let before: Option<String> = cc.arg_or_absent(f, "before")?;
    let (filter, args) = list_args(filter, (first, after, last, before)).ok()?;
    let conn = sconn::compile(
        cc,
        &sub(f)?,
        &ACTIVITY,
        ("ActivityConnection", "ActivityEdge"),
    )?;
    Some(Activities {
        by_contact,
        filter,
        args,
        conn,
    })
}

fn cursor(a: &activity::Model) -> String {
    encode_cursor(
        ACTIVITY_ORDER,
        &Position {
            key: cursor_key(a),
            id: a.id,
        },
    )
}

impl Activities {
    async fn render(&self, rq: Rq<'_>, ids: Vec<Uuid>) -> R<Rendered> {
        let (db, t, f) = (rq.db, rq.tenant, &self.filter);
        // The reads the loaders make: an account's list without a filter
        // (`filter: null`, `{}`) is its plain list.
        let plain = !self.by_contact && f.is_empty();
        let pages = if self.by_contact {
            activities::pages_by_contact(db.read(), t, &ids, f, &self.args).await?
        } else if plain {
            activities::pages_by_account(db.read(), t, &ids, &self.args).await?
        } else {
            activities::filtered_pages_by_account(db.read(), t, &ids, f, &self.args).await?
        };
        let counts = match (self.conn.counts(), self.by_contact, plain) {
            (false, ..) => None,
            (true, true, _) => Some(activities::counts_by_contact(db.read(), t, &ids, f).await?),
            (true, false, true) => Some(activities::counts_by_account(db.read(), t, &ids).await?),
            (true, false, false) => {
                Some(activities::filtered_counts_by_account(db.read(), t, &ids, f).await?)
            }
        };
        self.conn.per_parent(rq, ids, &pages, counts, cursor).await
    }
}

sconn::rows_of_accounts_and_contacts!(Activities);
