//! Times as stored (UTC milliseconds) turned into text and back, without a clock or time
//! zone database, so the browser and the server print the same thing.

/// Lengths of time in the stored unit (milliseconds).
pub const SECOND_MS: i64 = 1000;
pub const MINUTE_MS: i64 = 60 * SECOND_MS;
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-25 01:30:05 UTC`
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02} UTC",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// `2026-11-25T01:30:05Z`, for `<time datetime>`.
pub fn iso_utc(ms: i64) -> String {
    format_utc(ms).replacen(' ', "T", 1).replace(" UTC", "Z")
}

/// A `YYYY-MM-DD` date (as from `<input type=date>`) to the UTC milliseconds of its start.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    // Refuse dates like 2026-02-31 that roll over into the next month.
    (civil_from_days(days) == (y, m, d)).then_some(days * DAY_MS)
}

/// A date (`YYYY-MM-DD`) or a minute (`YYYY-MM-DDTHH:MM`, as from
/// `<input type=datetime-local>`, seconds optional), read as UTC, to milliseconds.
pub fn parse_datetime(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = text.split_once(['T', ' ']).unwrap_or((text, ""));
    let day = parse_date(date)?;
    if time.is_empty() {
        return Some(day);
    }
    let mut parts = time.trim_end_matches('Z').splitn(3, ':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = parts.next().map_or(Some(0), |s| s.parse().ok())?;
    ((0..24).contains(&h) && (0..60).contains(&m) && (0..60).contains(&s))
        .then_some(day + ((h * 60 + m) * 60 + s) * 1000)
}

/// `2026-11-25T01:30`: the minute of `ms`, as `parse_datetime` reads it back.
pub fn minute_input(ms: i64) -> String {
    iso_utc(ms)[..16].to_owned()
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
