//! Hostile values per type: strings, wrong JSON types, numbers, decimals, dates.

use super::*;

pub(super) fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// Applied to every string argument and input field.
pub(super) fn core_strings() -> Vec<String> {
    vec![
        "' OR 1=1 --".into(),
        "'; DROP TABLE accounts; --".into(),
        "a\u{0}b".into(),
        "\u{202E}gnp.exe\u{200F}\u{200E}".into(),
        "x".repeat(10_000),
        String::new(),
        "   ".into(),
        "%_\\".into(),
        "\u{1F469}\u{200D}\u{1F4BB}\u{FE0F}e\u{301}\u{301}".into(),
    ]
}

/// A few of these, in turn, for every string argument and input field.
pub(super) fn extra_strings() -> Vec<String> {
    vec![
        "\" OR \"\"=\"".into(),
        "\u{0}".into(),
        "1' AND (SELECT 1 FROM users WHERE 1=1) --".into(),
        "1; SELECT pg_sleep(3); --".into(),
        "' UNION SELECT password_hash, email FROM users --".into(),
        "Robert'); DROP TABLE students;--".into(),
        "admin'--".into(),
        "\\'; --".into(),
        "$1".into(),
        "?".into(),
        ":name".into(),
        "%s%s%s%n".into(),
        "{0}".into(),
        "${jndi:ldap://x/a}".into(),
        "{{7*7}}".into(),
        "<script>alert(1)</script>".into(),
        "../../../../etc/passwd".into(),
        "C:\\Windows\\win.ini".into(),
        "NaN".into(),
        "Infinity".into(),
        "-0".into(),
        "1e999".into(),
        "null".into(),
        "undefined".into(),
        "0x7fffffff".into(),
        "\u{FEFF}bom".into(),
        "\u{FFFF}\u{FFFE}".into(),
        "\u{10FFFF}".into(),
        "\u{FFFD}".into(),
        "\t\n\r\u{b}\u{c}".into(),
        "\u{1b}[31mred\u{1b}[0m".into(),
        "\u{85}\u{2028}\u{2029}".into(),
        "\u{E9}".repeat(10_000),
        "\u{1D54F}".repeat(3_000),
        "a".repeat(100_000),
        "EURO".into(),
        "eur".into(),
        "\u{20AC}".into(),
        "XXX".into(),
        "US$".into(),
        "admin@acme.example' --".into(),
        "@".into(),
        "x@y.z\u{0}".into(),
        "Account:".into(),
        "+49 (0) 30 1234'--".into(),
        "https://evil.example/\u{0}".into(),
        "javascript:alert(1)".into(),
        "\\x00\\u0000".into(),
        "%00%27%20OR%201%3D1".into(),
        "''".into(),
        "`".into(),
        "/*".into(),
        "*/ --".into(),
        ";".into(),
        "SELECT * FROM users".into(),
        "\u{301}".into(),
        "\u{200B}\u{200B}".into(),
        "\u{D55C}\u{AD6D}\u{C5B4}".into(),
    ]
}

pub(super) fn wrong_types() -> Vec<(Value, &'static str)> {
    vec![
        (json!({ "x": 1 }), "object"),
        (json!([1]), "list"),
        (json!(1.5), "float"),
    ]
}

pub(super) fn ints() -> Vec<Value> {
    vec![
        json!(2_147_483_647),
        json!(2_147_483_648u64),
        json!(-2_147_483_649i64),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e308),
        json!(-1),
        json!(0),
        json!("1"),
        json!("NaN"),
        json!(true),
    ]
}

pub(super) fn decimals() -> Vec<Value> {
    vec![
        json!("NaN"),
        json!("Infinity"),
        json!("-Infinity"),
        json!("1e999"),
        json!("1e-999"),
        json!("1E+28"),
        json!("79228162514264337593543950335"),
        json!("79228162514264337593543950336"),
        json!("-79228162514264337593543950336"),
        json!("0.00000000000000000000000000001"),
        json!("1,5"),
        json!("1.2.3"),
        json!(""),
        json!(" 1 "),
        json!("0x10"),
        json!("+1"),
        json!("-0"),
        json!("\u{661}\u{662}\u{663}"),
        json!("1' OR '1'='1"),
        json!(1e308),
        json!(u64::MAX),
        json!(-1),
        json!(0.1),
        json!(true),
    ]
}

pub(super) fn dates() -> Vec<Value> {
    vec![
        json!("2024-02-30"),
        json!("2023-02-29"),
        json!("0000-01-01"),
        json!("-0001-01-01"),
        json!("+262143-12-31"),
        json!("262144-01-01"),
        json!("9999-12-31"),
        json!("1900-01-01"),
        json!("2024-13-01"),
        json!("2024-1-1"),
        json!("20240101"),
        json!("2024-01-01T00:00:00Z"),
        json!(""),
        json!("today"),
        json!("2024-01-01\u{0}"),
        json!("2024-12-31'; DROP TABLE plans; --"),
        json!(20_240_101),
    ]
}

pub(super) fn datetimes() -> Vec<Value> {
    vec![
        json!("2024-01-01"),
        json!("2024-01-01T25:00:00Z"),
        json!("2024-02-30T00:00:00Z"),
        json!("9999-12-31T23:59:59Z"),
        json!("+262143-12-31T23:59:59Z"),
        json!("0001-01-01T00:00:00Z"),
        json!("-0001-01-01T00:00:00Z"),
        json!("1970-01-01T00:00:00+25:00"),
        json!("2024-01-01T00:00:00.99999999999999Z"),
        json!("NaN"),
        json!(""),
        json!(0),
        json!(1e20),
    ]
}
