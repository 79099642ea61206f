//! `overdueActions` on the compiled path: the service's page of overdue
//! occurrences (authorised there, as for the resolver), each written with
//! its action item's and assessment's field tables. An occurrence has no
//! row: its item and assessment come with it, so a page costs the
//! service's statements and nothing per occurrence.

use super::compile::{Cc, Obj, Sets, leaf, name, no_args, sub};
use super::render::comma;
use super::simple::{self, SimpleF, Table, table};
use crate::graphql::common::ids::encode_occurrence;
use crate::graphql::common::json::{self as w, Json};
use crate::graphql::fields;
use crate::services::actions::Occurrence;
use persistence::entity::{action_item, assessment};
use persistence::repo::partial::Columns;

const ACTION_ITEM: Table<action_item::Model> = table!("ActionItem", fields::action_item);
const ASSESSMENT: Table<assessment::Model> = table!("Assessment", fields::assessment);

pub(in crate::fast) enum OccurrenceF {
    Typename,
    Id,
    DueDate,
    Overdue,
    ActionItem(Obj<SimpleF<action_item::Model>>),
    Assessment(Obj<SimpleF<assessment::Model>>),
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

pub(super) fn write(o: &mut Vec<u8>, obj: &Obj<OccurrenceF>, occ: &Occurrence) {
    o.push(b'{');
    for (i, (key, f)) in obj.iter().enumerate() {
        comma(o, i, key);
        match f {
            OccurrenceF::Typename => w::name(o, "Occurrence"),
            OccurrenceF::Id => encode_occurrence(occ.item.id, occ.due).write_json(o),
            OccurrenceF::DueDate => w::date(o, occ.due),
            OccurrenceF::Overdue => w::boolean(o, occ.overdue),
            OccurrenceF::ActionItem(s) => simple::write_object(o, s, &occ.item),
            OccurrenceF::Assessment(s) => w::opt(o, occ.assessment.as_deref(), |a, o| {
                simple::write_object(o, s, a);
            }),
        }
    }
    o.push(b'}');
}
