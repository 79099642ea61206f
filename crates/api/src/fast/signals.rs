//! `account.signals` and `contact.signals` on the compiled path: the
//! connection's arguments (filter, first/after, last/before) resolved at
//! compile time as the resolver resolves them (a value the resolver would
//! refuse gives way to async-graphql, which reports it), one page read and
//! (with `totalCount`) one count per level for every parent, the nodes'
//! relations (`account`, `contact`, `activity`, `recordedBy`) one statement
//! each, and each parent's connection written as the resolvers write it.

use super::compile::{Cc, Fs, sub};
use super::exec::R;
use super::rels::SIGNAL;
use super::sconn::{self, SConn};
use super::simple::{Rendered, RowsOf, Rq};
use crate::graphql::common::pagination::encode_cursor;
use crate::graphql::evidence::{SIGNAL_ORDER, SignalFilterInput, list_args};
use persistence::entity::{account, account_signal as signal, contact};
use persistence::repo::page::{PageArgs, Position};
use persistence::repo::signals::{self, SignalFilter, SignalsOf, cursor_key};
use uuid::Uuid;

/// A compiled `signals` connection of accounts or contacts.
pub(super) struct Signals {
    of: SignalsOf,
    filter: SignalFilter,
    args: PageArgs,
    conn: SConn<signal::Model>,
}

/// Compiles `account.signals`.
pub(super) fn of_accounts<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    Some(Box::new(compile(cc, f, SignalsOf::Account)?))
}

/// Compiles `contact.signals`.
pub(super) fn of_contacts<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<contact::Model>>> {
    Some(Box::new(compile(cc, f, SignalsOf::Contact)?))
}

fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>, of: SignalsOf) -> Option<Signals> {
    let filter: Option<SignalFilterInput> = cc.arg_or_absent(f, "filter")?;
    let first: Option<i32> = cc.arg_or_absent(f, "first")?;
    let after: Option<String> = cc.arg_or_absent(f, "after")?;
    let last: Option<i32> = cc.arg_or_absent(f, "last")?;
    let before: Option<String> = cc.arg_or_absent(f, "before")?;
    let (filter, args) = list_args(filter, (first, after, last, before)).ok()?;
    let conn = sconn::compile(cc, &sub(f)?, &SIGNAL, ("SignalConnection", "SignalEdge"))?;
    Some(Signals {
        of,
        filter,
        args,
        conn,
    })
}

fn cursor(s: &signal::Model) -> String {
    encode_cursor(
        SIGNAL_ORDER,
        &Position {
            key: cursor_key(s),
            id: s.id,
        },
    )
}

impl Signals {
    async fn render(&self, rq: Rq<'_>, ids: Vec<Uuid>) -> R<Rendered> {
        let (db, t) = (rq.db, rq.tenant);
        let pages = signals::pages(db.read(), t, self.of, &ids, &self.filter, &self.args).await?;
        let counts = if self.conn.counts() {
            Some(signals::counts(db.read(), t, self.of, &ids, &self.filter).await?)
        } else {
            None
        };
        self.conn.per_parent(rq, ids, &pages, counts, cursor).await
    }
}

sconn::rows_of_accounts_and_contacts!(Signals);
