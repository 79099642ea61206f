use thiserror::Error;

/// A rule of the domain that an input broke. `field` names the input field
/// (as the API calls it, e.g. `influence`) so that clients can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, with its field nested under `prefix` (`input.name`).
    #[must_use]
    pub fn under(mut self, prefix: &str) -> Self {
        self.field = format!("{prefix}.{}", self.field);
        self
    }
}

/// Errors of the domain layer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The caller may see the record but not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(String),
}
