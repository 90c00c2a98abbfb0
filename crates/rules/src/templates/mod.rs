//! Message templates: the linter that checks a draft against WhatsApp's limits, and the
//! variable handling behind the live preview. Pure Rust, so the browser (while typing),
//! the server (on save) and the gateway run the very same checks.
//!
//! Counting rule: lengths are Unicode scalar values (Rust `char`s), as for the 4096-character
//! text limit: an emoji such as 👍 counts 1, a combined emoji such as 👩‍💻 counts each of
//! its code points (3), a combining accent counts separately from its letter, and
//! right-to-left text counts like any other. It never undercounts what a user typed, so a
//! draft that passes here is not refused for length upstream.

mod call;
mod draft;
mod format;
pub mod library;
pub mod limits;
mod lint;
pub mod meta;
mod status;
mod variables;

pub use draft::{Button, ButtonKind, Finding, Header, TemplateDraft, field_label, labelled};
pub use format::{Run, runs};
pub use limits::{
    BODY_MAX, BUTTONS_MAX, FOOTER_MAX, HEADER_MAX, NAME_MAX, NAMES_PER_ACCOUNT, PHONE_BUTTONS_MAX,
    URL_BUTTONS_MAX,
};
pub use lint::lint;
pub use variables::{fill, variables};

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Arbitrary Unicode (emoji, RTL, combining marks, stray braces) never panics, and
        /// filling without samples changes nothing.
        #[test]
        fn counting_and_filling_never_panic(
            body in "\\PC{0,300}",
            footer in "\\PC{0,80}",
            sample in "\\PC{0,40}",
        ) {
            let draft = TemplateDraft {
                name: "t".into(),
                body: body.clone(),
                footer,
                samples: vec![sample.clone()],
                ..TemplateDraft::default()
            };
            let _ = lint(&draft);
            let _ = variables(&body);
            let shown: String = runs(&body).into_iter().map(|r| r.text).collect();
            let body_len = crate::text::char_len(&body);
            let shown_len = crate::text::char_len(&shown);
            prop_assert!(shown_len <= body_len, "formatting only removes markers");
            prop_assert_eq!(fill(&body, &[]), body.clone());
            let filled = fill(&body, &[sample]);
            let most = body_len + 40 * variables(&body).len();
            prop_assert!(crate::text::char_len(&filled) <= most);
        }
    }
}
