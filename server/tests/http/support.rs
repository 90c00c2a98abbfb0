//! Spawning the app and talking to it like a browser; `upstream` spawns the simulator.

pub mod database;
pub mod process;
pub mod receiver;
pub mod upstream;

use std::sync::{Arc, Mutex, OnceLock};

use domain::{Actor, Services};
use reqwest::StatusCode;
use rules::Role;
use serde_json::Value;
use tujenge_server::startup::{Application, Settings};

pub const PASSWORD: &str = "correct horse battery staple";

/// Whether any log line the servers in this test binary wrote so far contains `needle`
/// (for checks that secrets never appear).
pub fn logs_contain(needle: &str) -> bool {
    let logs = log_buffer().lock().unwrap();
    logs.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn log_buffer() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let _ = tracing_subscriber::fmt()
            // Debug everywhere but the chattiest libraries (whose debug lines are protocol noise).
            .with_env_filter("debug,sqlx=info,hyper=info,hyper_util=info,reqwest=info,h2=info,tower_sessions_core=info")
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .try_init();
        buffer
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct TestApp {
    pub base: String,
    pub services: Services,
    pub gateway: std::sync::Arc<tujenge_server::gateway::Gateway>,
    pub database_url: String,
    secret_key: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Arc<tempfile::TempDir>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// Spawns with settings adjusted by `configure` (gateway timeouts, base path...).
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let database_url = database::url_for(dir.path());
        let key = domain::platform::crypto::SecretBox::generate_key_text();
        TestApp::start(dir, database_url, key, configure).await
    }

    async fn start(
        dir: Arc<tempfile::TempDir>,
        database_url: String,
        secret_key: String,
        configure: impl FnOnce(&mut Settings),
    ) -> TestApp {
        log_buffer();
        let mut settings = Settings {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: database_url.clone(),
            secrets: domain::platform::crypto::SecretBox::from_key_text(&secret_key).unwrap(),
            site_root: "target/site".into(),
            secure_cookies: false,
            throttle: Default::default(),
            gateway: tujenge_server::gateway::GatewayConfig {
                allow_insecure_webhooks: true,
                ..Default::default()
            },
            metrics_addr: None,
            delivery: tujenge_server::notifications::DeliveryConfig::default(),
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            session_lifetime: std::time::Duration::from_secs(12 * 3600),
        };
        configure(&mut settings);
        let app = Application::build(settings).await.expect("app builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let services = app.services().clone();
        let gateway = app.gateway();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            app.run_until(async move {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        TestApp {
            base,
            services,
            gateway,
            database_url,
            secret_key,
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
        }
    }

    /// Stops the server gracefully and starts a new one on the same database and key.
    pub async fn restart(mut self) -> TestApp {
        self.shutdown.take().unwrap().send(()).unwrap();
        self.server.take().unwrap().await.unwrap();
        TestApp::start(
            self._dir.clone(),
            self.database_url.clone(),
            self.secret_key.clone(),
            |_| {},
        )
        .await
    }

    pub async fn org(&self, name: &str) -> i64 {
        domain::accounts::organizations::create(&self.services.db, &Actor::command_line(), name)
            .await
            .unwrap()
            .id
    }

    pub async fn user(&self, email: &str, role: Role, organization_id: Option<i64>) {
        let new = domain::accounts::users::NewUser {
            email,
            password: PASSWORD,
            role,
            organization_id,
        };
        domain::accounts::users::create(&self.services.db, &Actor::command_line(), new)
            .await
            .unwrap();
    }

    pub async fn project(&self, organization_id: i64, name: &str, phone: &str) -> i64 {
        self.project_at(
            organization_id,
            name,
            phone,
            "http://127.0.0.1:9",
            &format!("{name}-upstream-secret"),
        )
        .await
    }

    /// A project whose upstream is at `url`, logging in as admin with `password`.
    pub async fn project_at(
        &self,
        organization_id: i64,
        name: &str,
        phone: &str,
        url: &str,
        password: &str,
    ) -> i64 {
        let input = rules::projects::settings::ProjectInput {
            organization_id,
            name: name.into(),
            phone_number: phone.into(),
            upstream_url: url.into(),
            upstream_username: "admin".into(),
            upstream_password: password.into(),
            notes: String::new(),
            enforce_24h_window: true,
            redact_bodies: false,
        };
        domain::projects::settings::create(&self.services, &Actor::command_line(), &input)
            .await
            .unwrap()
            .id
    }

    /// Processes the stored notifications now and returns once none is left pending: the
    /// server's own processor may hold some of them (on PostgreSQL they are skipped here
    /// while it does), so this waits for its commit rather than assuming it did them all.
    pub async fn process_notifications(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            domain::webhooks::inbound::process_pending(&self.services, 100)
                .await
                .unwrap();
            let pending: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE processed_at IS NULL")
                    .fetch_one(self.services.db.pool())
                    .await
                    .unwrap();
            if pending == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{pending} notifications still pending after 10 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// A new API key for the project, as the partner would receive it.
    pub async fn api_key(&self, project_id: i64) -> String {
        domain::projects::keys::create(
            &self.services,
            &Actor::command_line(),
            project_id,
            "test key",
            None,
        )
        .await
        .unwrap()
        .secret
    }

    /// A browser with its own cookie jar, holding the page's CSRF token.
    pub async fn browser(&self) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut browser = Browser {
            client,
            base: self.base.clone(),
            csrf: String::new(),
        };
        browser.refresh_csrf().await;
        browser
    }

    pub async fn logged_in(&self, email: &str) -> Browser {
        let browser = self.browser().await;
        let (status, body) = browser.login(email, PASSWORD).await;
        assert_eq!(status, StatusCode::OK, "{email} logs in: {body}");
        browser
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
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
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Reads the CSRF token the way the page carries it: `<meta name="csrf-token">`.
    pub async fn refresh_csrf(&mut self) {
        let html = self.get("/login").await.text().await.unwrap();
        if let Some(token) = meta_csrf(&html) {
            self.csrf = token;
        }
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

    pub async fn login(&self, email: &str, password: &str) -> (StatusCode, String) {
        self.post_form(
            "login",
            &[("email", email), ("password", password)],
            Some(&self.csrf),
        )
        .await
    }
}

pub fn meta_csrf(html: &str) -> Option<String> {
    let start =
        html.find("name=\"csrf-token\" content=\"")? + "name=\"csrf-token\" content=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned()).filter(|t| !t.is_empty())
}
