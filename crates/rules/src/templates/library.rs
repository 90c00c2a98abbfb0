//! A project's template library: templates with their translations and their status (kept
//! by hand for an On-Premises number, Meta's review of each language for a Cloud number),
//! the checks on save, and the check the gateway makes of a `type: template` message
//! against the library.

use serde::{Deserialize, Serialize};

pub use super::call::check_call;
use super::limits::NAMES_PER_ACCOUNT;
pub use super::status::{Category, Status};
use super::{Button, Header, TemplateDraft, lint, variables};
use crate::FieldErrors;

/// One language of a template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// WhatsApp's language code: `en`, `en_US`, `sw`, `pt_BR`.
    pub language: String,
    #[serde(default)]
    pub header: Option<Header>,
    pub body: String,
    #[serde(default)]
    pub footer: String,
    #[serde(default)]
    pub buttons: Vec<Button>,
    /// Sample values for the body's variables, for the preview and the reviewer.
    #[serde(default)]
    pub samples: Vec<String>,
    /// Sample value for a text header's `{{1}}`.
    #[serde(default)]
    pub header_sample: String,
    /// Meta's review of this language (Cloud numbers); `None` in a hand-kept library, where
    /// the template's own status stands for every language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// How Meta stands on one language of a template.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub status: Status,
    /// Why Meta rejected, paused or disabled it (Meta's words, such as `INVALID_FORMAT`).
    #[serde(default)]
    pub reason: String,
    /// Meta's quality score: GREEN, YELLOW, RED or UNKNOWN (empty when Meta gives none).
    #[serde(default)]
    pub quality: String,
    /// Meta's id of this language of the template.
    #[serde(default)]
    pub meta_id: String,
}

impl Translation {
    /// An empty translation in `language`, as the editor starts one.
    pub fn new(language: &str) -> Translation {
        Translation {
            language: language.into(),
            ..Translation::default()
        }
    }

    pub fn draft(&self, name: &str) -> TemplateDraft {
        TemplateDraft {
            name: name.to_owned(),
            header: self.header.clone(),
            body: self.body.clone(),
            footer: self.footer.clone(),
            buttons: self.buttons.clone(),
            samples: self.samples.clone(),
            header_sample: self.header_sample.clone(),
        }
    }

    /// This language's status and reason: Meta's review where there is one, else the
    /// template's.
    pub fn status<'a>(&'a self, template: &'a TemplateInput) -> (Status, &'a str) {
        match &self.review {
            Some(r) => (r.status, r.reason.as_str()),
            None => (template.status, template.rejection_reason.as_str()),
        }
    }

    /// How many body parameters a message must give (the variables `{{1}}`…`{{n}}`).
    pub fn body_parameters(&self) -> usize {
        variables(&self.body).into_iter().max().unwrap_or(0) as usize
    }
}

/// What staff edit (and what import and export carry).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateInput {
    pub name: String,
    #[serde(default)]
    pub category: Category,
    #[serde(default)]
    pub status: Status,
    /// Why WhatsApp rejected it (required when rejected).
    #[serde(default)]
    pub rejection_reason: String,
    pub translations: Vec<Translation>,
}

impl TemplateInput {
    /// The template without its `language` translation: `Ok(None)` when that was the last
    /// one (the template goes with it), `Err` with words when it has no such language.
    pub fn without(&self, language: &str) -> Result<Option<TemplateInput>, String> {
        if !self.translations.iter().any(|t| t.language == language) {
            return Err(format!("{} has no {language} translation.", self.name));
        }
        let mut left = self.clone();
        left.translations.retain(|t| t.language != language);
        Ok(Some(left).filter(|l| !l.translations.is_empty()))
    }
}

/// A stored template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: i64,
    pub project_id: i64,
    #[serde(flatten)]
    pub input: TemplateInput,
    pub updated_at: i64,
}

/// A project's library as the templates page shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub project_id: i64,
    pub project_name: String,
    /// Kept by Meta (a Cloud number's account): synced and submitted there, not edited by
    /// hand.
    pub at_meta: bool,
    pub templates: Vec<Template>,
}

