//! API types and rules, without I/O: kinds, object access, selectors, quantities, defaulting,
//! version conversion and validation.

pub mod convert;
pub mod cron;
pub mod custom;
pub mod decode;
pub mod defaults;
pub mod hpa_v1;
pub mod kinds;
pub mod managed;
pub mod object;
pub mod patch;
pub mod pluck;
pub mod quantity;
pub mod quota;
pub mod rbac;
pub mod selector;
pub mod strategy;
pub mod subresource;
pub mod token;
pub mod two_way_patch;
pub mod validate;

pub use kinds::Kind;
pub use object::ObjectExt;
