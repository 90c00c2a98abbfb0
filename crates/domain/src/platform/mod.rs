//! What every area stands on: the database, the read-through cache, encryption of stored
//! secrets (and the check that a key fits its database), and jobs run by one instance.

pub mod cache;
pub mod crypto;
pub mod db;
pub mod jobs;
pub mod key_check;
