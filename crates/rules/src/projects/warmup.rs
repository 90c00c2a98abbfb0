//! A number's warm-up: daily caps on new business-initiated conversations (customers
//! reached with template messages in 24 hours) that grow day by day, as the seed asks
//! ("warm up the number when sending template-based messages"); and the cap that holds for
//! a number now: today's step of its plan, and for a number Meta marked RED or flagged,
//! its messaging limit too.

use serde::{Deserialize, Serialize};

use super::health::NumberHealth;
use crate::time::DAY_MS;

/// At most this many steps (a month of days).
pub const MAX_STEPS: usize = 30;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarmUp {
    /// Customers a day, one step per day from `starts_at`; the last step holds after.
    pub caps: Vec<i64>,
    /// UTC milliseconds of the plan's first day.
    pub starts_at: i64,
}

/// "250, 500, 1000, 2000" (commas, semicolons or spaces between the steps) to the steps,
/// each at least the one before.
pub fn parse_caps(text: &str) -> Result<Vec<i64>, String> {
    let words: Vec<&str> = text
        .split([',', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err("Write the daily caps, such as 250, 500, 1000, 2000.".into());
    }
    if words.len() > MAX_STEPS {
        return Err(format!(
            "{} steps: at most {MAX_STEPS} (the last one holds after).",
            words.len()
        ));
    }
    let mut caps = Vec::with_capacity(words.len());
    for w in words {
        let cap: i64 = w
            .parse()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| format!("'{w}' is not a number of customers from 1 to 1000000."))?;
        if let Some(last) = caps.last().filter(|last| **last > cap) {
            return Err(format!("Caps grow day by day: {cap} comes after {last}."));
        }
        caps.push(cap);
    }
    Ok(caps)
}

impl WarmUp {
    /// Which day of the plan `now` is (0 before it starts, then 1, 2, …).
    pub fn day(&self, now: i64) -> i64 {
        if now < self.starts_at {
            0
        } else {
            (now - self.starts_at) / DAY_MS + 1
        }
    }

    /// Today's cap (the first step before the plan starts, the last after it ends).
    pub fn cap_on(&self, now: i64) -> i64 {
        let step = (self.day(now).max(1) - 1) as usize;
        self.caps[step.min(self.caps.len() - 1)]
    }

    /// "250, 500, 1000, 2000", as the form shows it.
    pub fn caps_text(&self) -> String {
        let words: Vec<String> = self.caps.iter().map(i64::to_string).collect();
        words.join(", ")
    }
}

/// The cap on new conversations that holds now, and why; `None`: no cap here (Meta's own
/// limit still applies).
pub fn cap(
    plan: Option<&WarmUp>,
    health: Option<&NumberHealth>,
    now: i64,
) -> Option<(i64, String)> {
    let planned = plan.filter(|p| !p.caps.is_empty()).map(|p| {
        let cap = p.cap_on(now);
        (cap, format!("day {} of its warm-up plan", p.day(now)))
    });
    let held = health
        .filter(|h| h.quality_rating == "RED" || h.account_status == "FLAGGED")
        .and_then(|h| {
            let limit = h.daily_limit()?;
            let why = if h.account_status == "FLAGGED" {
                "Meta flagged the number"
            } else {
                "the number's quality is RED at Meta"
            };
            Some((limit, format!("{why}: its messaging limit")))
        });
    match (planned, held) {
        (Some(p), Some(h)) => Some(if h.0 < p.0 { h } else { p }),
        (p, h) => p.or(h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_are_numbers_that_grow() {
        assert_eq!(
            parse_caps("250, 500, 1000 2000"),
            Ok(vec![250, 500, 1000, 2000])
        );
        assert!(parse_caps("").unwrap_err().contains("such as 250"));
        assert!(parse_caps("250, lots").unwrap_err().contains("'lots'"));
        assert!(
            parse_caps("500, 250")
                .unwrap_err()
                .contains("250 comes after 500")
        );
        assert!(parse_caps("0").is_err());
    }

    #[test]
    fn each_day_has_its_step_and_the_last_one_holds() {
        let plan = WarmUp {
            caps: vec![250, 500, 1000],
            starts_at: 10 * DAY_MS,
        };
        assert_eq!((plan.day(9 * DAY_MS), plan.cap_on(9 * DAY_MS)), (0, 250));
        assert_eq!((plan.day(10 * DAY_MS), plan.cap_on(10 * DAY_MS)), (1, 250));
        assert_eq!(plan.cap_on(11 * DAY_MS + 5), 500);
        assert_eq!(plan.cap_on(40 * DAY_MS), 1000);
    }

    #[test]
    fn a_red_or_flagged_number_is_held_to_its_limit_and_the_lower_cap_wins() {
        let plan = WarmUp {
            caps: vec![2000],
            starts_at: 0,
        };
        let mut health = NumberHealth {
            quality_rating: "GREEN".into(),
            messaging_limit: "TIER_1K".into(),
            ..NumberHealth::default()
        };
        assert_eq!(
            cap(None, Some(&health), 0),
            None,
            "a GREEN number: Meta's limit only"
        );
        assert_eq!(cap(Some(&plan), Some(&health), 0).unwrap().0, 2000);
        health.quality_rating = "RED".into();
        let (limit, why) = cap(Some(&plan), Some(&health), 0).unwrap();
        assert_eq!(limit, 1000);
        assert!(why.contains("RED"), "{why}");
        health.account_status = "FLAGGED".into();
        assert!(cap(None, Some(&health), 0).unwrap().1.contains("flagged"));
    }
}
