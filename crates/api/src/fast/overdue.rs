//! `overdueActions` on the compiled path: the service's page of overdue
//! occurrences (authorised there, as for the resolver), each written with
//! its action item's and assessment's field tables. An occurrence has no
//! row: its item and assessment come with it, so a page costs the
//! service's statements and nothing per occurrence.

use super::compile::{Cc, Obj, Sets, leaf, name, no_args, sub};
use super::exec::{Bail, Got, R};
use super::rels::{ACTION_ITEM, ASSESSMENT};
use super::render::comma;
use super::simple::{self, Rq, SObj};
use crate::graphql::common::ids::encode_occurrence;
use crate::graphql::common::json::{self as w, Json};
use crate::services::actions::Occurrence;
use persistence::entity::{action_item, assessment};
use persistence::repo::partial::Columns;

pub(in crate::fast) enum OccurrenceF {
    Typename,
    Id,
    DueDate,
    Overdue,
    ActionItem(SObj<action_item::Model>),
    Assessment(SObj<assessment::Model>),
}

/// The selection on `Occurrence` (`None`: not compiled). Occurrences are
/// not read by columns: the second value is empty.
pub(super) fn object<'d>(cc: &Cc<'d>, sets: &Sets<'d>) -> Option<(Obj<OccurrenceF>, Columns)> {
    let mut out = Vec::new();
    for (key, f) in cc.fields(sets, "Occurrence")? {
        let field = match name(&f) {
            "__typename" if leaf(&f) => OccurrenceF::Typename,
            "id" if leaf(&f) => OccurrenceF::Id,
            "dueDate" if leaf(&f) => OccurrenceF::DueDate,
            "overdue" if leaf(&f) => OccurrenceF::Overdue,
            "actionItem" if no_args(&f) => {
                OccurrenceF::ActionItem(simple::object(cc, &sub(&f)?, &ACTION_ITEM)?)
            }
            "assessment" if no_args(&f) => {
                OccurrenceF::Assessment(simple::object(cc, &sub(&f)?, &ASSESSMENT)?)
            }
            _ => return None,
        };
        out.push((key, field));
    }
    Some((out, Columns::default()))
}

/// Reads the relations selected under the occurrences' action items and
/// assessments (one statement per relation for the whole page).
pub(super) async fn fetch(rq: Rq<'_>, obj: &Obj<OccurrenceF>, rows: &[&Occurrence]) -> R<Vec<Got>> {
    let mut out = Vec::with_capacity(obj.len());
    for (_, f) in obj {
        out.push(match f {
            OccurrenceF::ActionItem(s) => {
                Got::Simple(s.fetch(rq, rows.iter().map(|o| &*o.item)).await?)
            }
            OccurrenceF::Assessment(s) => {
                let assessed = rows.iter().filter_map(|o| o.assessment.as_deref());
                Got::Simple(s.fetch(rq, assessed).await?)
            }
            _ => Got::None,
        });
    }
    Ok(out)
}

pub(super) fn write(
    o: &mut Vec<u8>,
    obj: &Obj<OccurrenceF>,
    got: &[Got],
    occ: &Occurrence,
) -> R<()> {
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(got).enumerate() {
        comma(o, i, key);
        match (f, g) {
            (OccurrenceF::Typename, _) => w::name(o, "Occurrence"),
            (OccurrenceF::Id, _) => encode_occurrence(occ.item.id, occ.due).write_json(o),
            (OccurrenceF::DueDate, _) => w::date(o, occ.due),
            (OccurrenceF::Overdue, _) => w::boolean(o, occ.overdue),
            (OccurrenceF::ActionItem(s), Got::Simple(g)) => s.write(o, &occ.item, g)?,
            (OccurrenceF::Assessment(s), Got::Simple(g)) => match occ.assessment.as_deref() {
                Some(a) => s.write(o, a, g)?,
                None => o.extend_from_slice(b"null"),
            },
            _ => return Err(Bail),
        }
    }
    o.push(b'}');
    Ok(())
}
