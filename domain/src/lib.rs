//! Rapport's business rules: pure types and functions, no I/O and no SQL.

pub mod access;
pub mod email;
pub mod models;
