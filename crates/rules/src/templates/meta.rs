//! Templates as Meta's Graph API keeps them — `GET /{waba-id}/message_templates` lists one
//! entry per name and language, each with its own review — turned into the library's
//! templates (one per name, a translation per language carrying its review), and a
//! translation turned into what `POST /{waba-id}/message_templates` takes.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::library::{Category, Review, Status, TemplateInput, Translation};
use super::{Button, ButtonKind, Header};

/// What a sync found and changed in one project's library.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synced {
    pub templates: usize,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
}

impl std::fmt::Display for Synced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = if self.templates == 1 { "name" } else { "names" };
        write!(
            f,
            "Synced from Meta: {} template {names} ({} new, {} changed, {} removed).",
            self.templates, self.added, self.changed, self.removed
        )
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn header(component: &Value, t: &mut Translation) {
    match component["format"].as_str().unwrap_or("TEXT") {
        "TEXT" => {
            t.header = Some(Header::Text(text(&component["text"])));
            t.header_sample = text(&component["example"]["header_text"][0]);
        }
        media => t.header = Some(Header::Media(media.to_ascii_lowercase())),
    }
}

fn button(b: &Value) -> Button {
    let (kind, target) = match b["type"].as_str().unwrap_or_default() {
        "URL" => (ButtonKind::Url, text(&b["url"])),
        "PHONE_NUMBER" => (ButtonKind::Phone, text(&b["phone_number"])),
        _ => (ButtonKind::QuickReply, String::new()),
    };
    Button {
        kind,
        text: text(&b["text"]),
        target,
    }
}

/// One entry of Meta's list as a translation with its review.
fn translation(entry: &Value) -> Translation {
    let mut t = Translation::new(entry["language"].as_str().unwrap_or_default());
    for component in entry["components"].as_array().into_iter().flatten() {
        match component["type"].as_str().unwrap_or_default() {
            "HEADER" => header(component, &mut t),
            "BODY" => {
                t.body = text(&component["text"]);
                t.samples = component["example"]["body_text"][0]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(text)
                    .collect();
            }
            "FOOTER" => t.footer = text(&component["text"]),
            "BUTTONS" => {
                let buttons = component["buttons"].as_array().into_iter().flatten();
                t.buttons = buttons.map(button).collect();
            }
            _ => {}
        }
    }
    let status = Status::from_meta(entry["status"].as_str().unwrap_or_default());
    let reason = text(&entry["rejected_reason"]);
    t.review = Some(Review {
        status,
        reason: if reason == "NONE" {
            String::new()
        } else {
            reason
        },
        quality: text(&entry["quality_score"]["score"]),
        meta_id: text(&entry["id"]),
    });
    t
}

/// Meta's entries grouped by name, in the order Meta lists them. A template's own status
/// is the best of its languages' (approved if any language can be sent).
pub fn library_from_meta(entries: &[Value]) -> Vec<TemplateInput> {
    let mut templates: Vec<TemplateInput> = Vec::new();
    for entry in entries {
        let name = entry["name"].as_str().unwrap_or_default();
        let t = translation(entry);
        match templates.iter_mut().find(|x| x.name == name) {
            Some(template) => template.translations.push(t),
            None => templates.push(TemplateInput {
                name: name.to_owned(),
                category: Category::parse(&text(&entry["category"]).to_ascii_lowercase())
                    .unwrap_or_default(),
                translations: vec![t],
                ..TemplateInput::default()
            }),
        }
    }
    for template in &mut templates {
        let (status, reason) = summary(&template.translations);
        (template.status, template.rejection_reason) = (status, reason);
    }
    templates
}

/// A template's status from its languages': approved when one can be sent, else the
/// first language's (with its reason).
pub fn summary(translations: &[Translation]) -> (Status, String) {
    let reviews: Vec<&Review> = translations
        .iter()
        .filter_map(|t| t.review.as_ref())
        .collect();
    if reviews.iter().any(|r| r.status == Status::Approved) {
        return (Status::Approved, String::new());
    }
    reviews
        .first()
        .map(|r| (r.status, r.reason.clone()))
        .unwrap_or((Status::Draft, String::new()))
}

