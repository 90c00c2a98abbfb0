//! HTTP integration tests of the console: the real server on 127.0.0.1:0 with a fresh
//! SQLite file, driven like a browser would (cookies, CSRF token, form posts).

mod support;

mod auth;
mod csrf;
mod projects;
mod roles;
