//! The id of the request a write belongs to (`X-Request-Id`: the client's,
//! when it is safe to echo and log, or one the server made), carried with
//! the caller into every write so that the change journal can name it.

use std::fmt;

/// A request id: 1 to 64 ASCII letters, digits, `-`, `_`, `.` or `:`.
/// Kept inline (no allocation), so that the caller stays `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId {
    len: u8,
    bytes: [u8; RequestId::MAX_LEN],
}

impl RequestId {
    /// The longest request id accepted.
    pub const MAX_LEN: usize = 64;

    /// Whether `v` is a request id that may be echoed and logged.
    pub fn is_safe(v: &[u8]) -> bool {
        (1..=Self::MAX_LEN).contains(&v.len())
            && v.iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    }

    /// `v` as a request id; `None` when it is not a safe one.
    pub fn parse(v: &str) -> Option<Self> {
        if !Self::is_safe(v.as_bytes()) {
            return None;
        }
        let mut bytes = [0u8; Self::MAX_LEN];
        bytes[..v.len()].copy_from_slice(v.as_bytes());
        Some(RequestId {
            len: u8::try_from(v.len()).ok()?,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (`parse`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RequestId({})", self.as_str())
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_round_trip_and_others_are_refused() {
        for ok in ["a", "0f1e-22_x.y:z", &"x".repeat(64)] {
            assert_eq!(
                RequestId::parse(ok).map(|r| r.to_string()),
                Some(ok.to_owned())
            );
        }
        for bad in ["", &"x".repeat(65), "a b", "a\nb", "é", "a/b", "a\"b"] {
            assert!(RequestId::parse(bad).is_none(), "{bad:?}");
        }
        assert_eq!(
            RequestId::parse("abc"),
            RequestId::parse(&String::from("abc"))
        );
        assert_ne!(RequestId::parse("abc"), RequestId::parse("abd"));
    }
}
