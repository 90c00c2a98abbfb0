//! Realistic test data for the message log: a month of traffic with the shape real
//! projects have (busy daytime hours, mostly delivered and read, a few failures with the
//! codes WhatsApp really gives, some inbound replies). For demos and scale benchmarks.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rules::time::{DAY_MS, HOUR_MS};
use serde_json::json;

use crate::Result;
use crate::messages::log::{NewMessage, insert_batch};
use crate::platform::db::Db;

/// Rows written per transaction.
const CHUNK: usize = 5_000;

const PHRASES: [&str; 6] = [
    "Your order #{n} has shipped and arrives tomorrow.",
    "Habari! Your appointment is confirmed for Friday at 10:00.",
    "Payment of TSh {n} received, thank you.",
    "Your verification code is {n}.",
    "We have a new offer for you this week.",
    "Asante! We will call you back shortly.",
];

/// Status, error codes and gateway decision of one outbound message, by weight.
fn outcome(rng: &mut StdRng) -> (&'static str, &'static str, &'static str) {
    match rng.gen_range(0..1000) {
        0..=449 => ("read", "", "accepted"),
        450..=749 => ("delivered", "", "accepted"),
        750..=839 => ("sent", "", "accepted"),
        840..=879 => ("accepted", "", "accepted"),
        880..=919 => ("failed", "1013", "accepted"),
        920..=939 => ("failed", "470", "accepted"),
        940..=954 => ("failed", "1026", "accepted"),
        955..=964 => ("failed", "2000", "accepted"),
        965..=984 => ("refused", "470", "24h_window"),
        985..=994 => ("refused", "400", "to"),
        _ => ("refused", "1001", "text_length"),
    }
}

/// Writes `count` messages spread over the 30 days before `now` across `projects`;
/// returns how many were written. The same `seed` gives the same rows.
pub async fn seed_messages(
    db: &Db,
    projects: &[i64],
    count: usize,
    now: i64,
    seed: u64,
) -> Result<usize> {
    if projects.is_empty() {
        return Ok(0);
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let span = 30 * DAY_MS;
    let mut written = 0;
    while written < count {
        let n = CHUNK.min(count - written);
        let rows: Vec<NewMessage> = (0..n).map(|_| one(&mut rng, projects, now, span)).collect();
        insert_batch(db, &rows).await?;
        written += n;
    }
    // Fresh statistics for the query planner after a bulk load (both engines).
    sqlx::query("ANALYZE").execute(db.pool()).await?;
    Ok(written)
}

fn one(rng: &mut StdRng, projects: &[i64], now: i64, span: i64) -> NewMessage {
    // Daytime (East Africa, UTC+3) is three times as busy as the night.
    let created_at = loop {
        let at = now - rng.gen_range(0..span);
        let hour = (at / HOUR_MS + 3) % 24;
        if (7..22).contains(&hour) || rng.gen_range(0..3) == 0 {
            break at;
        }
    };
    let contact = format!("2557{:08}", rng.gen_range(0..5_000) * 9_973 % 100_000_000);
    let text = PHRASES[rng.gen_range(0..PHRASES.len())]
        .replace("{n}", &rng.gen_range(1000..99_999).to_string());
    let project_id = projects[rng.gen_range(0..projects.len())];
    if rng.gen_range(0..5) == 0 {
        let id = format!("ABGG{:016X}", rng.r#gen::<u64>());
        return NewMessage {
            created_at,
            project_id,
            direction: "inbound",
            contact: contact.clone(),
            message_type: "text".into(),
            request_body: Some(
                json!({"from": contact, "id": id, "type": "text", "text": {"body": text}})
                    .to_string(),
            ),
            decision: "received".into(),
            status: "received".into(),
            upstream_message_id: Some(id),
            ..NewMessage::default()
        };
    }
    let (status, codes, decision) = outcome(rng);
    let template = rng.gen_range(0..3) == 0;
    let body = if template {
        json!({"to": contact, "type": "template", "template": {"namespace": "demo", "name": "order_update", "language": {"policy": "deterministic", "code": "en"}}})
    } else {
        json!({"to": contact, "type": "text", "text": {"body": text}})
    };
    let reached_upstream = decision == "accepted";
    let id = reached_upstream.then(|| format!("gBEGk{:016X}", rng.r#gen::<u64>()));
    NewMessage {
        created_at,
        project_id,
        api_key_id: None,
        direction: "outbound",
        contact,
        message_type: if template { "template" } else { "text" }.into(),
        request_body: Some(body.to_string()),
        decision: decision.into(),
        status: status.into(),
        upstream_status: reached_upstream.then_some(200),
        upstream_response: id
            .as_ref()
            .map(|id| json!({"messages": [{"id": id}]}).to_string()),
        upstream_message_id: id,
        error_codes: codes.into(),
        latency_ms: Some(rng.gen_range(40..400)),
        request_headers: Some(
            r#"[["content-type","application/json"],["user-agent","demo"]]"#.into(),
        ),
        decision_detail: (!reached_upstream)
            .then(|| "Refused by the gateway's checks before the upstream (demo data).".into()),
    }
}

/// The projects to fill: those given, or every project; when there are none at all, a
/// demo organization with three projects (their upstream is a local simulator address).
pub async fn projects_to_fill(services: &crate::Services, given: &[i64]) -> Result<Vec<i64>> {
    let actor = crate::Actor::command_line();
    if !given.is_empty() {
        for id in given {
            crate::projects::settings::get(services, &actor, *id).await?;
        }
        return Ok(given.to_vec());
    }
    let existing: Vec<i64> = crate::projects::settings::list(services, &actor)
        .await?
        .iter()
        .map(|p| p.id)
        .collect();
    if !existing.is_empty() {
        return Ok(existing);
    }
    let org =
        crate::accounts::organizations::create(&services.db, &actor, "Demo Retail Ltd").await?;
    let mut ids = Vec::new();
    for (i, name) in ["Demo shop", "Demo clinic", "Demo delivery"]
        .into_iter()
        .enumerate()
    {
        let input = rules::projects::settings::ProjectInput {
            organization_id: org.id,
            name: name.into(),
            phone_number: format!("+25570000{:04}", 200 + i),
            upstream_url: "http://127.0.0.1:9090".into(),
            upstream_username: "admin".into(),
            upstream_password: "demo-password".into(),
            notes: "Created by seed-demo.".into(),
            enforce_24h_window: true,
            ..Default::default()
        };
        ids.push(
            crate::projects::settings::create(services, &actor, &input)
                .await?
                .id,
        );
    }
    Ok(ids)
}
