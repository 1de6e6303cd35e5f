//! Use cases shared by REST and GraphQL: load -> decide -> write, one function per use case.

pub mod system;
