//! The seed's `/v1` answered by a Cloud number: each On-Premises call a partner (or the
//! console) makes becomes its Cloud API call, and the answer comes back in the shape an
//! On-Premises client gave. One module per area; `routes` picks the translation for a
//! path, and answers a 404 envelope for what has no Cloud twin.

pub mod answer;
pub mod contacts;
pub mod media;
pub mod messages;
pub mod profile;
pub mod routes;
