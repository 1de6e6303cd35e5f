//! The HTTP app: REST and GraphQL front doors over shared services, plus errors, config and
//! telemetry.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod jobs;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod rest;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
