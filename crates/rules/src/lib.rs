//! Rules that must give the same answer in the browser (hydrated console) and on the
//! server (server functions, gateway). Nothing here touches I/O, so it compiles to wasm.

pub mod accounts;
pub mod api;
pub mod audit;
pub mod cloud;
pub mod error_codes;
pub mod field;
pub mod messages;
pub mod net;
pub mod phone;
pub mod projects;
pub mod role;
pub mod templates;
pub mod text;
pub mod time;
pub mod webhooks;
#[cfg(feature = "zones")]
pub mod zone;

pub use field::{FieldError, FieldErrors};
pub use role::Role;
