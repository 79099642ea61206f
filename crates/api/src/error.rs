//! The API's error type and its mapping to GraphQL errors with a stable
//! `extensions.code`. Internal detail is logged (with the request id, from
//! the request's tracing span) and never returned.

use async_graphql::ErrorExtensions;
use domain::{DomainError, ValidationError};
use persistence::StoreError;

/// Deliberately not `Display`: async-graphql converts any `Display` type into
/// an error without a code, so only the conversion below exists.
#[derive(Debug)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    /// `field`: the input field whose id did not resolve, if any.
    NotFound {
        what: &'static str,
        field: Option<String>,
    },
    Validation(ValidationError),
    Conflict {
        message: String,
        field: Option<String>,
    },
    LimitExceeded(String),
    /// Too many requests; retry after this many seconds.
    RateLimited {
        message: String,
        retry_after: u64,
    },
    Unavailable(String),
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn rate_limited(what: &str, retry_after: u64) -> Self {
        ApiError::RateLimited {
            message: format!("too many {what}; retry in {retry_after} s"),
            retry_after,
        }
    }

    pub fn not_found(what: &'static str) -> Self {
        ApiError::NotFound { what, field: None }
    }

    /// An id given in an input field that does not resolve in the caller's tenant.
    pub fn not_found_in(what: &'static str, field: &str) -> Self {
        ApiError::NotFound {
            what,
            field: Some(field.to_owned()),
        }
    }

    pub fn validation(field: &str, message: &str) -> Self {
        ApiError::Validation(ValidationError::new(field, message))
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound { .. } => "NOT_FOUND",
            ApiError::Validation(_) => "VALIDATION",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::LimitExceeded(_) => "LIMIT_EXCEEDED",
            ApiError::RateLimited { .. } => "RATE_LIMITED",
            ApiError::Unavailable(_) => "UNAVAILABLE",
            ApiError::Internal(_) => "INTERNAL",
        }
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::Validation(e)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(v) => ApiError::Validation(v),
            DomainError::Forbidden(m) => ApiError::Forbidden(m),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(d) => ApiError::Unavailable(d),
            StoreError::Changed => crate::services::changed_meanwhile(),
            StoreError::InvalidText(d) => {
                // A hole in validation (the field is not known here).
                tracing::warn!(detail = %d, "the database refused text from a request");
                ApiError::validation("input", "text must not contain NUL characters")
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    /// The message with internal detail, for the command line and logs only.
    pub fn detail(&self) -> String {
        match self {
            ApiError::Unavailable(d) | ApiError::Internal(d) => format!("{}: {d}", self.message()),
            _ => self.message(),
        }
    }

    /// The message shown to clients: never internal detail.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::LimitExceeded(m)
            | ApiError::RateLimited { message: m, .. } => m.clone(),
            ApiError::NotFound {
                what,
                field: Some(f),
            } => format!("{what} not found (input field {f})"),
            ApiError::NotFound { what, field: None } => format!("{what} not found"),
            ApiError::Validation(v) => format!("invalid input: {}: {}", v.field, v.message),
            ApiError::Conflict { message, .. } => message.clone(),
            ApiError::Unavailable(_) => {
                "the service is temporarily unavailable; retry shortly".into()
            }
            ApiError::Internal(_) => "internal error".into(),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        match &e {
            ApiError::Internal(detail) | ApiError::Unavailable(detail) => {
                tracing::error!(code = e.code(), detail = %detail, "request failed");
            }
            _ => {}
        }
        let message = e.message();
        async_graphql::Error::new(message).extend_with(|_, ext| {
            ext.set("code", e.code());
            match &e {
                ApiError::Validation(v) => ext.set("field", v.field.clone()),
                ApiError::RateLimited { retry_after, .. } => ext.set("retryAfter", *retry_after),
                ApiError::NotFound { field: Some(f), .. }
                | ApiError::Conflict { field: Some(f), .. } => ext.set("field", f.clone()),
                _ => {}
            }
        })
    }
}
