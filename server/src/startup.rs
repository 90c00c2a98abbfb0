//! Builds the application from settings, binds its port (0 picks a free one, for tests)
//! and runs it until a shutdown signal.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::FromRef;
use axum::routing::get;
use domain::accounts::sessions::DbSessionStore;
use domain::platform::key_check::{self, KeyFit};
use domain::webhooks::client::{WebhookClient, WebhookPolicy};
use domain::{Db, Services};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::gateway::{self, Gateway, GatewayConfig, metrics::Metrics};
use crate::http;
use crate::notifications::{
    DeliveryConfig,
    forwarder::{self, Dispatch},
    intake::Intake,
    worker::{self, Notifier},
};

/// Everything `serve` needs, already resolved.
#[derive(Clone, Debug)]
pub struct Settings {
    pub addr: SocketAddr,
    pub database_url: String,
    pub secrets: domain::platform::crypto::SecretBox,
    /// Folder with the built site (`pkg/` with the wasm, JS and CSS).
    pub site_root: String,
    /// Mark cookies Secure (set when the console is served over TLS).
    pub secure_cookies: bool,
    pub throttle: domain::accounts::login::Throttle,
    pub gateway: GatewayConfig,
    /// Where Prometheus metrics are served; never the partner-facing port.
    pub metrics_addr: Option<SocketAddr>,
    pub delivery: DeliveryConfig,
    /// The address upstreams and browsers reach this server at, e.g. https://waba.example.com.
    pub public_url: String,
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxies`).
    pub trusted_proxies: Vec<rules::net::Cidr>,
    /// A console login ends this long after it began, however active.
    pub session_lifetime: std::time::Duration,
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
}

pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    router: Router,
    services: Services,
    gateway: Arc<Gateway>,
    notifier: Notifier,
    delivery: DeliveryConfig,
    /// The intake's hand-over to the forwarder, both ends.
    hand_over: (
        Dispatch,
        tokio::sync::mpsc::Receiver<domain::webhooks::queue::Due>,
    ),
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = Db::connect(&settings.database_url).await?;
        if key_check::check(&db, &settings.secrets).await? == KeyFit::WrongKey {
            anyhow::bail!(
                "the secret key does not open the secrets stored in {}",
                Db::describe_url(&settings.database_url)
            );
        }
        let webhook_policy = WebhookPolicy {
            allow_http: settings.gateway.allow_insecure_webhooks,
            allow: settings.gateway.webhook_allow_cidrs.clone().into(),
            roots: settings.gateway.webhook_roots.clone(),
        };
        let services = Services::new(
            db.clone(),
            settings.secrets.clone(),
            settings.throttle.clone(),
        )
        .with_webhooks(
            WebhookClient::new(settings.delivery.attempt_timeout, webhook_policy),
            settings.delivery.schedule.clone(),
        );
        let listener = TcpListener::bind(settings.addr).await?;
        let leptos_options = LeptosOptions::builder()
            .output_name("tujenge")
            .site_root(settings.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(listener.local_addr()?)
            .build();
        let metrics_listener = match settings.metrics_addr {
            Some(addr) => Some(TcpListener::bind(addr).await?),
            None => None,
        };
        let gateway = Gateway::new(
            settings.gateway.clone(),
            services.clone(),
            Arc::new(Metrics::default()),
        );
        let state = AppState {
            leptos_options,
            services: services.clone(),
        };
        let notifier = Notifier::default();
        let public_url = if settings.public_url.is_empty() {
            format!("http://{}", listener.local_addr()?)
        } else {
            settings.public_url.trim_end_matches('/').to_owned()
        };
        let guard = http::security::GuardState {
            services: services.clone(),
            trusted_proxies: settings.trusted_proxies.clone().into(),
            session_lifetime: settings.session_lifetime,
        };
        let hand_over = forwarder::channel();
        let intake = Intake::start(gateway.clone(), hand_over.0.clone(), notifier.clone());
        let router = router(
            state,
            gateway.clone(),
            intake,
            guard,
            (settings.secure_cookies, public_url),
        );
        Ok(Application {
            listener,
            metrics_listener,
            router,
            services,
            gateway,
            notifier,
            delivery: settings.delivery,
            hand_over,
        })
    }

    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    pub fn gateway(&self) -> Arc<Gateway> {
        self.gateway.clone()
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let mut background = vec![
            tokio::spawn(housekeeping(self.services.clone())),
            tokio::spawn(self.gateway.clone().housekeeping()),
        ];
        background.extend(worker::start(
            self.gateway.clone(),
            self.delivery.clone(),
            self.notifier.clone(),
            self.hand_over,
        ));
        if let Some(listener) = self.metrics_listener {
            let metrics = self.gateway.metrics.clone();
            let render = move || async move {
                let content_type = [(::http::header::CONTENT_TYPE, gateway::metrics::CONTENT_TYPE)];
                (content_type, metrics.render())
            };
            let app = Router::new().route("/metrics", get(render));
            background.push(tokio::spawn(async move {
                let _ = axum::serve(listener, app).await;
            }));
        }
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service)
            .with_graceful_shutdown(shutdown)
            .await?;
        for task in background {
            task.abort();
        }
        self.gateway.flush().await;
        self.services.db.close().await;
        Ok(())
    }
}

fn router(
    state: AppState,
    gateway: Arc<Gateway>,
    intake: Arc<Intake>,
    guard: http::security::GuardState,
    (secure_cookies, public_url): (bool, String),
) -> Router {
    let routes = generate_route_list(app::App);
    let services = state.services.clone();
    let context = move || {
        provide_context(services.clone());
        provide_context(app::api::ctx::PublicUrl(public_url.clone()));
    };
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.services.db.clone()))
        .with_name("tujenge_session")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(12)));
    let console = Router::new()
        .route(
            "/export/messages",
            get(http::export::messages_csv).with_state(state.services.clone()),
        )
        .route(
            "/export/templates",
            get(http::export::templates_json).with_state(state.services.clone()),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, app::shell))
        .layer(axum::middleware::from_fn_with_state(
            guard,
            http::security::guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            secure_cookies,
            http::security::response_headers,
        ))
        .layer(sessions)
        .with_state(state);
    // Machine-to-machine routes: no session, no CSRF (the inbound URL carries its own
    // secret; Meta's posts carry the app secret's signature).
    let meta = Router::new()
        .route(
            "/meta/{app_id}/webhook",
            get(crate::notifications::meta::handshake).post(crate::notifications::meta::receive),
        )
        .with_state(intake.clone());
    let machines = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/inbound/{project}/{token}",
            axum::routing::post(crate::notifications::inbound::receive),
        )
        .with_state(intake);
    machines
        .merge(meta)
        .merge(console)
        .layer(axum::middleware::from_fn_with_state(
            gateway,
            gateway::routes::intercept,
        ))
        .layer(http::access_log::layer())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            http::panic::panic_response,
        ))
}

/// Periodic clean-up: expired sessions and old login failures.
async fn housekeeping(services: Services) {
    let sessions = DbSessionStore::new(services.db.clone());
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = sessions.delete_expired().await {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
        if let Err(e) =
            domain::accounts::login::purge_old_failures(&services.db, &services.throttle).await
        {
            tracing::warn!(error = %e, "could not purge old login failures");
        }
    }
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}
