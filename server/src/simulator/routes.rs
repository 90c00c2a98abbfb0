//! The simulator's routes: the login, the `/v1` API behind a valid token, the control
//! endpoints, and every request recorded for `GET /control/requests`.

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Utc;
use http::StatusCode;

use super::{Simulator, api, errors, notify};

impl Simulator {
    pub fn router(self) -> Router {
        let v1 = api::routes().route_layer(axum::middleware::from_fn_with_state(
            self.clone(),
            require_token,
        ));
        Router::new()
            .route("/v1/users/login", post(api::login))
            .merge(v1)
            .route("/control/inbound", post(notify::inbound))
            .route("/control/requests", get(control_requests))
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                record_request,
            ))
            .with_state(self)
    }
}

async fn record_request(State(sim): State<Simulator>, request: Request, next: Next) -> Response {
    sim.world.lock().unwrap().requests.push(format!(
        "{} {}",
        request.method(),
        request.uri().path()
    ));
    next.run(request).await
}

async fn require_token(State(sim): State<Simulator>, request: Request, next: Next) -> Response {
    let token = request
        .headers()
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let valid = token.is_some_and(|t| {
        sim.world
            .lock()
            .unwrap()
            .tokens
            .get(t)
            .is_some_and(|exp| *exp > Utc::now())
    });
    if !valid {
        return errors(
            StatusCode::UNAUTHORIZED,
            1005,
            "Access denied",
            "Invalid or expired token: log in with POST /v1/users/login.",
        );
    }
    next.run(request).await
}

async fn control_requests(State(sim): State<Simulator>) -> axum::Json<Vec<String>> {
    axum::Json(sim.world.lock().unwrap().requests.clone())
}