/// What `POST /{waba-id}/message_templates` takes for one language of `template`.
pub fn submission(template: &TemplateInput, t: &Translation) -> Value {
    let mut listed = super::library::listing(template, t);
    let components = listed["components"].take();
    let mut components: Vec<Value> = serde_json::from_value(components).unwrap_or_default();
    for component in &mut components {
        if component["type"] == "BUTTONS" {
            for (b, sent) in t
                .buttons
                .iter()
                .zip(component["buttons"].as_array_mut().into_iter().flatten())
            {
                match b.kind {
                    ButtonKind::Url => sent["url"] = json!(b.target),
                    ButtonKind::Phone => sent["phone_number"] = json!(b.target),
                    ButtonKind::QuickReply => {}
                }
            }
        }
    }
    json!({
        "name": template.name,
        "language": t.language,
        "category": listed["category"],
        "components": components,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two templates of the `GET /{waba-id}/message_templates` example in Meta's
    /// OpenAPI file, with a second language of the first as Meta lists it: its own entry.
    fn listed() -> Vec<Value> {
        serde_json::from_value(json!([
            {"category": "MARKETING", "id": "1192339204654487", "language": "en_US",
             "name": "hello_world", "previous_category": "ACCOUNT_UPDATE", "status": "APPROVED",
             "components": [
                {"format": "TEXT", "text": "Hello World", "type": "HEADER"},
                {"text": "Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.", "type": "BODY"},
                {"text": "WhatsApp Business API Team", "type": "FOOTER"}]},
            {"category": "MARKETING", "id": "920070352646140", "language": "en_US",
             "name": "2023_april_promo", "status": "APPROVED",
             "components": [
                {"format": "TEXT", "text": "Fall Sale", "type": "HEADER"},
                {"example": {"body_text": [["Mark", "FALL25"]]},
                 "text": "Hi {{1}}, our Fall Sale is on! Use promo code {{2}} Get an extra 10% off every order above $350!", "type": "BODY"},
                {"text": "Not interested in any of our sales? Tap Stop Promotions", "type": "FOOTER"},
                {"buttons": [{"text": "Stop promotions", "type": "QUICK_REPLY"}], "type": "BUTTONS"}]},
            {"category": "MARKETING", "id": "1192339204654488", "language": "sw",
             "name": "hello_world", "status": "PAUSED", "quality_score": {"score": "RED"},
             "components": [{"text": "Habari", "type": "BODY"}]}
        ]))
        .unwrap()
    }

    #[test]
    fn metas_list_becomes_one_template_per_name_with_each_languages_review() {
        let library = library_from_meta(&listed());
        let names: Vec<&str> = library.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["hello_world", "2023_april_promo"]);
        let hello = &library[0];
        assert_eq!(hello.category, Category::Marketing);
        assert_eq!(hello.status, Status::Approved, "one language can be sent");
        let [en, sw] = &hello.translations[..] else {
            panic!("two languages: {:?}", hello.translations)
        };
        assert_eq!(en.header, Some(Header::Text("Hello World".into())));
        assert_eq!(en.footer, "WhatsApp Business API Team");
        assert_eq!(en.review.as_ref().unwrap().meta_id, "1192339204654487");
        let sw_review = sw.review.as_ref().unwrap();
        assert_eq!(
            (sw_review.status, sw_review.quality.as_str()),
            (Status::Paused, "RED")
        );
        let promo = &library[1].translations[0];
        assert_eq!(promo.samples, ["Mark", "FALL25"]);
        assert_eq!(promo.body_parameters(), 2);
        assert_eq!(
            promo.buttons,
            [Button::new(ButtonKind::QuickReply, "Stop promotions")]
        );
    }

    #[test]
    fn every_status_meta_has_is_read_and_unknown_ones_cannot_be_sent() {
        for status in [
            Status::Submitted,
            Status::Approved,
            Status::Rejected,
            Status::Paused,
            Status::Disabled,
        ] {
            assert_eq!(Status::from_meta(status.meta_word()), status);
        }
        assert!(!Status::from_meta("IN_APPEAL").sendable());
        assert!(!Status::from_meta("PENDING_DELETION").sendable());
    }

    #[test]
    fn a_rejected_template_keeps_metas_reason() {
        let mut entry = listed().remove(0);
        (entry["status"], entry["rejected_reason"]) = (json!("REJECTED"), json!("INVALID_FORMAT"));
        let library = library_from_meta(&[entry]);
        assert_eq!(
            (library[0].status, library[0].rejection_reason.as_str()),
            (Status::Rejected, "INVALID_FORMAT")
        );
    }

    #[test]
    fn a_submission_reads_back_as_the_same_translation() {
        let mut template = library_from_meta(&listed()).remove(1);
        let mut url = Button::new(ButtonKind::Url, "Track it");
        url.target = "https://shop.example/track".into();
        template.translations[0].buttons.push(url);
        template.translations[0].review = None;
        let sent = submission(&template, &template.translations[0]);
        assert_eq!(sent["category"], "MARKETING");
        assert_eq!(
            sent["components"][3]["buttons"][1]["url"],
            "https://shop.example/track"
        );
        assert!(
            sent.get("status").is_none(),
            "Meta sets the status, not the submitter"
        );
        let mut listed_again = sent.clone();
        listed_again["status"] = json!("PENDING");
        let read = &library_from_meta(&[listed_again])[0];
        let mut expected = template.translations[0].clone();
        expected.review = read.translations[0].review.clone();
        assert_eq!(read.translations[0], expected);
        assert_eq!(read.status, Status::Submitted);
    }
}
