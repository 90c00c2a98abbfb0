//! A browser on the console: its own cookie jar, the page's CSRF token, and server
//! function calls as the hydrated page makes them (a form post to `/api/<endpoint>`).

use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use serde::Serialize;
use serde_json::Value;

use super::kit::meta_csrf;

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
    cookies: std::sync::Arc<reqwest::cookie::Jar>,
}

/// What a server function answered: its value, or the console's typed error.
#[derive(Debug)]
pub enum Answer {
    Ok(Value),
    Err(Value),
}

impl Answer {
    pub fn ok(self) -> Value {
        match self {
            Answer::Ok(v) => v,
            Answer::Err(e) => panic!("expected success, got {e}"),
        }
    }

    pub fn err(self) -> Value {
        match self {
            Answer::Err(e) => e,
            Answer::Ok(v) => panic!("expected an error, got {v}"),
        }
    }
}

impl Browser {
    /// A new browser that has loaded the login page, so it holds a CSRF token.
    pub async fn open(base: &str) -> Browser {
        let cookies = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(cookies.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut browser = Browser {
            client,
            base: base.to_owned(),
            csrf: String::new(),
            cookies,
        };
        browser.refresh_csrf().await;
        browser
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Sets a cookie as the page's script would (`tz=Africa/Nairobi`).
    pub fn set_cookie(&self, cookie: &str) {
        let url = self.base.parse().unwrap();
        self.cookies.add_cookie_str(cookie, &url);
    }

    /// Opens a page as a browser's address bar does (asking for HTML, so a redirect is a
    /// real 302).
    pub async fn visit(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap()
    }

    /// Reads the CSRF token the way the page carries it: `<meta name="csrf-token">`. A page
    /// without one fails the test here, so no CSRF check can pass on an empty token.
    pub async fn refresh_csrf(&mut self) {
        let html = self.get("/login").await.text().await.unwrap();
        self.csrf = meta_csrf(&html).expect("the login page carries a CSRF token");
    }

    pub async fn post_form(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        csrf: Option<&str>,
    ) -> (StatusCode, String) {
        let mut fields: Vec<(&str, &str)> = form.to_vec();
        if let Some(token) = csrf {
            fields.push(("csrf", token));
        }
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("accept", "application/json")
            .form(&fields)
            .send()
            .await
            .unwrap();
        (response.status(), response.text().await.unwrap())
    }

    /// Calls a server function as the hydrated page does, with this browser's CSRF token.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        let (status, body) = self.post_form(endpoint, form, Some(&self.csrf)).await;
        let value: Value = serde_json::from_str(&body).unwrap_or(Value::String(body.clone()));
        if status.is_success() {
            Answer::Ok(value)
        } else {
            Answer::Err(value)
        }
    }

    /// Calls the server function `F` with its real argument type, e.g.
    /// `browser.call_fn(CreateProject { input })`.
    pub async fn call_fn<F: ServerFn + Serialize>(&self, args: F) -> Answer {
        let endpoint = F::PATH
            .strip_prefix("/api/")
            .expect("server functions live under /api/");
        let fields = form_fields(&args);
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (&**k, &**v)).collect();
        self.call(endpoint, &form).await
    }

    pub async fn login(&self, email: &str, password: &str) -> (StatusCode, String) {
        self.post_form(
            "login",
            &[("email", email), ("password", password)],
            Some(&self.csrf),
        )
        .await
    }
}

/// `value` as the form fields a server function reads: nested names in brackets
/// (`input[name]`, `headers[0][value]`), as the page's form encoding writes them; `None`
/// fields are left out.
pub fn form_fields(value: &impl Serialize) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    match serde_json::to_value(value).unwrap() {
        Value::Object(map) => {
            for (key, value) in map {
                flatten(key, value, &mut fields);
            }
        }
        other => panic!("server function arguments are a struct, not {other}"),
    }
    fields
}

fn flatten(name: String, value: Value, fields: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::String(s) => fields.push((name, s)),
        Value::Bool(_) | Value::Number(_) => fields.push((name, value.to_string())),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{name}[{i}]"), item, fields);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                flatten(format!("{name}[{key}]"), item, fields);
            }
        }
    }
}
