//! Building blocks shared by the pages.

pub mod chart;
pub mod copy;
pub mod counter;
pub mod form;
pub mod layout;
pub mod message;
pub mod outcome;
pub mod status;
pub mod table;
pub mod time;

pub use copy::{CopyButton, OneTimeSecret};
pub use counter::Counter;
pub use form::{CsrfField, SelectField, TextField, choices, current_role, viewer_zone, words};
pub use layout::Layout;
pub use message::{CodeExplained, CodeLinks, MessageTable, StatusBadge};
pub use outcome::{ActedIn, FormState, FormStatus, ResultArea, successes};
pub use status::{EmptyState, ErrorNote, Loading, PanelError};
pub use table::{DataTable, listing};
pub use time::Time;
