//! Rapport's business rules: pure types and functions, no I/O and no SQL.

pub mod access;
pub mod campaigns;
pub mod crm;
pub mod deals;
pub mod duplicates;
pub mod economics;
pub mod email;
pub mod event_types;
pub mod feedback;
pub mod json_merge;
pub mod loyalty;
pub mod models;
pub mod money;
pub mod offers;
pub mod profitability;
pub mod recommendations;
pub mod rfm;
pub mod segments;
pub mod value;