/// `en`, `sw`, `en_US`, `pt_BR`, `zh_CN`.
pub fn check_language(code: &str) -> Result<(), String> {
    let (lang, region) = code.split_once('_').unwrap_or((code, ""));
    let lang_ok = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
    let region_ok =
        region.is_empty() || (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase()));
    if lang_ok && region_ok && !code.ends_with('_') {
        Ok(())
    } else {
        Err(format!(
            "'{code}' is not a WhatsApp language code: use forms like en, sw, en_US or pt_BR."
        ))
    }
}

/// Every problem with a template, by field; translation fields are `translations.N.field`.
pub fn check(input: &TemplateInput) -> FieldErrors {
    let mut errors = FieldErrors::default();
    if input.translations.is_empty() {
        errors.add("translations", "Add at least one language.");
    }
    for (i, t) in input.translations.iter().enumerate() {
        errors.check(
            &format!("translations.{i}.language"),
            check_language(&t.language),
        );
        if input.translations[..i]
            .iter()
            .any(|o| o.language == t.language)
        {
            errors.add(
                &format!("translations.{i}.language"),
                format!("{} is there twice: each language once.", t.language),
            );
        }
        for f in lint(&t.draft(&input.name)) {
            // Name findings belong to the template, the rest to the translation.
            let field = if f.field == "name" {
                "name".to_owned()
            } else {
                format!("translations.{i}.{}", f.field)
            };
            if f.field != "name" || errors.get("name").is_none() {
                errors.add(&field, f.message);
            }
        }
    }
    if input.translations.is_empty() {
        for f in lint(&TemplateDraft {
            name: input.name.clone(),
            body: "x".into(),
            ..TemplateDraft::default()
        })
        .into_iter()
        .filter(|f| f.field == "name")
        {
            errors.add("name", f.message);
        }
    }
    if input.status == Status::Rejected && input.rejection_reason.trim().is_empty() {
        errors.add(
            "rejection_reason",
            "Say why WhatsApp rejected it, so the partner knows what to change.",
        );
    }
    errors
}

/// The 250-names rule: adding `name` to a library that has `existing` names.
pub fn check_room(existing: usize, name_is_new: bool) -> Result<(), String> {
    if name_is_new && existing >= NAMES_PER_ACCOUNT {
        Err(format!(
            "This account already has {NAMES_PER_ACCOUNT} template names, WhatsApp's limit \
             (translations count once). Delete or reuse one."
        ))
    } else {
        Ok(())
    }
}

