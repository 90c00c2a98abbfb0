//! The Cloud API side of the tests: a Meta app registered on the server, the Graph
//! simulator (`tujenge simulate-upstream --cloud`) as its own process posting signed
//! notifications to the app's callback URL, and a project on it. `Kind` runs one test on
//! both upstream kinds (`both_kinds!`).

use std::process::Command;

use serde_json::{Value, json};

use domain::Actor;

use super::TestApp;
use super::upstream::{Partner, Upstream};

pub const APP_ID: &str = "1234567890";
pub const APP_SECRET: &str = "simulated app secret";
pub const ACCESS_TOKEN: &str = "EAAGsimulatedSystemUserAccessToken0123456789";
pub const WABA_ID: &str = "102290129340398";
pub const PHONE_NUMBER_ID: &str = "106540352242922";
/// The command line's flags that put a project on this number of the Meta app.
pub const UPSTREAM_FLAGS: [&str; 6] = [
    "--meta-app",
    APP_ID,
    "--phone-number-id",
    PHONE_NUMBER_ID,
    "--waba-id",
    WABA_ID,
];
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
    Upstream::start(command.args(extra))
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
        self.cloud_project_on(organization_id, name, phone, PHONE_NUMBER_ID)
            .await
    }

    /// A Cloud project of the simulated app and account, on the number `phone_number_id`.
    pub async fn cloud_project_on(
        &self,
        organization_id: i64,
        name: &str,
        phone: &str,
        phone_number_id: &str,
    ) -> i64 {
        let input = rules::projects::settings::ProjectInput {
            organization_id,
            name: name.into(),
            phone_number: phone.into(),
            enforce_24h_window: true,
            kind: rules::projects::settings::UpstreamKind::Cloud,
            cloud: rules::cloud::CloudUpstreamInput {
                meta_app: APP_ID.into(),
                phone_number_id: phone_number_id.into(),
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
                let quiet = ["--status-delay-ms", "3600000", "--check-templates"];
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

impl Upstream {
    /// Adds templates to the Graph simulator's account library as Meta lists them
    /// (`status` APPROVED unless an entry says otherwise).
    pub async fn seed_templates(&self, entries: &[Value]) {
        let sent = reqwest::Client::new()
            .post(format!("{}/control/templates", self.url))
            .json(entries)
            .send()
            .await
            .unwrap();
        assert!(
            sent.status().is_success(),
            "the simulator took the templates"
        );
    }

    /// Deletes a template at Meta as WhatsApp Manager does (no notification follows).
    pub async fn delete_template(&self, name: &str) {
        let deleted = reqwest::Client::new()
            .delete(format!(
                "{}/{GRAPH_VERSION}/{WABA_ID}/message_templates?name={name}",
                self.url
            ))
            .bearer_auth(ACCESS_TOKEN)
            .send()
            .await
            .unwrap();
        assert!(deleted.status().is_success(), "Meta had {name}");
    }

    /// Meta changes the number's standing (`{phone_number_id, event, quality_rating…}`) and
    /// notifies the app.
    pub async fn change_number(&self, change: Value) {
        let sent = reqwest::Client::new()
            .post(format!("{}/control/number_health", self.url))
            .json(&change)
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success(), "the simulator knows the number");
    }

    /// Meta changes the account's standing (`status` on every number) and notifies the
    /// app with `account_update` carrying `value`.
    pub async fn change_account(&self, status: &str, value: Value) {
        let sent = reqwest::Client::new()
            .post(format!("{}/control/account_update", self.url))
            .json(&json!({"status": status, "value": value}))
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success());
    }

    /// Meta changes a template's status (`PAUSED`, `DISABLED`…) and notifies the app.
    pub async fn set_template_status(&self, name: &str, language: &str, event: &str) {
        let change = json!({"name": name, "language": language, "event": event,
            "reason": "LOW_QUALITY"});
        let sent = reqwest::Client::new()
            .post(format!("{}/control/template_status", self.url))
            .json(&change)
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success(), "the simulator knows {name}");
    }
}

/// A template as Meta lists it: one language, a body, a status.
pub fn meta_template(name: &str, language: &str, body: &str, status: &str) -> Value {
    json!({"name": name, "language": language, "category": "UTILITY", "status": status,
        "components": [{"type": "BODY", "text": body}]})
}

impl Partner {
    /// WhatsApp has the template `name` approved in `language`: on a Cloud number Meta's
    /// library holds it (Meta refuses a template it does not have); an On-Premises client
    /// leaves templates to WhatsApp's servers, which the simulator does not check.
    pub async fn whatsapp_has_template(&self, name: &str, language: &str) {
        if self.kind == Kind::Cloud {
            let entry = meta_template(name, language, "Your order has shipped.", "APPROVED");
            self.upstream.seed_templates(&[entry]).await;
        }
    }

    /// The project's library read again from Meta, as the Sync button does.
    pub async fn sync_templates(&self) -> rules::templates::meta::Synced {
        domain::templates::meta::sync(&self.app.services, &Actor::command_line(), self.project_id)
            .await
            .unwrap()
    }

    /// The project's library now, by name.
    pub async fn templates(&self) -> Vec<rules::templates::library::Template> {
        domain::templates::library::list(
            &self.app.services,
            &Actor::command_line(),
            self.project_id,
        )
        .await
        .unwrap()
    }
}
