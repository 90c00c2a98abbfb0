//! Meta's WhatsApp Cloud API as a project's upstream: the provider's Meta apps, the
//! translation between the seed's `/v1` shapes and Cloud's, the Graph API calls, the
//! bridge that answers On-Premises calls on a Cloud number, and the intake of what Meta
//! posts.

pub mod apps;
pub mod bridge;
pub mod graph;
pub mod intake;
pub mod translate;
pub mod unmatched;
