//! `{{1}}`, `{{2}}`, … in template text: finding them and filling them with samples.

/// The variable numbers in `text`, in order of appearance (`{{ 2 }}` with spaces counts too).
pub fn variables(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                if let Ok(n) = after[..end].trim().parse::<u32>() {
                    out.push(n);
                }
                rest = &after[end + 2..];
            }
            None => break,
        }
    }
    out
}

/// `text` with `{{n}}` replaced by `samples[n - 1]` (left as is when there is no sample).
pub fn fill(text: &str, samples: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let inner = &after[..end];
                match inner
                    .trim()
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| samples.get(i))
                {
                    Some(sample) if !sample.is_empty() => out.push_str(sample),
                    _ => {
                        out.push_str("{{");
                        out.push_str(inner);
                        out.push_str("}}");
                    }
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_in_order() {
        assert_eq!(variables("Hi {{1}}, order {{2}} ships {{ 3 }}"), [1, 2, 3]);
        assert_eq!(variables("{{x}} {{}} {{1"), Vec::<u32>::new());
        assert_eq!(variables("no variables"), Vec::<u32>::new());
    }

    #[test]
    fn fills_samples_and_keeps_missing_ones() {
        let samples = vec!["Ann".to_string(), String::new()];
        assert_eq!(
            fill("Hi {{1}}, order {{2}} {{3}}", &samples),
            "Hi Ann, order {{2}} {{3}}"
        );
        assert_eq!(fill("unclosed {{1", &samples), "unclosed {{1");
        assert_eq!(fill("😀 {{1}} مرحبا", &samples), "😀 Ann مرحبا");
    }
}
