//! Spawning the app and talking to it like a browser; `upstream` spawns the simulator.

pub mod browser;
pub mod cloud;
pub mod database;
pub mod kit;
pub mod logs;
pub mod process;
pub mod receiver;
mod rows;
pub mod upstream;

use std::sync::Arc;

use domain::{Actor, Services};
use reqwest::StatusCode;
use rules::Role;
use rules::projects::settings::ProjectInput;
use tujenge_server::startup::{Application, Settings};

pub use browser::{Answer, Browser, form_fields};
pub use logs::assert_logged_without;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub base: String,
    pub services: Services,
    pub gateway: std::sync::Arc<tujenge_server::gateway::Gateway>,
    pub database_url: String,
    /// The database's secret key (hex), for the command line run beside the server.
    pub secret_key: String,
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
        logs::install();
        let mut settings = Settings {
            addr: "127.0.0.1:0".parse().unwrap(),
            database_url: database_url.clone(),
            secrets: domain::platform::crypto::SecretBox::from_key_text(&secret_key).unwrap(),
            site_root: "target/site".into(),
            secure_cookies: false,
            throttle: Default::default(),
            gateway: tujenge_server::gateway::GatewayConfig {
                allow_insecure_webhooks: true,
                // The tests' receivers are on loopback; the address tests clear this.
                webhook_allow_cidrs: vec!["127.0.0.0/8".parse().unwrap()],
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

    /// A second instance on the same database and key (settings adjusted by `configure`),
    /// as another server of a deployment.
    pub async fn beside(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        TestApp::start(
            self._dir.clone(),
            self.database_url.clone(),
            self.secret_key.clone(),
            configure,
        )
        .await
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

    /// Project "Shop" (255700000001) on the simulator at `url`, with its password.
    pub async fn shop_at(&self, organization_id: i64, url: &str) -> i64 {
        let password = upstream::UPSTREAM_PASSWORD;
        self.project_at(organization_id, "Shop", "255700000001", url, password)
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
        let input = ProjectInput {
            organization_id,
            name: name.into(),
            phone_number: phone.into(),
            upstream_url: url.into(),
            upstream_username: "admin".into(),
            upstream_password: password.into(),
            notes: String::new(),
            enforce_24h_window: true,
            redact_bodies: false,
            ..ProjectInput::default()
        };
        domain::projects::settings::create(&self.services, &Actor::command_line(), &input)
            .await
            .unwrap()
            .id
    }

    /// Changes a project's settings as an admin does in the console: `change` edits the
    /// current values (the stored upstream password is kept).
    pub async fn update_project(&self, id: i64, change: impl FnOnce(&mut ProjectInput)) {
        let actor = Actor::command_line();
        let project = domain::projects::settings::get(&self.services, &actor, id)
            .await
            .unwrap();
        let mut input = ProjectInput::editing(&project);
        change(&mut input);
        domain::projects::settings::update(&self.services, &actor, id, &input)
            .await
            .unwrap();
    }

    /// Processes the stored notifications now and returns once none is left pending: the
    /// server's own processor may hold some of them (on PostgreSQL they are skipped here
    /// while it does), so this waits for its commit rather than assuming it did them all.
    pub async fn process_notifications(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            // No lease: the server's forwarder claims them at its next poll.
            let lease = std::time::Duration::ZERO;
            domain::webhooks::inbound::process_pending(&self.services, 100, lease)
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
        Browser::open(&self.base).await
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

/// A status notification as an On-Premises client posts it, for message `id`.
pub fn status_notification(id: &str, status: &str) -> serde_json::Value {
    serde_json::json!({"statuses": [{
        "id": id,
        "recipient_id": "15551234567",
        "status": status,
        "timestamp": "1700000000"
    }]})
}
