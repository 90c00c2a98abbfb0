//! The overview's numbers: messages per hour or day by outcome, failure rate, top error
//! codes and webhook delivery health, and the scale the charts draw them on.

use serde::{Deserialize, Serialize};

use crate::messages::status::MessageStatus;
use crate::time::{DAY_MS, HOUR_MS};

/// The time span the overview covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Range {
    #[default]
    Day,
    Week,
    Month,
}

impl Range {
    pub const ALL: [Range; 3] = [Range::Day, Range::Week, Range::Month];

    pub fn parse(text: &str) -> Range {
        match text {
            "7d" => Range::Week,
            "30d" => Range::Month,
            _ => Range::Day,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Range::Day => "24h",
            Range::Week => "7d",
            Range::Month => "30d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Range::Day => "Last 24 hours, per hour",
            Range::Week => "Last 7 days, per day",
            Range::Month => "Last 30 days, per day",
        }
    }

    /// (bucket width, number of buckets) in milliseconds.
    pub fn buckets(self) -> (i64, i64) {
        match self {
            Range::Day => (HOUR_MS, 24),
            Range::Week => (DAY_MS, 7),
            Range::Month => (DAY_MS, 30),
        }
    }

    /// The first bucket's start for a range ending with the bucket that holds `now`.
    pub fn since(self, now: i64) -> i64 {
        let (width, count) = self.buckets();
        (now.div_euclid(width) - count + 1) * width
    }

    /// Where each bucket starts, the last holding `now`: hours, or days from midnight to
    /// midnight in the viewer's `zone` (a day the clocks change is 23 or 25 hours long).
    #[cfg(feature = "zones")]
    pub fn starts_in(self, now: i64, zone: &crate::zone::Zone) -> Vec<i64> {
        let (width, count) = self.buckets();
        if self == Range::Day {
            let since = self.since(now);
            return (0..count).map(|i| since + i * width).collect();
        }
        let mut starts = vec![zone.day_start(now)];
        while (starts.len() as i64) < count {
            let later = starts[starts.len() - 1];
            starts.push(zone.day_start(later - 1));
        }
        starts.reverse();
        starts
    }

    /// A bucket's label in the viewer's `zone`: its hour (`14:00`) or day (`Nov 30`).
    #[cfg(feature = "zones")]
    pub fn label_in(self, start: i64, zone: &crate::zone::Zone) -> String {
        match self {
            Range::Day => zone.hour_label(start),
            _ => zone.day_label(start),
        }
    }
}

/// Messages in one hour or day, by outcome.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    pub start: i64,
    /// Its hour or day in the viewer's zone (`14:00`, `Nov 30`).
    pub label: String,
    /// Delivered or read.
    pub delivered: i64,
    /// Accepted or sent, not yet delivered.
    pub pending: i64,
    /// Failed upstream or refused by the gateway.
    pub failed: i64,
    /// Inbound from customers.
    pub received: i64,
}

impl Bucket {
    pub fn outbound(&self) -> i64 {
        self.delivered + self.pending + self.failed
    }

    pub fn total(&self) -> i64 {
        self.outbound() + self.received
    }

    pub fn merge(&mut self, other: &Bucket) {
        self.delivered += other.delivered;
        self.pending += other.pending;
        self.failed += other.failed;
        self.received += other.received;
    }

    /// Adds `count` messages with `status` to the right outcome.
    pub fn add(&mut self, status: &str, count: i64) {
        use MessageStatus::*;
        match MessageStatus::parse(status) {
            Some(Delivered | Read) => self.delivered += count,
            Some(Failed | Refused) => self.failed += count,
            Some(Received) => self.received += count,
            Some(Accepted | Sent) | None => self.pending += count,
        }
    }
}

/// One project's line in the overview.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub project_id: i64,
    pub project_name: String,
    pub totals: Bucket,
}

