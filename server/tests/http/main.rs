//! HTTP integration tests: the real server on 127.0.0.1:0 with a fresh SQLite file,
//! driven like a browser (console) or a partner's system (gateway), with the upstream
//! simulator running as its own process.

mod support;

mod cloud {
    mod console;
    mod failures;
    mod health;
    mod moving;
    mod notifications;
    mod sending;
    mod templates;
    mod throughput;
    mod warmup;
}

mod console {
    mod auth;
    mod csrf;
    mod error_codes;
    mod exposure;
    mod logins;
    mod messages;
    mod overview;
    mod passwords;
    mod profile;
    mod projects;
    mod roles;
    mod search;
    mod sessions;
    mod templates;
    mod webhook;
    mod zones;
}

mod notifications {
    mod addresses;
    mod claims;
    mod concurrency;
    mod connections;
    mod crash;
    mod forwarding;
    mod inbound;
    mod resending;
    mod retention;
    mod webhook_config;
}

mod gateway {
    mod auth;
    mod blacklist;
    mod checks;
    mod crash;
    mod media;
    mod operations;
    mod path_spellings;
    mod templates;
    mod upstream;
    mod upstream_change;
    mod window;
}

mod operator {
    mod secret_key;
}

mod scale {
    mod instances;
}
