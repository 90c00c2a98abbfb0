//! Template messages are checked against the project's library before the upstream:
//! not approved or unknown language 2001, wrong parameter count 2000;
//! `GET /v1/configs/templates` lists the approved ones. Templates the library does not
//! have are left to WhatsApp — except on a Cloud number, whose library is Meta's, read
//! whole by a sync: a name it lacks is refused with 2001.

use crate::both_kinds;
use domain::Actor;
use reqwest::StatusCode;
use rules::templates::library::{Status, TemplateInput, Translation};
use serde_json::{Value, json};

use crate::support::cloud::Kind;
use crate::support::upstream::{Partner, assert_envelope, assert_refusal};

async fn library(p: &Partner) {
    let admin = admin();
    let order_update = TemplateInput {
        name: "order_update".into(),
        status: Status::Approved,
        translations: vec![
            Translation {
                language: "en".into(),
                header: Some(rules::templates::Header::Text("Order {{1}}".into())),
                header_sample: "A-1".into(),
                body: "Hello {{1}}, order {{2}} has shipped.".into(),
                footer: "Reply STOP to opt out".into(),
                samples: vec!["Ann".into(), "A-1".into()],
                ..Translation::default()
            },
            Translation {
                language: "sw".into(),
                body: "Habari {{1}}, oda {{2}} imetumwa.".into(),
                ..Translation::default()
            },
        ],
        ..TemplateInput::default()
    };
    let draft = TemplateInput {
        name: "spring_sale".into(),
        translations: vec![Translation {
            language: "en".into(),
            body: "Sale!".into(),
            ..Translation::default()
        }],
        ..TemplateInput::default()
    };
    match p.kind {
        Kind::OnPremises => {
            for t in [order_update, draft] {
                domain::templates::library::save(&p.app.services, &admin, p.project_id, None, &t)
                    .await
                    .unwrap();
            }
        }
        // Meta's library has the same templates (and not its sample), the second one
        // still in review.
        Kind::Cloud => {
            p.upstream.delete_template("hello_world").await;
            let mut entries = Vec::new();
            for (t, status) in [(order_update, "APPROVED"), (draft, "PENDING")] {
                for tr in &t.translations {
                    let mut entry = rules::templates::meta::submission(&t, tr);
                    entry["status"] = json!(status);
                    entries.push(entry);
                }
            }
            p.upstream.seed_templates(&entries).await;
            p.sync_templates().await;
        }
    }
}

fn admin() -> Actor {
    Actor {
        user_id: None,
        label: "test admin".into(),
        role: rules::Role::Admin,
        organization_id: None,
    }
}

/// Sends the template `name` in `language` with these body parameters.
async fn send(p: &Partner, name: &str, language: &str, parameters: &[&str]) -> (StatusCode, Value) {
    p.post("/v1/messages", &message(name, language, parameters))
        .await
}

fn message(name: &str, language: &str, parameters: &[&str]) -> Value {
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|t| json!({"type": "text", "text": t}))
        .collect();
    json!({
        "to": "15551230000",
        "type": "template",
        "template": {
            "name": name,
            "language": {"policy": "deterministic", "code": language},
            "components": [{"type": "body", "parameters": parameters}]
        }
    })
}

both_kinds!(
    an_unknown_language_is_refused_with_2001,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        let (status, answer) = send(&p, "order_update", "fr", &["Ann", "A-1"]).await;
        assert_eq!(status, 400);
        assert_refusal(&answer, 400, "2001", "en, sw");
        assert_eq!(p.messages_sent_upstream().await, 0, "nothing went upstream");
    }
);

both_kinds!(
    a_template_that_is_not_approved_is_refused_with_2001,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        let (status, answer) = send(&p, "spring_sale", "en", &[]).await;
        assert_eq!(status, 400);
        let says = match kind {
            Kind::OnPremises => "draft that has not been submitted",
            Kind::Cloud => "is PENDING: waiting for WhatsApp's review",
        };
        assert_refusal(&answer, 400, "2001", says);
        assert_eq!(p.messages_sent_upstream().await, 0, "nothing went upstream");
    }
);

