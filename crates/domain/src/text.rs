//! Validated text values shared by several aggregates.

use crate::error::ValidationError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest free text we accept in a short field (names, titles).
pub const MAX_SHORT_TEXT: usize = 200;

/// The key by which names are compared, searched and ordered: Unicode
/// lowercase of the trimmed text. Stored beside the name and compared
/// bytewise (`COLLATE "C"` on Postgres, `BINARY` on SQLite), so ordering and
/// search behave identically on both databases and do not depend on the
/// server's locale.
pub fn sort_key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Longest search that can still be found in the sort key of a short text:
/// lowercasing lengthens a text at most twofold (`İ` becomes `i̇`).
const MAX_SHORT_SEARCH: usize = 2 * MAX_SHORT_TEXT + 1;

/// Invisible formatting characters (Unicode general category Cf): zero-width
/// spaces and joiners, the byte-order mark, bidirectional embeddings,
/// overrides and isolates, the soft hyphen, tags. Text that shows one thing
/// and holds another (`admin` written right to left) starts with these.
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}' | '\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Zero-width joiner and non-joiner: format characters that some scripts
/// (Persian, Indic) and emoji need between visible letters.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Escapes `%`, `_` and `\` for a `LIKE .. ESCAPE '\'` pattern, on the sort
/// key of short texts (names). A search longer than any such key matches
/// nothing, cut or not: it is cut, so that the pattern stays within the
/// databases' own limits (SQLite refuses patterns over 50,000 bytes).
/// Control and invisible formatting characters are refused (`field`): no
/// stored name holds them, and NUL would end the search early.
pub fn like_contains_pattern(field: &str, search: &str) -> Result<String, ValidationError> {
    if search.chars().any(|c| c.is_control() || is_format_char(c)) {
        return Err(ValidationError::new(
            field,
            "must not contain control or invisible formatting characters",
        ));
    }
    let mut out = String::with_capacity(search.len().min(4 * MAX_SHORT_SEARCH) + 2);
    out.push('%');
    for c in sort_key(search).chars().take(MAX_SHORT_SEARCH) {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    Ok(out)
}

/// Trimmed text that is not empty and not longer than `max` characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredText(String);

impl RequiredText {
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Self, ValidationError> {
        let t = raw.trim();
        if t.is_empty() {
            return Err(ValidationError::new(field, "must not be empty"));
        }
        if t.chars().count() > max {
            return Err(ValidationError::new(
                field,
                format!("must be at most {max} characters"),
            ));
        }
        if t.chars().any(|c| c.is_control()) {
            return Err(ValidationError::new(
                field,
                "must not contain control characters",
            ));
        }
        if t.chars().any(|c| is_format_char(c) && !is_joiner(c)) {
            return Err(ValidationError::new(
                field,
                "must not contain invisible formatting characters (zero-width spaces, \
                 byte-order marks, bidirectional overrides)",
            ));
        }
        if t.chars().all(|c| c.is_whitespace() || is_joiner(c)) {
            return Err(ValidationError::new(field, "must not be empty"));
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Optional free text: trimmed; empty becomes `None`. Line breaks and tabs
/// are kept; NUL is refused (Postgres cannot store it in text).
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max => Err(ValidationError::new(
            field,
            format!("must be at most {max} characters"),
        )),
        Some(t) if t.contains('\0') => Err(ValidationError::new(
            field,
            "must not contain NUL characters",
        )),
        Some(t) => Ok(Some(t.to_owned())),
    }
}

/// An e-mail address, syntactically checked and stored as typed (trimmed).
/// Comparison for uniqueness uses [`Email::key`] (lowercase).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let t = raw.trim();
        let bad = || ValidationError::new(field, "is not a valid e-mail address");
        if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = t.rsplit_once('@').ok_or_else(bad)?;
        if local.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(bad());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(bad());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(bad());
        }
        for label in &labels {
            if label.is_empty()
                || label.len() > 63
                || label.starts_with('-')
                || label.ends_with('-')
                || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
            {
                return Err(bad());
            }
        }
        Ok(Self(t.to_owned()))
    }

    /// An address a user signs in with: as [`Email::parse`], in ASCII only.
    /// A look-alike letter of another script (`а`, Cyrillic) would make a
    /// second account whose address reads like the first; an
    /// internationalised domain is written in its `xn--` form. (Contacts'
    /// addresses may be internationalised: nobody signs in with them.)
    pub fn parse_sign_in(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let e = Self::parse(field, raw)?;
        if !e.0.is_ascii() {
            return Err(ValidationError::new(
                field,
                "must be written in ASCII (an internationalised domain in its xn-- form)",
            ));
        }
        Ok(e)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive key used for uniqueness and lookup.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// An absolute `http` or `https` URL with a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebUrl(String);

impl WebUrl {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let t = raw.trim();
        let bad = || ValidationError::new(field, "is not a valid http(s) URL");
        let rest = t
            .strip_prefix("https://")
            .or_else(|| t.strip_prefix("http://"))
            .ok_or_else(bad)?;
        if t.len() > 2048 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host_port
            .rsplit_once('@')
            .map_or(host_port, |(_, h)| h)
            .split(':')
            .next()
            .unwrap_or("");
        if host.is_empty()
            || host.starts_with('.')
            || host.ends_with('.')
            || host.contains("..")
            || !host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        {
            return Err(bad());
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ISO 4217 currency code: three uppercase ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let t = raw.trim();
        // The ISO 4217 list (active codes), not any three letters.
        if t.len() == 3 && iso_currency::Currency::from_code(t).is_some() {
            Ok(Self(t.to_owned()))
        } else {
            Err(ValidationError::new(
                field,
                "must be an ISO 4217 currency code such as EUR or USD",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Money: an exact decimal amount with its currency. Stored as an integer
/// count of ten-thousandths ([`Money::SCALE`] decimal places) so that it is
/// exact, sortable and identical on SQLite and Postgres.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: Decimal,
    pub currency: CurrencyCode,
}

impl Money {
    /// Decimal places kept.
    pub const SCALE: u32 = 4;

    /// A non-negative amount with at most [`Money::SCALE`] decimals.
    pub fn parse_non_negative(
        field: &str,
        amount: Decimal,
        currency: &str,
    ) -> Result<Self, ValidationError> {
        let currency = CurrencyCode::parse(&format!("{field}.currency"), currency)?;
        let amount_field = format!("{field}.amount");
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(ValidationError::new(amount_field, "must not be negative"));
        }
        if amount.normalize().scale() > Self::SCALE {
            return Err(ValidationError::new(
                amount_field,
                format!("must have at most {} decimal places", Self::SCALE),
            ));
        }
        if Self::to_minor_checked(amount).is_none() {
            return Err(ValidationError::new(amount_field, "is too large"));
        }
        Ok(Self {
            amount: amount.normalize(),
            currency,
        })
    }

    fn to_minor_checked(amount: Decimal) -> Option<i64> {
        let scaled = amount.checked_mul(Decimal::from(10_i64.pow(Self::SCALE)))?;
        i64::try_from(scaled.trunc()).ok()
    }

    /// The amount in ten-thousandths, as stored.
    pub fn minor_units(&self) -> i64 {
        Self::to_minor_checked(self.amount).unwrap_or(i64::MAX)
    }

    /// Rebuilds money from its stored form, written with its currency's
    /// minor-unit digits (see [`currency_scaled`]).
    pub fn from_minor_units(minor: i64, currency: &str) -> Self {
        Self {
            amount: currency_scaled(Decimal::new(minor, Self::SCALE), currency),
            currency: CurrencyCode(currency.to_owned()),
        }
    }
}

/// An amount of `currency` as Steward writes it: with at least the
/// currency's minor-unit digits (ISO 4217: EUR 2, JPY 0, BHD 3; 2 for a code
/// without one), and more only when the amount has them (up to the 4 that
/// are stored): `1250000.50 EUR`, `1250000 JPY`, `0.0001 USD`.
pub fn currency_scaled(amount: Decimal, currency: &str) -> Decimal {
    let digits = iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map_or(2, u32::from);
    let mut a = amount.normalize();
    if a.scale() < digits {
        a.rescale(digits);
    }
    a
}

/// Minor units (ten-thousandths) rounded to the currency's own minor unit
/// (cents for EUR), half away from zero.
pub fn round_to_currency(minor_e4: i64, currency: &str) -> i64 {
    let digits = iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map_or(2, u32::from)
        .min(4);
    let step = 10i64.pow(4 - digits);
    let q = (minor_e4.abs() + step / 2) / step * step;
    if minor_e4 < 0 { -q } else { q }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_to_the_currency_unit() {
        assert_eq!(round_to_currency(38_461_538, "EUR"), 38_461_500);
        assert_eq!(round_to_currency(-38_461_550, "EUR"), -38_461_600);
        assert_eq!(round_to_currency(12_345, "JPY"), 10_000);
    }

    #[test]
    fn amounts_keep_their_currencys_minor_digits() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            currency_scaled(d("1250000.5"), "EUR").to_string(),
            "1250000.50"
        );
        assert_eq!(
            currency_scaled(d("1250000.5000"), "EUR").to_string(),
            "1250000.50"
        );
        assert_eq!(currency_scaled(d("1250000"), "JPY").to_string(), "1250000");
        assert_eq!(currency_scaled(d("7.1"), "BHD").to_string(), "7.100");
        assert_eq!(currency_scaled(d("0.0001"), "USD").to_string(), "0.0001");
        assert_eq!(currency_scaled(d("0"), "USD").to_string(), "0.00");
        assert_eq!(
            Money::from_minor_units(12_500_005_000, "EUR")
                .amount
                .to_string(),
            "1250000.50"
        );
    }

    #[test]
    fn a_search_longer_than_any_name_gives_a_short_pattern() {
        assert_eq!(
            like_contains_pattern("q", " A%b_\\ ").unwrap(),
            "%a\\%b\\_\\\\%"
        );
        let long = like_contains_pattern("q", &"x".repeat(100_000)).unwrap();
        assert_eq!(long.len(), MAX_SHORT_SEARCH + 2);
        // Still longer than the longest key of a short text.
        let key = sort_key(&"\u{130}".repeat(MAX_SHORT_TEXT));
        assert!(key.chars().count() < MAX_SHORT_SEARCH);
    }

    #[test]
    fn optional_text_keeps_line_breaks_and_refuses_nul() {
        assert_eq!(
            optional_text("notes", Some(" a\n\tb "), 10),
            Ok(Some("a\n\tb".to_owned()))
        );
        assert!(optional_text("notes", Some("a\0b"), 10).is_err());
    }

    #[test]
    fn required_text_is_trimmed_and_not_empty() {
        assert_eq!(
            RequiredText::parse("name", "  Acme  ", 200)
                .map(|t| t.into_inner())
                .ok(),
            Some("Acme".into())
        );
        let e = RequiredText::parse("name", "   ", 200).unwrap_err();
        assert_eq!(e.field, "name");
        assert!(RequiredText::parse("name", &"x".repeat(201), 200).is_err());
    }

    #[test]
    fn emails_are_checked() {
        for ok in ["a@b.co", "first.last+tag@example.com", "Ü@bücher.de"] {
            assert!(Email::parse("email", ok).is_ok(), "{ok}");
        }
        for bad in [
            "", "a", "a@", "@b.co", "a@b", "a b@c.de", "a@@b.co", "a@b..co", ".a@b.co", "a@-b.co",
        ] {
            assert!(Email::parse("email", bad).is_err(), "{bad}");
        }
        assert_eq!(Email::parse("e", "A@B.CO").unwrap().key(), "a@b.co");
    }

    #[test]
    fn urls_must_be_http_with_a_host() {
        assert!(WebUrl::parse("website", "https://acme.example/about?x=1").is_ok());
        assert!(WebUrl::parse("website", "http://localhost:8080").is_ok());
        for bad in [
            "acme.com",
            "ftp://acme.com",
            "https://",
            "https://a b.com",
            "javascript:alert(1)",
        ] {
            assert!(WebUrl::parse("website", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_is_exact_and_non_negative() {
        let m =
            Money::parse_non_negative("annualRevenue", Decimal::new(12_345_678, 2), "EUR").unwrap();
        assert_eq!(m.minor_units(), 1_234_567_800);
        assert_eq!(Money::from_minor_units(1_234_567_800, "EUR"), m);
        let e = Money::parse_non_negative("annualRevenue", Decimal::new(-1, 0), "EUR").unwrap_err();
        assert_eq!(e.field, "annualRevenue.amount");
        let e = Money::parse_non_negative("annualRevenue", Decimal::ONE, "eur").unwrap_err();
        assert_eq!(e.field, "annualRevenue.currency");
        assert!(Money::parse_non_negative("x", Decimal::new(1, 5), "EUR").is_err());
    }

    #[test]
    fn invisible_and_direction_characters_are_refused_in_names() {
        for bad in [
            "\u{200B}\u{200B}",
            "\u{FEFF}",
            "\u{200D}",
            "Ann\u{202E}nimda",
            "a\u{2066}b",
        ] {
            assert!(RequiredText::parse("name", bad, 50).is_err(), "{bad:?}");
        }
        // Joiners between visible letters are part of some scripts and emoji.
        assert!(RequiredText::parse("name", "می\u{200C}خواهم", 50).is_ok());
        assert!(RequiredText::parse("name", "Zoë Ångström", 50).is_ok());
    }

    #[test]
    fn search_text_refuses_control_and_invisible_characters() {
        assert!(like_contains_pattern("q", "a\u{0}b").is_err());
        assert!(like_contains_pattern("q", "a\u{202E}b").is_err());
        assert_eq!(like_contains_pattern("q", "Zoë").unwrap(), "%zoë%");
    }

    #[test]
    fn look_alike_emails_and_unknown_currencies_are_refused() {
        assert!(Email::parse("email", "admin@demo.example").is_ok());
        assert!(Email::parse_sign_in("email", "admin@demo.example").is_ok());
        assert!(Email::parse_sign_in("email", "\u{0430}dmin@demo.example").is_err());
        assert!(Email::parse_sign_in("email", "admin@xn--dmo-bma.example").is_ok());
        assert!(
            Email::parse("email", "Ü@bücher.de").is_ok(),
            "contacts' addresses"
        );
        assert!(CurrencyCode::parse("currency", "EUR").is_ok());
        assert!(CurrencyCode::parse("currency", "ZZZ").is_err());
        assert!(CurrencyCode::parse("currency", "eur").is_err());
    }

    #[test]
    fn sort_key_and_like_pattern() {
        assert_eq!(sort_key("  Ärzte GmbH "), "ärzte gmbh");
        assert_eq!(
            like_contains_pattern("q", "50%_a\\").unwrap(),
            "%50\\%\\_a\\\\%"
        );
    }
}
