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

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
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
        assert!(Password::parse("password", "short").is_err());
        let p = Password::parse("password", "correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
