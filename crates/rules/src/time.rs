//! Times as stored (UTC milliseconds) turned into text and back with chrono's calendar,
//! without a clock or time zone database, so the browser and the server print the same
//! thing.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

/// Lengths of time in the stored unit (milliseconds).
pub const SECOND_MS: i64 = 1000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// `ms` as a UTC date and time; out-of-range instants (beyond year ±262,000) are clamped.
fn utc(ms: i64) -> NaiveDateTime {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or(if ms < 0 {
            DateTime::<chrono::Utc>::MIN_UTC
        } else {
            DateTime::<chrono::Utc>::MAX_UTC
        })
        .naive_utc()
}

/// `2026-11-25 01:30:05 UTC`
pub fn format_utc(ms: i64) -> String {
    utc(ms).format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `2026-11-25T01:30:05Z`, for `<time datetime>`.
pub fn iso_utc(ms: i64) -> String {
    utc(ms).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A `YYYY-MM-DD` date (as from `<input type=date>`) to the UTC milliseconds of its start.
/// Dates that do not exist (2026-02-31) are refused.
pub fn parse_date(text: &str) -> Option<i64> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some(day.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

/// A date (`YYYY-MM-DD`) or a minute (`YYYY-MM-DDTHH:MM`, as from
/// `<input type=datetime-local>`, seconds optional), read as UTC, to milliseconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    parse_local(text).map(|t| t.and_utc().timestamp_millis())
}

/// A date (its midnight) or a minute as typed, in no zone yet.
pub fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    let Some((date, time)) = text.split_once(['T', ' ']) else {
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        return Some(day.and_time(NaiveTime::MIN));
    };
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = time.trim_end_matches('Z');
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    Some(day.and_time(time))
}

/// Whether a typed time is a whole date (so "to" it means to the end of that day).
pub fn is_date_only(text: &str) -> bool {
    !text.trim().contains(['T', ' '])
}

/// `2026-11-25T01:30`: the minute of `ms`, as `parse_datetime` reads it back.
pub fn minute_input(ms: i64) -> String {
    utc(ms).format("%Y-%m-%dT%H:%M").to_string()
}

/// "3 min ago", "2 h ago", "5 d ago" relative to `now_ms`; "in 3 min" for what is still
/// to come (a next attempt, an expiry).
pub fn ago(ms: i64, now_ms: i64) -> String {
    let secs = (now_ms - ms).abs() / 1000;
    let span = match secs {
        0..=59 => return "just now".into(),
        60..=3599 => format!("{} min", secs / 60),
        3600..=86_399 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86_400),
    };
    if ms > now_ms {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_764_034_205_000), "2025-11-25 01:30:05 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn dates_round_trip_and_bad_dates_are_refused() {
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400_000));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        for bad in ["", "2026-02-31", "2026-13-01", "yesterday", "2026-1"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for day in [-1000_i64, 0, 10_957, 20_000, 50_000] {
            let text = &format_utc(day * DAY_MS)[..10];
            assert_eq!(parse_date(text), Some(day * DAY_MS));
        }
    }

    #[test]
    fn minutes_round_trip() {
        assert_eq!(parse_datetime("2025-11-25T01:30"), Some(1_764_034_200_000));
        assert_eq!(
            parse_datetime("2025-11-25 01:30:05"),
            Some(1_764_034_205_000)
        );
        assert_eq!(parse_datetime("2025-11-25"), parse_date("2025-11-25"));
        assert_eq!(minute_input(1_764_034_205_000), "2025-11-25T01:30");
        for bad in [
            "2025-11-25T24:00",
            "2025-11-25T01:60",
            "2025-11-25Tnoon",
            "T01:30",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn relative_times() {
        assert_eq!(ago(0, 30_000), "just now");
        assert_eq!(ago(0, 180_000), "3 min ago");
        assert_eq!(ago(0, 7_200_000), "2 h ago");
        assert_eq!(ago(0, 3 * DAY_MS), "3 d ago");
        assert_eq!(ago(180_000, 0), "in 3 min");
        assert_eq!(ago(20_000, 0), "just now");
    }
}
