//! Projects: the list, the new-project form and one project's page.

mod deliveries;
mod detail;
mod form;
mod keys;
mod list;
mod new;
mod photo;
mod profile;
mod upstream;
mod webhook;

pub use detail::ProjectPage;
pub use list::{ProjectTable, ProjectsPage};
pub use new::NewProjectPage;
