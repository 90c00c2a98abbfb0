//! The matrix's rows: each server function with a form, and what each caller gets back
//! (admin, support, a partner of organization A, a partner of organization B, anonymous).

use app::api::projects::settings::{CreateProject, UpdateProject};
use app::api::webhooks::config::SaveWebhook;
use rules::projects::settings::ProjectInput;
use rules::webhooks::config::HeaderRow;
use serde_json::json;

use super::expect::Expect::*;
use super::expect::{Case, Row, borrowed};
use super::world::World;
use crate::support::form_fields;

pub async fn cases(w: &World) -> Vec<Case> {
    let (project_a, partner_b) = (w.project_a.to_string(), w.partner_b_id.to_string());
    let org_b = w.org_b.to_string();
    let project = |phone: &str| ProjectInput {
        organization_id: w.org_a,
        name: "Matrix".into(),
        phone_number: phone.into(),
        upstream_url: "http://127.0.0.1:9".into(),
        upstream_username: "admin".into(),
        upstream_password: "pw".into(),
        ..ProjectInput::default()
    };
    let create_form = form_fields(&CreateProject {
        input: project("255711111111"),
    });
    let update_form = form_fields(&UpdateProject {
        id: w.project_a,
        input: project("255700000001"),
        confirm_move: None,
    });
    let hook_form = form_fields(&SaveWebhook {
        project_id: w.project_a,
        url: "http://127.0.0.1:9/hook".into(),
        headers: vec![HeaderRow {
            name: "X-Partner".into(),
            value: "a".into(),
        }],
    });

    let [revoked, rotated_by_partner, rotated_by_admin] = w.keys_a.map(|k| k.to_string());
    let delivery = w.delivery_a.to_string();
    let template_json = json!({
        "name": "matrix_template",
        "translations": [{"language": "en", "body": "Hello"}]
    })
    .to_string();
    let message_a: String = sqlx::query_scalar::<_, i64>("SELECT id FROM messages")
        .fetch_one(w.app.services.db.pool())
        .await
        .unwrap()
        .to_string();
    let cases: Vec<Row> = vec![
        (
            "list_keys",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "error_code_counts",
            vec![("code", "470".into())],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_webhook",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "get_profile",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "upstream_status",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "get_photo",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "delete_photo",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "set_upstream_callback",
            vec![("id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "recent_messages",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_profile",
            vec![
                ("project_id", project_a.clone()),
                ("profile[vertical]", "RETAIL".into()),
            ],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_about",
            vec![
                ("project_id", project_a.clone()),
                ("about", "Open 8-17".into()),
            ],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "save_webhook",
            borrowed(&hook_form),
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_signing_secret",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "send_test_event",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "check_webhook",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "list_deliveries",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "resend_delivery",
            vec![("delivery_id", delivery.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "resend_failed",
            vec![
                ("project_id", project_a.clone()),
                ("since", "2020-01-01".into()),
            ],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "create_key",
            vec![("project_id", project_a.clone()), ("name", "new".into())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "revoke_key",
            vec![("key_id", revoked.clone())],
            [Allowed, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_key",
            vec![
                ("key_id", rotated_by_partner.clone()),
                ("grace", "1h".into()),
            ],
            [Skip, Forbidden, Allowed, NotFound, Unauthenticated],
        ),
        (
            "rotate_key",
            vec![("key_id", rotated_by_admin.clone()), ("grace", "1h".into())],
            [Allowed, Forbidden, Skip, NotFound, Unauthenticated],
        ),
        (
            "list_projects",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_project",
            vec![("id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "create_project",
            borrowed(&create_form),
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "update_project",
            borrowed(&update_form),
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_organizations",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "create_organization",
            vec![("name", "New Org".into())],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_users",
            vec![],
            [Allowed, Allowed, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "create_user",
            vec![
                ("email", "new@tujenge.test".into()),
                ("password", "a long enough password".into()),
                ("role", "support".into()),
                ("organization_id", String::new()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "update_user",
            // Partner B stays in org B, so the rows after this one see the same world.
            vec![
                ("id", partner_b.clone()),
                ("role", "partner".into()),
                ("organization_id", org_b.clone()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_messages",
            vec![("filter[project_id]", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "list_messages",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_message_trace",
            vec![("id", message_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "overview_stats",
            vec![("range", "7d".into()), ("project", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "overview_stats",
            vec![("range", "24h".into())],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "template_library",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "template_library",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            "get_template",
            vec![("id", "1".into())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "template_editor",
            vec![("id", "1".into())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            "project_health",
            vec![("project_id", project_a.clone())],
            [Allowed, Allowed, Allowed, NotFound, Unauthenticated],
        ),
        (
            // Staff only; the world's project runs On-Premises, so staff are told why not.
            "check_number_health",
            vec![("project_id", project_a.clone())],
            [Invalid, Invalid, Forbidden, NotFound, Unauthenticated],
        ),
        (
            // Admins only; the world's project runs On-Premises, so the admin is told why not.
            "set_warmup",
            vec![("project_id", project_a.clone()), ("caps", "250".into())],
            [Invalid, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "clear_warmup",
            vec![("project_id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "needs_attention",
            vec![],
            [Allowed, Allowed, Allowed, Allowed, Unauthenticated],
        ),
        (
            // Staff only; the world's project runs On-Premises, so staff are told why not.
            "sync_templates",
            vec![("project_id", project_a.clone())],
            [Invalid, Invalid, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "save_template",
            vec![
                ("project_id", project_a.clone()),
                ("template", template_json.clone()),
            ],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "import_templates",
            vec![
                ("project_id", project_a.clone()),
                ("json", format!("[{template_json}]")),
            ],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "delete_template",
            vec![("id", "1".into())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_audit",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "project_inbound_url",
            vec![("id", project_a.clone())],
            [Allowed, Forbidden, Forbidden, NotFound, Unauthenticated],
        ),
        (
            "list_meta_apps",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "add_meta_app",
            vec![
                ("input[app_id]", "987654321".into()),
                ("input[name]", "Matrix app".into()),
                ("input[app_secret]", "matrix app secret".into()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        (
            "list_unmatched_numbers",
            vec![],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
        // Everyone may change their own password (here refused: the current one is wrong).
        (
            "change_password",
            vec![
                ("current_password", "not it".into()),
                ("new_password", "a long enough password".into()),
                ("repeat_password", "a long enough password".into()),
            ],
            [Invalid, Invalid, Invalid, Invalid, Unauthenticated],
        ),
        // Last: it logs partner B out.
        (
            "set_user_password",
            vec![
                ("id", partner_b.clone()),
                ("password", "a long enough password".into()),
            ],
            [Allowed, Forbidden, Forbidden, Forbidden, Unauthenticated],
        ),
    ];
    cases
        .into_iter()
        .map(|(endpoint, form, expected)| {
            let form = form.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
            (endpoint.to_owned(), form, expected)
        })
        .collect()
}