both_kinds!(
    a_wrong_parameter_count_is_refused_with_2000,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        let (status, answer) = send(&p, "order_update", "sw", &["Ann"]).await;
        assert_eq!(status, 400);
        assert_refusal(
            &answer,
            400,
            "2000",
            "takes 2 body parameters but the message gives 1",
        );
        let logged: (String, String) = sqlx::query_as("SELECT decision, error_codes FROM messages")
            .fetch_one(p.app.services.db.pool())
            .await
            .unwrap();
        assert_eq!(
            logged,
            ("template_parameters".into(), "2000".into()),
            "the refusal is in the message log"
        );
    }
);

both_kinds!(
    a_matching_message_goes_upstream_and_an_unknown_name_is_left_to_whatsapp_unless_meta_was_read,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        assert_eq!(send(&p, "order_update", "en", &["Ann", "A-1"]).await.0, 200);
        // Left to WhatsApp on an On-Premises client; a Cloud number's library was read
        // whole from Meta, so Meta has no such template: refused before Meta is asked.
        let (status, answer) = send(&p, "not_in_the_library", "en", &[]).await;
        let (expected, upstream) = match kind {
            Kind::OnPremises => (200, 2),
            Kind::Cloud => (400, 1),
        };
        assert_eq!(status, expected, "{answer}");
        if kind == Kind::Cloud {
            assert_refusal(&answer, 400, "2001", "not in this number's library at Meta");
        }
        assert_eq!(p.messages_sent_upstream().await, upstream);
    }
);

both_kinds!(
    the_list_shows_approved_templates_per_language,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        let (status, answer) = p.get("/v1/configs/templates").await;
        assert_eq!(status, 200, "{answer}");
        let listed: Vec<(&str, &str, &str)> = answer["templates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["name"].as_str().unwrap(),
                    t["language"].as_str().unwrap(),
                    t["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("order_update", "en", "APPROVED"),
                ("order_update", "sw", "APPROVED")
            ],
            "the draft is not listed"
        );
        let components = &answer["templates"][0]["components"];
        assert_eq!(components[0]["example"], json!({"header_text": ["A-1"]}));
        assert_eq!(
            components[1]["example"],
            json!({"body_text": [["Ann", "A-1"]]}),
            "WhatsApp's shape: one list of samples per example"
        );
        assert_eq!(
            components[2],
            json!({"type": "FOOTER", "text": "Reply STOP to opt out"})
        );
        assert_eq!(
            answer["templates"][1]["components"][0].get("example"),
            None,
            "no samples, no example"
        );
        assert_eq!(answer["templates"][0]["body_parameters"], 2);
        let (status, answer) = p.post("/v1/configs/templates", &json!({})).await;
        assert_eq!(status, 405);
        assert_envelope(&answer, 405, "405");
    }
);

both_kinds!(
    an_edited_template_is_checked_as_edited_at_once,
    |kind| async move {
        let p = Partner::of(kind).await;
        library(&p).await;
        assert_eq!(
            send(&p, "order_update", "en", &["Ann", "A-1"]).await.0,
            200,
            "cached as two parameters"
        );
        let admin = admin();
        let stored = domain::templates::library::list(&p.app.services, &admin, p.project_id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.input.name == "order_update")
            .unwrap();
        let mut edited = stored.input.clone();
        edited.translations[0].body = "Hello {{1}}, your order has shipped.".into();
        domain::templates::library::save(
            &p.app.services,
            &admin,
            p.project_id,
            Some(stored.id),
            &edited,
        )
        .await
        .unwrap();
        let (status, answer) = send(&p, "order_update", "en", &["Ann", "A-1"]).await;
        assert_eq!(status, 400, "{answer}");
        // An edit goes to Meta's review again: until it comes back, the template waits.
        let code = match kind {
            Kind::OnPremises => "2000",
            Kind::Cloud => "2001",
        };
        assert_envelope(&answer, 400, code);
    }
);
