//! Projects: the list, the new-project form and one project's page.

mod detail;
mod form;
mod keys;
mod list;
mod new;

pub use detail::ProjectPage;
pub use list::{ProjectTable, ProjectsPage};
pub use new::NewProjectPage;
