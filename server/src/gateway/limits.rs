//! A Cloud number's limits, checked after a message passed every other check and before
//! it goes to Meta: the cap on new business-initiated conversations (the warm-up plan's
//! step for today, and for a number Meta marked RED or flagged its messaging limit), then
//! its messages per second. Beyond either, the partner gets a 429 that says why and when
//! to try again, and Meta is never asked.

use std::time::Duration;

use domain::cloud::graph::CloudNumber;
use domain::platform::db::now_ms;
use rules::api::message::Accepted;

use super::Gateway;
use super::envelope::ApiError;

/// Why a send was held back: the log's decision and the partner's answer.
pub struct Held {
    pub decision: &'static str,
    pub error: ApiError,
}

pub async fn check(
    gateway: &Gateway,
    project_id: i64,
    number: &CloudNumber,
    accepted: &Accepted,
) -> Result<(), Held> {
    if accepted.template.is_some() {
        conversations(gateway, project_id, number, &accepted.to).await?;
    }
    let level = number.throughput_level();
    if let Err(wait) = gateway.throughput.admit(project_id, level).await {
        let error = super::throughput::refusal(level, gateway).retry_after(wait);
        return Err(Held {
            decision: "throughput",
            error,
        });
    }
    Ok(())
}

/// A template to a customer not reached in 24 h starts a conversation: within the cap.
async fn conversations(
    gateway: &Gateway,
    project_id: i64,
    number: &CloudNumber,
    to: &str,
) -> Result<(), Held> {
    let now = now_ms();
    let cap = rules::projects::warmup::cap(number.warmup.as_ref(), number.health.as_ref(), now);
    let Some((cap, why)) = cap else {
        return Ok(());
    };
    let db = &gateway.services.db;
    let until = match domain::projects::warmup::admit(db, project_id, to, cap, now).await {
        Ok(until) => until,
        Err(e) => {
            // Meta still holds the number to its own limit.
            tracing::warn!(project_id, error = %e.report(), "could not count conversations");
            None
        }
    };
    let Some(until) = until else {
        return Ok(());
    };
    let message = format!(
        "This number may start {} new conversations in 24 hours now ({why}), and has: \
         {to} was not reached in the last 24 hours, so this template would start one more. \
         A place frees up at {}; customers already reached can still be sent to.",
        rules::text::thousands(cap),
        rules::time::format_utc(until)
    );
    let error = ApiError::new(
        http::StatusCode::TOO_MANY_REQUESTS,
        message,
        vec!["429".into(), "messaging limit".into()],
    )
    .retry_after(Duration::from_millis((until - now).max(0) as u64));
    Err(Held {
        decision: "messaging_limit",
        error,
    })
}