/// One translation as WhatsApp lists templates: name, category, language, status and
/// components (HEADER, BODY, FOOTER, BUTTONS, with the sample values as `example` where
/// there are variables), for `GET /v1/configs/templates`.
pub fn listing(template: &TemplateInput, t: &Translation) -> serde_json::Value {
    use serde_json::json;
    let mut components = Vec::new();
    match &t.header {
        Some(Header::Text(text)) => {
            let mut header = json!({"type": "HEADER", "format": "TEXT", "text": text});
            if !variables(text).is_empty() && !t.header_sample.is_empty() {
                header["example"] = json!({"header_text": [t.header_sample]});
            }
            components.push(header);
        }
        Some(Header::Media(kind)) => {
            components.push(json!({"type": "HEADER", "format": kind.to_ascii_uppercase()}))
        }
        None => {}
    }
    let mut body = json!({"type": "BODY", "text": t.body});
    let wanted = t.body_parameters();
    if wanted > 0 && t.samples.len() >= wanted && t.samples[..wanted].iter().all(|s| !s.is_empty())
    {
        body["example"] = json!({"body_text": [t.samples[..wanted]]});
    }
    components.push(body);
    if !t.footer.is_empty() {
        components.push(json!({"type": "FOOTER", "text": t.footer}));
    }
    if !t.buttons.is_empty() {
        let buttons: Vec<_> = t
            .buttons
            .iter()
            .map(|b| {
                let kind = match b.kind {
                    super::ButtonKind::QuickReply => "QUICK_REPLY",
                    super::ButtonKind::Url => "URL",
                    super::ButtonKind::Phone => "PHONE_NUMBER",
                };
                json!({"type": kind, "text": b.text})
            })
            .collect();
        components.push(json!({"type": "BUTTONS", "buttons": buttons}));
    }
    json!({
        "name": template.name,
        "category": template.category.as_str().to_ascii_uppercase(),
        "language": t.language,
        "status": t.status(template).0.meta_word(),
        "body_parameters": t.body_parameters(),
        "components": components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> TemplateInput {
        TemplateInput {
            name: "order_update".into(),
            status: Status::Approved,
            translations: vec![
                Translation {
                    language: "en".into(),
                    body: "Hello {{1}}, order {{2}} shipped.".into(),
                    ..Translation::default()
                },
                Translation {
                    language: "sw".into(),
                    body: "Habari {{1}}, oda {{2}} imetumwa.".into(),
                    ..Translation::default()
                },
            ],
            ..TemplateInput::default()
        }
    }

    #[test]
    fn deleting_one_language_keeps_the_others_and_the_last_takes_the_template() {
        let both = template();
        let english_only = both.without("sw").unwrap().unwrap();
        let languages: Vec<&str> = english_only
            .translations
            .iter()
            .map(|t| t.language.as_str())
            .collect();
        assert_eq!(languages, ["en"]);
        assert_eq!(english_only.name, "order_update");
        assert_eq!(english_only.without("en"), Ok(None));
        assert_eq!(
            english_only.without("sw"),
            Err("order_update has no sw translation.".to_owned())
        );
    }

    #[test]
    fn languages_follow_whatsapps_codes() {
        for good in ["en", "sw", "en_US", "pt_BR", "fil"] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in ["", "EN", "en-US", "en_us", "english", "en_", "e"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn save_checks_name_languages_bodies_and_rejections() {
        assert!(check(&template()).is_empty());
        let mut t = template();
        t.name = "Order Update".into();
        t.translations[1].language = "en".into();
        t.translations[0].body = "x".repeat(1025);
        t.status = Status::Rejected;
        let errors = check(&t);
        for field in [
            "name",
            "translations.1.language",
            "translations.0.body",
            "rejection_reason",
        ] {
            assert!(errors.get(field).is_some(), "{field}: {errors:?}");
        }
        assert_eq!(
            errors.0.iter().filter(|e| e.field == "name").count(),
            1,
            "the name is reported once"
        );
        assert!(
            check(&TemplateInput {
                name: "x".into(),
                ..TemplateInput::default()
            })
            .get("translations")
            .is_some()
        );
    }

    #[test]
    fn the_gateway_check_gives_2001_and_2000() {
        let mut t = template();
        assert_eq!(check_call(&t, "en", 2), Ok(()));
        let refused = |t: &TemplateInput, language, n| check_call(t, language, n).unwrap_err();
        assert_eq!(
            (refused(&t, "fr", 2).code, refused(&t, "fr", 2).check),
            (2001, "template_language")
        );
        assert!(refused(&t, "fr", 2).message.contains("en, sw"));
        assert_eq!(
            (refused(&t, "sw", 1).code, refused(&t, "sw", 1).check),
            (2000, "template_parameters")
        );
        for (status, says) in [
            (Status::Draft, "draft"),
            (
                Status::Submitted,
                "is PENDING: waiting for WhatsApp's review",
            ),
            (
                Status::Rejected,
                "rejected template 'order_update' (en): too promotional",
            ),
            (Status::Paused, "is PAUSED by Meta (too promotional)"),
            (Status::Disabled, "is DISABLED by Meta"),
        ] {
            (t.status, t.rejection_reason) = (status, "too promotional".into());
            let r = refused(&t, "en", 2);
            assert_eq!((r.code, r.check), (2001, "template_status"), "{status:?}");
            assert!(r.message.contains(says), "{}", r.message);
        }
    }

    #[test]
    fn the_251st_name_is_refused_but_edits_are_not() {
        assert!(check_room(249, true).is_ok());
        assert!(check_room(250, true).unwrap_err().contains("250"));
        assert!(check_room(250, false).is_ok());
    }
}
