//! pagination
