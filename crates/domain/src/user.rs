//! Users of the supplier and their roles.

use crate::error::ValidationError;

/// Defines a closed set of values stored as text (`SCREAMING_SNAKE_CASE`).
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored (and API) spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the stored spelling.
            pub fn from_str_opt(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

text_enum!(
    /// What a user may do; see [`crate::authorize`].
    Role {
        /// Manages users and may do everything in the tenant.
        Admin => "ADMIN",
        /// Writes any account of the tenant.
        SalesManager => "SALES_MANAGER",
        /// Reads the tenant; writes the accounts they own.
        AccountManager => "ACCOUNT_MANAGER",
        /// Reads only.
        Viewer => "VIEWER",
    }
);

/// Shortest password accepted (OWASP ASVS: at least 12 characters).
pub const MIN_PASSWORD_LEN: usize = 12;

/// A password that meets the policy (length only, as NIST SP 800-63B advises).
pub struct Password(String);

/// Weakest zxcvbn score accepted: 3, "safely unguessable" (about 10^10
/// guesses, against an offline attack on a slow hash).
pub const MIN_PASSWORD_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

impl Password {
    /// Checks length and strength. `user_inputs` are the user's own
    /// identifiers (e-mail, name, tenant): a password made of them, or
    /// holding the e-mail address, is refused.
    pub fn parse(field: &str, raw: &str, user_inputs: &[&str]) -> Result<Self, ValidationError> {
        let p = Self::parse_length(field, raw)?;
        let lower = raw.to_lowercase();
        // The identifiers whole and in their words (`ann.admin@acme.example`:
        // `ann`, `admin`, `acme`, `example`), for zxcvbn's dictionary.
        let mut inputs: Vec<String> = Vec::new();
        for i in user_inputs
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
        {
            let i = i.to_lowercase();
            if i.contains('@') && lower.contains(&i) {
                return Err(ValidationError::new(
                    field,
                    "must not contain your e-mail address",
                ));
            }
            inputs.extend(
                i.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 3)
                    .map(str::to_owned),
            );
            inputs.push(i);
        }
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let estimate = zxcvbn::zxcvbn(raw, &inputs);
        if estimate.score() < MIN_PASSWORD_SCORE {
            let hint = estimate
                .feedback()
                .and_then(|f| f.warning())
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            return Err(ValidationError::new(
                field,
                format!("is too easy to guess{hint}: use a longer passphrase of unrelated words"),
            ));
        }
        Ok(p)
    }

    fn parse_length(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if n < MIN_PASSWORD_LEN {
            return Err(ValidationError::new(
                field,
                format!("must be at least {MIN_PASSWORD_LEN} characters"),
            ));
        }
        if n > 256 {
            return Err(ValidationError::new(
                field,
                "must be at most 256 characters",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_str_opt(r.as_str()), Some(*r));
        }
        assert_eq!(Role::from_str_opt("admin"), None);
    }

    #[test]
    fn passwords_have_a_minimum_length_and_never_print() {
        assert!(Password::parse("password", "short", &[]).is_err());
        let p = Password::parse("password", "correct horse battery staple", &[]).unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn weak_passwords_and_the_users_own_identifiers_are_refused() {
        let me = ["ann.admin@acme.example", "Ann Admin", "acme"];
        for weak in [
            "password1234",
            "aaaaaaaaaaaa",
            "123456789012",
            "qwertyuiop12",
            "ann.admin@acme.example",
            "ANN.ADMIN@acme.example!",
        ] {
            let e = Password::parse("password", weak, &me)
                .err()
                .unwrap_or_else(|| panic!("{weak} accepted"));
            assert_eq!(e.field, "password", "{weak}");
        }
        for strong in [
            "correct horse battery staple",
            "steward-demo-2026",
            "violet-tractor-Nimbus-88",
        ] {
            assert!(Password::parse("password", strong, &me).is_ok(), "{strong}");
        }
    }
}
