//! Building blocks shared by the pages.

pub mod form;
pub mod layout;
pub mod status;
pub mod time;

pub use form::{CsrfField, FormState, FormStatus, SelectField, TextField};
pub use layout::{CurrentUser, Layout};
pub use status::{EmptyState, ErrorNote, Loading};
pub use time::Time;
