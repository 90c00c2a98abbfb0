//! The Cloud API side of the tests: a Meta app registered on the server, the Graph
//! simulator (`tujenge simulate-upstream --cloud`) as its own process posting signed
//! notifications to the app's callback URL, and a project on it. `Kind` runs one test on
//! both upstream kinds (`both_kinds!`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::TestApp;
use super::upstream::{Partner, Upstream};

pub const APP_ID: &str = "1234567890";
pub const APP_SECRET: &str = "simulated app secret";
pub const ACCESS_TOKEN: &str = "EAAGsimulatedSystemUserAccessToken0123456789";
pub const WABA_ID: &str = "102290129340398";
pub const PHONE_NUMBER_ID: &str = "106540352242922";
pub const GRAPH_VERSION: &str = "v23.0";

/// The kind of WhatsApp client behind a partner's project.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    OnPremises,
    Cloud,
}

/// Runs the async test `$body` (a closure taking a `Kind`) once per upstream kind, as two
/// tests named `$name::on_premises` and `$name::cloud`.
#[macro_export]
macro_rules! both_kinds {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn on_premises() {
                ($body)($crate::support::cloud::Kind::OnPremises).await
            }

            #[tokio::test]
            async fn cloud() {
                ($body)($crate::support::cloud::Kind::Cloud).await
            }
        }
    };
}

/// Starts the Graph simulator posting to `callback_url`; a flag in `extra` replaces the
/// default of the same name.
pub fn spawn_graph(callback_url: &str, extra: &[&str]) -> Upstream {
    let defaults = [
        ("--access-token", ACCESS_TOKEN),
        ("--app-secret", APP_SECRET),
        ("--app-id", APP_ID),
        ("--waba-id", WABA_ID),
        ("--phone-number-id", PHONE_NUMBER_ID),
        ("--status-delay-ms", "20"),
        ("--callback-url", callback_url),
    ];
    let mut command = Command::new(env!("CARGO_BIN_EXE_tujenge"));
    command.args(["simulate-upstream", "--cloud", "--addr", "127.0.0.1:0"]);
    for (flag, value) in defaults {
        if !extra.contains(&flag) {
            command.args([flag, value]);
        }
    }
    let mut child = command
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the Graph simulator starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("simulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Upstream::from_child(url, child)
}

impl TestApp {
    /// Registers the simulated Meta app, calling Graph at `graph_url`.
    pub async fn meta_app(&self, graph_url: &str) {
        let input = domain::cloud::apps::MetaAppInput {
            app_id: APP_ID.into(),
            name: "Simulated app".into(),
            app_secret: APP_SECRET.into(),
            graph_url: graph_url.into(),
            graph_version: GRAPH_VERSION.into(),
        };
        let actor = domain::Actor::command_line();
        domain::cloud::apps::add(&self.services, &actor, &input, &self.base)
            .await
            .unwrap();
    }

    /// The Meta app's callback URL on this server.
    pub fn callback_url(&self) -> String {
        domain::cloud::apps::callback_url(&self.base, APP_ID)
    }

    /// A Cloud project of the simulated app and number.
    pub async fn cloud_project(&self, organization_id: i64, name: &str, phone: &str) -> i64 {
        let input = rules::projects::settings::ProjectInput {
            organization_id,
            name: name.into(),
            phone_number: phone.into(),
            enforce_24h_window: true,
            kind: rules::projects::settings::UpstreamKind::Cloud,
            cloud: rules::cloud::CloudUpstreamInput {
                meta_app: APP_ID.into(),
                phone_number_id: PHONE_NUMBER_ID.into(),
                waba_id: WABA_ID.into(),
                access_token: ACCESS_TOKEN.into(),
            },
            ..Default::default()
        };
        let actor = domain::Actor::command_line();
        domain::projects::settings::create(&self.services, &actor, &input)
            .await
            .unwrap()
            .id
    }
}

impl Partner {
    /// A partner whose project runs on `kind`. As the On-Premises simulator has no
    /// callback URL here, Graph's own statuses of sent messages are held back (an hour):
    /// on both kinds a test posts the notifications it means (`notify`).
    pub async fn of(kind: Kind) -> Partner {
        match kind {
            Kind::OnPremises => Partner::new().await,
            Kind::Cloud => {
                let quiet = ["--status-delay-ms", "3600000"];
                Partner::on_cloud(TestApp::spawn().await, &quiet).await
            }
        }
    }

    /// A partner whose project runs on the Cloud API behind the Graph simulator.
    pub async fn on_cloud(app: TestApp, extra: &[&str]) -> Partner {
        let graph = spawn_graph(&app.callback_url(), extra);
        app.meta_app(&graph.url).await;
        let org = app.org("Partner Co").await;
        let project_id = app.cloud_project(org, "Shop", "255700000001").await;
        Partner::assemble(app, graph, project_id, Kind::Cloud).await
    }

    /// How many messages reached the upstream (`POST /v1/messages`, or Graph's
    /// `POST /{version}/{phone-number-id}/messages`).
    pub async fn messages_sent_upstream(&self) -> usize {
        let path = match self.kind {
            Kind::OnPremises => "POST /v1/messages".to_owned(),
            Kind::Cloud => format!("POST /{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages"),
        };
        self.upstream.count(&path).await
    }

    /// The upstream posts a notification in the On-Premises shape `body` (`contacts`,
    /// `messages`, `statuses`): to the project's inbound URL, or for a Cloud number as Meta
    /// does, wrapped in its envelope and signed, to the app's callback. Returns the status.
    pub async fn notify(&self, body: &Value) -> u16 {
        match self.kind {
            Kind::OnPremises => self
                .client
                .post(self.inbound_url().await)
                .json(body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
            Kind::Cloud => {
                let post = meta_envelope(body);
                self.post_signed(&post.to_string(), APP_SECRET).await
            }
        }
    }

    /// Posts `body` to the app's callback URL, signed with `secret`.
    pub async fn post_signed(&self, body: &str, secret: &str) -> u16 {
        let signature = domain::cloud::intake::sign(secret, body.as_bytes());
        self.client
            .post(self.app.callback_url())
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body.to_owned())
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// An On-Premises notification body as Meta posts it for the simulated number.
pub fn meta_envelope(onprem: &Value) -> Value {
    let mut value = onprem.clone();
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({"display_phone_number": "15550783881",
        "phone_number_id": PHONE_NUMBER_ID});
    json!({"object": "whatsapp_business_account",
        "entry": [{"id": WABA_ID, "changes": [{"field": "messages", "value": value}]}]})
}
