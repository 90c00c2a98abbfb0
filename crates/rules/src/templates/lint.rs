//! The template linter: every finding names the field and says what to change.

use super::draft::{ButtonKind, Finding, Header, TemplateDraft};
use super::limits::{
    BODY_MAX, BUTTONS_MAX, FOOTER_MAX, HEADER_MAX, NAME_MAX, PHONE_BUTTONS_MAX, URL_BUTTONS_MAX,
};
use super::variables::variables;
use crate::text::char_len;

fn finding(field: &str, message: impl Into<String>) -> Finding {
    Finding {
        field: field.into(),
        message: message.into(),
    }
}

fn length(out: &mut Vec<Finding>, field: &str, text: &str, max: usize, what: &str) {
    let n = char_len(text);
    if n > max {
        out.push(finding(
            field,
            format!(
                "The {what} has {n} characters; the limit is {max}. Remove {}.",
                n - max
            ),
        ));
    }
}

/// Every problem with `draft`, each with the field and what to change.
pub fn lint(draft: &TemplateDraft) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = draft.name.as_str();
    if name.is_empty() {
        out.push(finding(
            "name",
            "Give the template a name, e.g. order_update.",
        ));
    } else {
        let mut bad: Vec<String> = Vec::new();
        for c in name.chars() {
            let shown = match c {
                ' ' => "a space".to_owned(),
                c => format!("'{c}'"),
            };
            let fine = c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
            if !fine && !bad.contains(&shown) {
                bad.push(shown);
            }
        }
        if !bad.is_empty() {
            out.push(finding(
                "name",
                format!(
                    "Names use lowercase letters, digits and _ only: replace {}.",
                    bad.join(", ")
                ),
            ));
        }
    }
    length(&mut out, "name", name, NAME_MAX, "name");

    let body_vars = variables(&draft.body);
    if draft.body.trim().is_empty() {
        out.push(finding("body", "Write the message body."));
    }
    length(&mut out, "body", &draft.body, BODY_MAX, "body");
    let mut sorted = body_vars.clone();
    sorted.sort_unstable();
    sorted.dedup();
    if let Some(gap) = sorted
        .iter()
        .enumerate()
        .find(|(i, n)| **n != *i as u32 + 1)
    {
        let (expected, found) = (gap.0 + 1, gap.1);
        let message = format!(
            "Number the variables from {{{{1}}}} without gaps: \
             expected {{{{{expected}}}}} before {{{{{found}}}}}."
        );
        out.push(finding("body", message));
    }
    let trimmed = draft.body.trim();
    if trimmed.starts_with("{{") && !body_vars.is_empty() {
        out.push(finding(
            "body",
            "The body must not start with a variable: put some words before it.",
        ));
    }
    if trimmed.ends_with("}}") && body_vars.last().is_some() {
        out.push(finding(
            "body",
            "The body must not end with a variable: put some words after it.",
        ));
    }
    if !body_vars.is_empty() {
        let filled = super::fill(&draft.body, &draft.samples);
        let n = char_len(&filled);
        if n > BODY_MAX {
            let message = format!(
                "With the sample values the body has {n} characters; the limit is {BODY_MAX}. \
                 Shorten the body or the values."
            );
            out.push(finding("samples", message));
        }
    }

    if let Some(Header::Text(header)) = &draft.header {
        length(&mut out, "header", header, HEADER_MAX, "header");
        let header_vars = variables(header);
        if header_vars.len() > 1 {
            out.push(finding(
                "header",
                "A text header can have at most one variable.",
            ));
        } else if header_vars.first().is_some_and(|n| *n != 1) {
            out.push(finding(
                "header",
                "The header's variable is numbered on its own: write {{1}}.",
            ));
        } else if header_vars.len() == 1 {
            let n = char_len(&super::fill(
                header,
                std::slice::from_ref(&draft.header_sample),
            ));
            if n > HEADER_MAX {
                let message = format!(
                    "With the sample value the header has {n} characters; \
                     the limit is {HEADER_MAX}. Shorten the header or the value."
                );
                out.push(finding("header_sample", message));
            }
        }
    }
    length(&mut out, "footer", &draft.footer, FOOTER_MAX, "footer");
    if !variables(&draft.footer).is_empty() {
        out.push(finding(
            "footer",
            "The footer cannot contain variables: write it out.",
        ));
    }

    let count = |k| draft.buttons.iter().filter(|b| b.kind == k).count();
    if draft.buttons.len() > BUTTONS_MAX {
        out.push(finding(
            "buttons",
            format!(
                "At most {BUTTONS_MAX} buttons; remove {}.",
                draft.buttons.len() - BUTTONS_MAX
            ),
        ));
    }
    if count(ButtonKind::Url) > URL_BUTTONS_MAX {
        out.push(finding(
            "buttons",
            format!("At most {URL_BUTTONS_MAX} URL buttons."),
        ));
    }
    if count(ButtonKind::Phone) > PHONE_BUTTONS_MAX {
        out.push(finding(
            "buttons",
            format!("At most {PHONE_BUTTONS_MAX} phone button."),
        ));
    }
    // Quick replies are grouped apart from call-to-action buttons: no interleaving.
    let kinds: Vec<bool> = draft
        .buttons
        .iter()
        .map(|b| b.kind == ButtonKind::QuickReply)
        .collect();
    if kinds.windows(2).filter(|w| w[0] != w[1]).count() > 1 {
        out.push(finding(
            "buttons",
            "Group the quick replies together, apart from the URL and phone buttons.",
        ));
    }
    for (i, b) in draft.buttons.iter().enumerate() {
        if b.text.trim().is_empty() {
            out.push(finding(&format!("buttons.{i}"), "Give the button a label."));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::Button;

    fn good() -> TemplateDraft {
        TemplateDraft {
            name: "order_update".into(),
            header: Some(Header::Text("Order {{1}}".into())),
            body: "Hello {{1}}, your order {{2}} has shipped.".into(),
            footer: "Reply STOP to opt out".into(),
            buttons: vec![
                Button::new(ButtonKind::QuickReply, "Thanks"),
                Button::new(ButtonKind::QuickReply, "Help"),
            ],
            samples: vec!["Ann".into(), "A-42".into()],
            header_sample: "A-42".into(),
        }
    }

    #[test]
    fn a_good_template_has_no_findings() {
        assert_eq!(lint(&good()), vec![]);
    }

    #[test]
    fn a_bad_name_lists_every_character_to_fix_once() {
        let mut d = good();
        d.name = "Order Update-2 now".into();
        let found = lint(&d);
        assert_eq!(
            found[0].message,
            "Names use lowercase letters, digits and _ only: replace 'O', a space, 'U', '-'."
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        type Case = (Box<dyn Fn(&mut TemplateDraft)>, &'static str, &'static str);
        let cases: Vec<Case> = vec![
            (
                Box::new(|d| d.name = "Order Update".into()),
                "name",
                "lowercase",
            ),
            (
                Box::new(|d| d.name = "n".repeat(513)),
                "name",
                "limit is 512",
            ),
            (
                Box::new(|d| d.body = "x".repeat(1025)),
                "body",
                "limit is 1024",
            ),
            (
                Box::new(|d| d.body = "Hi {{1}} and {{3}} ok".into()),
                "body",
                "without gaps",
            ),
            (
                Box::new(|d| d.body = "{{1}} is here, {{2}} ok".into()),
                "body",
                "must not start",
            ),
            (
                Box::new(|d| d.body = "Hello {{1}} and {{2}}".into()),
                "body",
                "must not end",
            ),
            (
                Box::new(|d| d.header = Some(Header::Text("{{1}} {{2}}".into()))),
                "header",
                "at most one",
            ),
            (
                Box::new(|d| d.header = Some(Header::Text("h".repeat(61)))),
                "header",
                "limit is 60",
            ),
            (
                Box::new(|d| d.header = Some(Header::Text("Order {{2}}".into()))),
                "header",
                "numbered on its own",
            ),
            (
                Box::new(|d| d.header_sample = "x".repeat(55)),
                "header_sample",
                "limit is 60",
            ),
            (
                Box::new(|d| d.footer = "Code {{1}}".into()),
                "footer",
                "cannot contain",
            ),
            (
                Box::new(|d| d.footer = "f".repeat(61)),
                "footer",
                "limit is 60",
            ),
            (
                Box::new(|d| d.samples = vec!["a".repeat(1000), "b".into()]),
                "samples",
                "sample values",
            ),
            (
                Box::new(|d| d.buttons = vec![Button::new(ButtonKind::QuickReply, "b"); 11]),
                "buttons",
                "At most 10",
            ),
            (
                Box::new(|d| d.buttons = vec![Button::new(ButtonKind::Url, "u"); 3]),
                "buttons",
                "URL buttons",
            ),
            (
                Box::new(|d| d.buttons = vec![Button::new(ButtonKind::Phone, "p"); 2]),
                "buttons",
                "phone button",
            ),
            (
                Box::new(|d| {
                    d.buttons = vec![
                        Button::new(ButtonKind::QuickReply, "a"),
                        Button::new(ButtonKind::Url, "b"),
                        Button::new(ButtonKind::QuickReply, "c"),
                    ]
                }),
                "buttons",
                "Group the quick replies",
            ),
        ];
        for (change, field, words) in cases {
            let mut d = good();
            change(&mut d);
            let findings = lint(&d);
            assert!(
                findings
                    .iter()
                    .any(|f| f.field == field && f.message.contains(words)),
                "{field} / {words}: {findings:?}"
            );
        }
    }

    #[test]
    fn exactly_at_the_limits_is_fine() {
        let mut d = good();
        d.name = "n".repeat(512);
        d.body = format!("Hi {{{{1}}}} {}", "é".repeat(1024 - 9));
        d.footer = "😀".repeat(60);
        d.samples = vec!["x".repeat(5)];
        assert_eq!(lint(&d), vec![], "{}", char_len(&d.body));
    }
}