/// A webhook that is failing: retries waiting or deliveries given up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailingEndpoint {
    pub project_id: i64,
    pub project_name: String,
    pub url: String,
    pub retrying: i64,
    pub dead: i64,
    pub last_error: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub range: Range,
    pub project_id: Option<i64>,
    pub buckets: Vec<Bucket>,
    pub totals: Bucket,
    pub top_codes: Vec<(u32, i64)>,
    /// Meta holding the number back ([`LIMIT_CODES`]), each with its count, zeros too.
    pub limits: Vec<(u32, i64)>,
    pub projects: Vec<ProjectSummary>,
    pub queue_depth: i64,
    pub failing: Vec<FailingEndpoint>,
}

/// Meta's answers that say it is holding the number back, counted on the overview
/// whether or not they are among the top codes: 131056, too many messages to one customer
/// in a short time (the pair limit); 131048, too many sent from the number (spam rate
/// limit); 368, the account blocked for a policy violation. Each needs a change in how the
/// number sends, not a retry.
pub const LIMIT_CODES: [u32; 3] = [131056, 131048, 368];

/// Failed outbound messages as a share of all outbound, in percent (None without any).
pub fn failure_rate(b: &Bucket) -> Option<f64> {
    (b.outbound() > 0).then(|| b.failed as f64 * 100.0 / b.outbound() as f64)
}

/// A round number at or above `max` for a chart's top line (1, 2, 5 × 10ⁿ), at least 1.
pub fn nice_ceiling(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if step * m >= max {
                return step * m;
            }
        }
        step *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_end_with_the_bucket_holding_now() {
        let now = 1_764_034_205_000; // 2025-11-25 01:30:05
        assert_eq!(Range::Day.since(now), 1_764_032_400_000 - 23 * HOUR_MS);
        assert_eq!(Range::parse("7d"), Range::Week);
        assert_eq!(Range::parse("nonsense"), Range::Day);
        assert_eq!((now - Range::Month.since(now)) / DAY_MS, 29);
    }

    #[cfg(feature = "zones")]
    #[test]
    fn days_run_from_local_midnight_even_when_the_clocks_change() {
        let berlin = crate::zone::Zone::parse("Europe/Berlin").unwrap();
        // 2026-10-28 12:00 UTC; Berlin's clocks went back on Sunday 25 October.
        let now = 1_793_188_800_000;
        let starts = Range::Week.starts_in(now, &berlin);
        let labels: Vec<String> = starts.iter().map(|s| berlin.day_label(*s)).collect();
        assert_eq!(
            labels,
            [
                "Oct 22", "Oct 23", "Oct 24", "Oct 25", "Oct 26", "Oct 27", "Oct 28"
            ]
        );
        assert!(starts.iter().all(|s| berlin.hour_label(*s) == "00:00"));
        let hours: Vec<i64> = starts.windows(2).map(|w| (w[1] - w[0]) / HOUR_MS).collect();
        assert_eq!(hours, [24, 24, 24, 25, 24, 24]);
        let day = Range::Day.starts_in(now, &berlin);
        assert_eq!((day.len(), day[23] - day[22]), (24, HOUR_MS));
    }

    #[test]
    fn outcomes_and_rates() {
        let mut b = Bucket::default();
        for (s, n) in [
            ("read", 5),
            ("delivered", 5),
            ("sent", 1),
            ("accepted", 1),
            ("failed", 2),
            ("refused", 2),
            ("received", 7),
        ] {
            b.add(s, n);
        }
        assert_eq!(
            (b.delivered, b.pending, b.failed, b.received, b.total()),
            (10, 2, 4, 7, 23)
        );
        assert_eq!(failure_rate(&b), Some(25.0));
        assert_eq!(failure_rate(&Bucket::default()), None);
    }

    #[test]
    fn chart_tops_are_round() {
        let tops: Vec<i64> = [0, 1, 3, 7, 10, 11, 180, 2001]
            .into_iter()
            .map(nice_ceiling)
            .collect();
        assert_eq!(tops, [1, 1, 5, 10, 10, 20, 200, 5000]);
    }
}
