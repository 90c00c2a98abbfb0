//! When a failed delivery is tried again: pauses that grow after each failure (with
//! jitter), and when to give up. Read from the command line as "5s,1m,5m,30m,2h,6h,12h".

use std::time::Duration;

use rand::Rng;

/// When to try again after each failure, and when to give up.
#[derive(Clone, Debug)]
pub struct RetrySchedule {
    /// Pause after the 1st, 2nd, ... failure; the last one repeats.
    pub pauses: Vec<Duration>,
    /// Counted from the delivery's creation.
    pub give_up_after: Duration,
}

impl Default for RetrySchedule {
    fn default() -> Self {
        let m = |n: u64| Duration::from_secs(60 * n);
        RetrySchedule {
            pauses: vec![
                Duration::from_secs(5),
                m(1),
                m(5),
                m(30),
                m(120),
                m(360),
                m(720),
            ],
            give_up_after: Duration::from_secs(3 * 24 * 3600),
        }
    }
}

impl RetrySchedule {
    /// Parses "5s,1m,5m,30m,2h,6h,12h".
    pub fn parse_pauses(text: &str) -> std::result::Result<Vec<Duration>, String> {
        text.split(',').map(|p| parse_duration(p.trim())).collect()
    }

    /// The next attempt time after `failures` failures, or `None` when it is time to give up.
    pub fn next_attempt(&self, failures: usize, created_at: i64, now: i64) -> Option<i64> {
        let pause = self
            .pauses
            .get(failures.saturating_sub(1))
            .or(self.pauses.last())?;
        let jitter = rand::thread_rng().gen_range(0.8..1.2);
        let next = now + (pause.as_millis() as f64 * jitter) as i64;
        (next - created_at <= self.give_up_after.as_millis() as i64).then_some(next)
    }
}

/// A duration as operators write it: `250ms`, `5s`, `10m`, `2h`, `3d`, `1h 30m` (humantime).
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    humantime::parse_duration(text)
        .map_err(|e| format!("'{text}' is not a duration like 5s, 10m, 2h or 3d ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::time::{DAY_MS, HOUR_MS};

    #[test]
    fn parses_schedules() {
        assert_eq!(
            RetrySchedule::parse_pauses("5s,1m,2h,3d,250ms").unwrap(),
            [5, 60, 7200, 259_200]
                .map(Duration::from_secs)
                .into_iter()
                .chain([Duration::from_millis(250)])
                .collect::<Vec<_>>()
        );
        assert!(RetrySchedule::parse_pauses("5x").is_err());
        assert!(
            RetrySchedule::parse_pauses("5").is_err(),
            "a number needs its unit"
        );
    }

    #[test]
    fn backs_off_with_jitter_and_gives_up_after_the_limit() {
        let s = RetrySchedule::default();
        let first = s.next_attempt(1, 0, 0).unwrap();
        assert!((4_000..=6_000).contains(&first), "{first}");
        let second = s.next_attempt(2, 0, 0).unwrap();
        assert!((48_000..=72_000).contains(&second), "{second}");
        let late = s.next_attempt(20, 0, 2 * DAY_MS).unwrap();
        assert!(late - 2 * DAY_MS >= 9 * HOUR_MS, "12 h pauses repeat");
        assert_eq!(s.next_attempt(20, 0, 3 * DAY_MS), None, "dead after 3 days");
    }
}
