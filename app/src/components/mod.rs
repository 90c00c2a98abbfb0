//! Building blocks shared by the pages.

pub mod form;
pub mod layout;
pub mod status;
pub mod time;

pub use form::{current_role, CsrfField, FormState, FormStatus, SelectField, TextField};
pub use layout::Layout;
pub use status::{EmptyState, ErrorNote, Loading, PanelError};
pub use time::Time;
