//! Rules that must give the same answer in the browser (hydrated console) and on the
//! server (server functions, gateway). Nothing here touches I/O, so it compiles to wasm.

pub mod api;
pub mod errors;
pub mod field;
pub mod messages;
pub mod model;
pub mod phone;
pub mod profile;
pub mod role;
pub mod stats;
pub mod template;
pub mod text;
pub mod time;
pub mod webhook;

pub use field::{FieldError, FieldErrors};
pub use role::Role;
