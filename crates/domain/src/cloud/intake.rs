//! What Meta posts to an app's callback URL. Nothing is stored unless the body carries
//! the app's signature (`X-Hub-Signature-256`, HMAC-SHA256 of the raw bytes, compared in
//! constant time). Then one post is split by `entry` and `change`: a `messages` change for
//! a known phone-number-id becomes an On-Premises notification of its project (the same
//! pipeline as an On-Premises client's); anything else (template and number updates, a
//! number no project has, a body that cannot be read) is kept for the console. All of it
//! is stored in one transaction before Meta gets its 200.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::cloud::translate;
use crate::platform::cache::Recent;
use crate::{Db, Result, Services};

/// Whether `header` (`sha256=<hex>`) is the app secret's signature of `body`.
pub fn signature_matches(app_secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_given) = header.and_then(|h| h.strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(given) = hex::decode(hex_given.trim()) else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    bool::from(mac.finalize().into_bytes().as_slice().ct_eq(&given))
}

/// The signature Meta would send for `body` (for the simulator and tests).
pub fn sign(app_secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(app_secret.as_bytes()).expect("any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A change kept for the console rather than forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The Meta app (its internal id) whose callback URL received it.
    pub meta_app_id: i64,
    pub project_id: Option<i64>,
    pub waba_id: String,
    pub phone_number_id: String,
    pub field: String,
    pub value: String,
}

/// One post to an intake, split: notifications for projects in the On-Premises format
/// (an On-Premises client's post is one), and Meta's changes kept for the console.
#[derive(Debug, Default)]
pub struct Split {
    /// (project, On-Premises notification body).
    pub notifications: Vec<(i64, String)>,
    pub kept: Vec<Kept>,
}

/// Meta's notifications that a template of the account changed (its review, quality or
/// category): the library is read again.
pub const TEMPLATE_FIELDS: [&str; 3] = [
    "message_template_status_update",
    "message_template_quality_update",
    "template_category_update",
];

/// Meta's notifications that a number's quality or limit, or the account's standing,
/// changed: its numbers are read again.
pub const HEALTH_FIELDS: [&str; 2] = ["phone_number_quality_update", "account_update"];

impl Split {
    /// The accounts (Meta app, WABA) this post says changed in one of `fields`.
    pub fn changed(&self, fields: &[&str]) -> Vec<(i64, String)> {
        let mut accounts: Vec<(i64, String)> = self
            .kept
            .iter()
            .filter(|k| fields.contains(&k.field.as_str()))
            .map(|k| (k.meta_app_id, k.waba_id.clone()))
            .collect();
        accounts.dedup();
        accounts
    }

    /// Meta's `account_update` notices in this post, in words: (Meta app, WABA, notice).
    pub fn notices(&self) -> Vec<(i64, String, String)> {
        self.kept
            .iter()
            .filter(|k| k.field == "account_update")
            .filter_map(|k| {
                let value = serde_json::from_str(&k.value).ok()?;
                let words = rules::projects::notice::account_update(&value)?;
                Some((k.meta_app_id, k.waba_id.clone(), words))
            })
            .collect()
    }

    /// An On-Premises client's post: one notification, as it came.
    pub fn one(project_id: i64, body: String) -> Split {
        Split {
            notifications: vec![(project_id, body)],
            kept: Vec::new(),
        }
    }
}

/// Cloud projects by phone-number-id, as recently read.
pub type Numbers = Recent<String, Option<i64>>;

/// Splits a post to Meta app `meta_app_id`'s callback by entry and change, finding each
/// `messages` change's project by its `metadata.phone_number_id`.
pub async fn split(
    services: &Services,
    numbers: &Numbers,
    meta_app_id: i64,
    body: &[u8],
) -> Result<Split> {
    let mut out = Split::default();
    let Ok(post) = serde_json::from_slice::<Value>(body) else {
        out.kept.push(Kept {
            meta_app_id,
            project_id: None,
            waba_id: String::new(),
            phone_number_id: String::new(),
            field: "unreadable".into(),
            value: String::from_utf8_lossy(body).into_owned(),
        });
        return Ok(out);
    };
    for entry in post["entry"].as_array().into_iter().flatten() {
        let waba_id = entry["id"].as_str().unwrap_or_default().to_owned();
        for change in entry["changes"].as_array().into_iter().flatten() {
            let field = change["field"].as_str().unwrap_or_default().to_owned();
            let value = &change["value"];
            let phone_number_id = value["metadata"]["phone_number_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let project_id = match phone_number_id.as_str() {
                "" => None,
                id => {
                    let load = project_of(&services.db, id);
                    numbers
                        .get_or_load(id.to_owned(), &services.changes, load)
                        .await?
                }
            };
            match (field.as_str(), project_id) {
                ("messages", Some(project)) => {
                    let onprem = translate::notification(value);
                    out.notifications.push((project, onprem.to_string()));
                }
                _ => out.kept.push(Kept {
                    meta_app_id,
                    project_id,
                    waba_id: waba_id.clone(),
                    phone_number_id,
                    field,
                    value: value.to_string(),
                }),
            }
        }
    }
    Ok(out)
}

/// The Cloud project with this phone-number-id, if any.
async fn project_of(db: &Db, phone_number_id: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM projects WHERE phone_number_id = $1 AND upstream_kind = 'cloud'",
    )
    .bind(phone_number_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Keeps one change for the console, in the intake's transaction.
pub async fn keep(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    kept: &Kept,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO meta_changes (meta_app_id, project_id, waba_id, phone_number_id, field,
         value, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(kept.meta_app_id)
    .bind(kept.project_id)
    .bind(&kept.waba_id)
    .bind(&kept.phone_number_id)
    .bind(&kept.field)
    .bind(&kept.value)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{sign, signature_matches};

    #[test]
    fn only_the_apps_signature_of_these_very_bytes_matches() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let good = sign("app secret", body);
        assert!(signature_matches("app secret", body, Some(&good)));
        assert!(!signature_matches("another secret", body, Some(&good)));
        assert!(!signature_matches(
            "app secret",
            b"{\"changed\":1}",
            Some(&good)
        ));
        assert!(!signature_matches("app secret", body, None));
        assert!(!signature_matches("app secret", body, Some("sha256=zz")));
        assert!(!signature_matches(
            "app secret",
            body,
            Some(good.trim_start_matches("sha256="))
        ));
    }
}
