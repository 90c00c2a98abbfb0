//! WhatsApp's text formatting for the preview: `*bold*`, `_italic_`, `~strike~` and
//! ```` ```mono``` ````, turned into styled runs the console renders as a chat bubble.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
    pub mono: bool,
}

/// Splits `text` into runs. A marker counts only when it has a closing partner on the same
/// line with text between them (as WhatsApp does); otherwise it is shown as typed.
pub fn runs(text: &str) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut style = Run::default();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let push = |out: &mut Vec<Run>, style: &Run, c: &str| match out.last_mut() {
        Some(last)
            if (last.bold, last.italic, last.strike, last.mono)
                == (style.bold, style.italic, style.strike, style.mono) =>
        {
            last.text.push_str(c)
        }
        _ => out.push(Run {
            text: c.to_owned(),
            ..style.clone()
        }),
    };
    while i < chars.len() {
        if chars[i..].starts_with(&['`', '`', '`']) {
            let opens = !style.mono && closes_later(&chars, i + 3, &['`', '`', '`']);
            if style.mono || opens {
                style.mono = !style.mono;
                i += 3;
                continue;
            }
        }
        let c = chars[i];
        if !style.mono && matches!(c, '*' | '_' | '~') {
            let on = match c {
                '*' => style.bold,
                '_' => style.italic,
                _ => style.strike,
            };
            if on || closes_later(&chars, i + 1, &[c]) {
                match c {
                    '*' => style.bold = !style.bold,
                    '_' => style.italic = !style.italic,
                    _ => style.strike = !style.strike,
                }
                i += 1;
                continue;
            }
        }
        push(&mut out, &style, &c.to_string());
        i += 1;
    }
    out
}

/// Whether `marker` appears again after `from`, on the same line, with text in between.
fn closes_later(chars: &[char], from: usize, marker: &[char]) -> bool {
    let mut j = from;
    while j + marker.len() <= chars.len() {
        if chars[j] == '\n' {
            return false;
        }
        if chars[j..].starts_with(marker) {
            return j > from;
        }
        j += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styled(text: &str) -> Vec<(String, &'static str)> {
        runs(text)
            .into_iter()
            .map(|r| {
                let s = match (r.bold, r.italic, r.strike, r.mono) {
                    (true, _, _, _) => "b",
                    (_, true, _, _) => "i",
                    (_, _, true, _) => "s",
                    (_, _, _, true) => "m",
                    _ => "",
                };
                (r.text, s)
            })
            .collect()
    }

    #[test]
    fn markers_style_the_text_between_them() {
        assert_eq!(
            styled("Hi *Ann*!"),
            [("Hi ".into(), ""), ("Ann".into(), "b"), ("!".into(), "")]
        );
        assert_eq!(
            styled("_soon_ ~now~"),
            [("soon".into(), "i"), (" ".into(), ""), ("now".into(), "s")]
        );
        assert_eq!(
            styled("code: ```a*b*```"),
            [("code: ".into(), ""), ("a*b*".into(), "m")]
        );
    }

    #[test]
    fn lone_markers_are_shown_as_typed() {
        assert_eq!(styled("5 * 3 = 15"), [("5 * 3 = 15".into(), "")]);
        assert_eq!(styled("**"), [("**".into(), "")]);
        assert_eq!(styled("*open\nclose*"), [("*open\nclose*".into(), "")]);
    }
}
