//! Relay connection arguments and cursors.

use crate::error::{ApiError, ApiResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use persistence::repo::page::{PageArgs, Position};

/// Largest page a client may ask for.
pub const MAX_PAGE: i32 = 100;
/// Page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: i32 = 20;

/// An opaque cursor: the ordering it belongs to, the row's id and sort key.
pub fn encode_cursor(order: &str, pos: &Position) -> String {
    URL_SAFE_NO_PAD.encode(format!("{order}:{}:{}", pos.id.as_hyphenated(), pos.key))
}

fn decode_cursor(order: &str, cursor: &str, field: &str) -> ApiResult<Position> {
    let bad = || ApiError::validation(field, "is not a cursor of this list and ordering");
    let raw = URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    // No stored text holds NUL (Postgres cannot compare it): a forged cursor.
    if text.contains('\0') {
        return Err(bad());
    }
    let mut parts = text.splitn(3, ':');
    let (o, id, key) = (parts.next(), parts.next(), parts.next());
    match (o, id, key) {
        (Some(o), Some(id), Some(key)) if o == order => Ok(Position {
            key: key.to_owned(),
            id: super::ids::canonical_uuid(id).ok_or_else(bad)?,
        }),
        _ => Err(bad()),
    }
}

/// Checks Relay arguments and turns them into a window to fetch.
pub fn page_args(
    order: &str,
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
) -> ApiResult<PageArgs> {
    let check = |n: i32, field: &str| {
        if (0..=MAX_PAGE).contains(&n) {
            Ok(u64::try_from(n).unwrap_or(0))
        } else {
            Err(ApiError::validation(
                field,
                &format!("must be between 0 and {MAX_PAGE}"),
            ))
        }
    };
    let (limit, from_end) = match (first, last) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "last",
                "give either first or last, not both",
            ));
        }
        (Some(f), None) => (check(f, "first")?, false),
        (None, Some(l)) => (check(l, "last")?, true),
        (None, None) => (u64::try_from(DEFAULT_PAGE).unwrap_or(20), false),
    };
    Ok(PageArgs {
        limit,
        after: after
            .map(|c| decode_cursor(order, c, "after"))
            .transpose()?,
        before: before
            .map(|c| decode_cursor(order, c, "before"))
            .transpose()?,
        from_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn cursors_round_trip_and_belong_to_their_ordering() {
        let pos = Position {
            key: "acme: co".into(),
            id: Uuid::now_v7(),
        };
        let c = encode_cursor("NAME_ASC", &pos);
        let args = page_args("NAME_ASC", Some(10), Some(&c), None, None).unwrap();
        assert_eq!(args.after, Some(pos.clone()));
        assert!(page_args("NAME_DESC", Some(10), Some(&c), None, None).is_err());
        assert!(page_args("NAME_ASC", Some(101), None, None, None).is_err());
        assert!(page_args("NAME_ASC", Some(1), None, Some(1), None).is_err());
        assert!(page_args("NAME_ASC", None, Some("garbage"), None, None).is_err());
        let forged = URL_SAFE_NO_PAD.encode(format!("NAME_ASC:{}:a\0b", pos.id));
        assert!(page_args("NAME_ASC", None, Some(&forged), None, None).is_err());
    }
}
