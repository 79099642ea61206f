//! `account.whiteSpace` on the compiled path: its rows (business units),
//! columns (the visible products), cells and totals, for a level of
//! accounts at once: one statement per part (the cells once for cells,
//! columns and totals; the catalogue once per request), the columns and
//! totals computed by the same functions as the resolvers'
//! (`graphql::fields::{visible_products, totals_of}`).

use super::compile::{Cc, Fs, Obj, name, no_args, sub};
use super::exec::R;
use super::rels::{CELL, PRODUCT, UNIT};
use super::render::comma;
use super::simple::{self, Got, Rq, SObj, Table, table};
use crate::graphql::common::json as w;
use crate::graphql::fields;
use persistence::entity::{business_unit, product, white_space_cell};
use persistence::repo::whitespace;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

const TOTALS: Table<fields::WhiteSpaceTotals> =
    table!("WhiteSpaceTotals", fields::white_space_totals);

pub(in crate::fast) enum WhiteSpaceF {
    Typename,
    Rows(SObj<business_unit::Model>),
    Columns(SObj<product::Model>),
    Cells(SObj<white_space_cell::Model>),
    Totals(SObj<fields::WhiteSpaceTotals>),
}

/// The selection under `whiteSpace` (`None`: not compiled).
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Obj<WhiteSpaceF>> {
    if !no_args(f) {
        return None;
    }
    let mut out = Vec::new();
    for (key, f) in cc.fields(&sub(f)?, "WhiteSpace")? {
        if name(&f) == "__typename" && super::compile::leaf(&f) {
            out.push((key, WhiteSpaceF::Typename));
            continue;
        }
        if !no_args(&f) {
            return None;
        }
        let s = sub(&f)?;
        let field = match name(&f) {
            "rows" => WhiteSpaceF::Rows(simple::object(cc, &s, &UNIT)?),
            "columns" => WhiteSpaceF::Columns(simple::object(cc, &s, &PRODUCT)?),
            "cells" => WhiteSpaceF::Cells(simple::object(cc, &s, &CELL)?),
            "totals" => WhiteSpaceF::Totals(simple::object(cc, &s, &TOTALS)?),
            _ => return None,
        };
        out.push((key, field));
    }
    Some(out)
}

/// What the white spaces of a level of accounts need.
pub(super) struct WhiteSpaceGot {
    units: HashMap<Uuid, Vec<business_unit::Model>>,
    cells: HashMap<Uuid, Vec<white_space_cell::Model>>,
    catalogue: Vec<product::Model>,
    /// Per field: what its objects' relations found (over every account).
    rels: Vec<Got>,
}

pub(super) async fn fetch(
    rq: Rq<'_>,
    obj: &Obj<WhiteSpaceF>,
    accounts: &[Uuid],
) -> R<WhiteSpaceGot> {
    let wants = |f: fn(&WhiteSpaceF) -> bool| obj.iter().any(|(_, x)| f(x));
    let (conn, tenant) = (rq.db.read(), rq.tenant);
    let catalogue = if wants(|x| matches!(x, WhiteSpaceF::Columns(_))) {
        whitespace::products(conn, tenant, true).await?
    } else {
        Vec::new()
    };
    let need_cells = wants(|x| matches!(x, WhiteSpaceF::Cells(_) | WhiteSpaceF::Totals(_)))
        || fields::needs_cells_for_columns(&catalogue);
    let mut got = WhiteSpaceGot {
        units: HashMap::new(),
        cells: HashMap::new(),
        catalogue,
        rels: Vec::new(),
    };
    if wants(|x| matches!(x, WhiteSpaceF::Rows(_))) {
        for u in whitespace::business_units_of(conn, tenant, accounts).await? {
            got.units.entry(u.account_id).or_default().push(u);
        }
    }
    if need_cells {
        for c in whitespace::cells_of(conn, tenant, accounts).await? {
            got.cells.entry(c.account_id).or_default().push(c);
        }
    }
    for (_, f) in obj {
        let rels = match f {
            WhiteSpaceF::Rows(s) => s.fetch(rq, got.units.values().flatten()).await?,
            WhiteSpaceF::Columns(s) => s.fetch(rq, got.catalogue.iter()).await?,
            WhiteSpaceF::Cells(s) => s.fetch(rq, got.cells.values().flatten()).await?,
            WhiteSpaceF::Totals(_) | WhiteSpaceF::Typename => Got::none(),
        };
        got.rels.push(rels);
    }
    Ok(got)
}

pub(super) fn write(
    o: &mut Vec<u8>,
    obj: &Obj<WhiteSpaceF>,
    got: &WhiteSpaceGot,
    account: Uuid,
) -> R<()> {
    let cells: &[white_space_cell::Model] = got.cells.get(&account).map_or(&[], |c| c);
    o.push(b'{');
    for (i, ((key, f), g)) in obj.iter().zip(&got.rels).enumerate() {
        comma(o, i, key);
        match f {
            WhiteSpaceF::Typename => w::name(o, "WhiteSpace"),
            WhiteSpaceF::Rows(s) => {
                let units: &[business_unit::Model] = got.units.get(&account).map_or(&[], |u| u);
                s.write_list(o, units, g)?;
            }
            WhiteSpaceF::Columns(s) => {
                let used: HashSet<Uuid> = cells.iter().map(|c| c.product_id).collect();
                s.write_list(
                    o,
                    fields::visible_products(&got.catalogue, |id| used.contains(&id)),
                    g,
                )?;
            }
            WhiteSpaceF::Cells(s) => s.write_list(o, cells, g)?,
            WhiteSpaceF::Totals(s) => s.write_list(o, &fields::totals_of(cells), g)?,
        }
    }
    o.push(b'}');
    Ok(())
}
