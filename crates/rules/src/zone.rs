//! The viewer's time zone (the server only: the browser never converts, so what it shows
//! after hydration is what the server rendered). Typed dates and minutes are read in it;
//! times shown and chart labels are written in it. The browser says which zone it is in
//! (an IANA name such as `Africa/Dar_es_Salaam`); UTC until it has.

use chrono::{Datelike, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use crate::time::{is_date_only, parse_local};

/// The cookie the browser sets to its zone's IANA name.
pub const COOKIE: &str = "tz";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone(Tz);

impl Default for Zone {
    fn default() -> Self {
        Zone(Tz::UTC)
    }
}

impl Zone {
    /// An IANA name; anything else is `None`.
    pub fn parse(name: &str) -> Option<Zone> {
        name.trim().parse::<Tz>().ok().map(Zone)
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The zone a request's `Cookie` headers name, UTC when none does (or a bad one).
    pub fn from_cookies<'a>(headers: impl IntoIterator<Item = &'a str>) -> Zone {
        headers
            .into_iter()
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
            .find_map(|value| Zone::parse(&value.replace("%2F", "/")))
            .unwrap_or_default()
    }

    /// The instant a local time names: an hour the clocks skip reads as the next valid
    /// one, an hour they repeat as its first pass.
    fn instant(&self, local: NaiveDateTime) -> Option<i64> {
        let at = |t: NaiveDateTime| self.0.from_local_datetime(&t).earliest();
        at(local)
            .or_else(|| at(local + chrono::Duration::hours(1)))
            .map(|t| t.timestamp_millis())
    }

    /// A typed date (its start) or minute, in this zone, to UTC milliseconds.
    pub fn start_of(&self, text: &str) -> Option<i64> {
        self.instant(parse_local(text)?)
    }

    /// A typed "to", exclusive: the end of the minute typed (so "to 14:30" includes it),
    /// or of the whole date.
    pub fn end_of(&self, text: &str) -> Option<i64> {
        let local = parse_local(text)?;
        if is_date_only(text) {
            self.instant(local + chrono::Duration::days(1))
        } else {
            self.instant(local + chrono::Duration::minutes(1))
        }
    }

    fn local(&self, ms: i64) -> NaiveDateTime {
        let utc = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
        utc.with_timezone(&self.0).naive_local()
    }

    /// `2026-11-25T04:30`, for `<input type=datetime-local>`.
    pub fn minute_input(&self, ms: i64) -> String {
        self.local(ms).format("%Y-%m-%dT%H:%M").to_string()
    }

    /// `2026-11-25`, for `<input type=date>`.
    pub fn date_input(&self, ms: i64) -> String {
        self.local(ms).format("%Y-%m-%d").to_string()
    }

    /// A chart's hour (`14:00`) or day (`Nov 30`) in this zone.
    pub fn hour_label(&self, ms: i64) -> String {
        self.local(ms).format("%H:%M").to_string()
    }

    pub fn day_label(&self, ms: i64) -> String {
        let local = self.local(ms);
        format!("{} {}", local.format("%b"), local.day())
    }

    /// The start (UTC ms) of the local day `ms` falls in.
    pub fn day_start(&self, ms: i64) -> i64 {
        let midnight = self.local(ms).date().and_time(chrono::NaiveTime::MIN);
        self.instant(midnight).unwrap_or(ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::HOUR_MS;

    #[test]
    fn typed_times_are_read_in_the_viewers_zone() {
        let nairobi = Zone::parse("Africa/Nairobi").unwrap();
        let utc = Zone::default();
        let typed = "2026-11-25T14:30";
        assert_eq!(
            utc.start_of(typed).unwrap() - nairobi.start_of(typed).unwrap(),
            3 * HOUR_MS,
            "14:30 in Nairobi is 11:30 UTC"
        );
        let day = nairobi.start_of("2026-11-25").unwrap();
        assert_eq!(nairobi.end_of("2026-11-25").unwrap() - day, 24 * HOUR_MS);
        assert_eq!(nairobi.minute_input(day), "2026-11-25T00:00");
        assert_eq!(nairobi.day_start(day + 5 * HOUR_MS), day);
        assert_eq!(Zone::parse("Mars/Olympus"), None);
        let cookies = ["id=abc; tz=Africa%2FNairobi", "other=1"];
        assert_eq!(Zone::from_cookies(cookies), nairobi);
        assert_eq!(Zone::from_cookies(["tz=Mars/Olympus"]), Zone::default());
    }

    #[test]
    fn a_skipped_hour_reads_as_the_next_and_a_repeated_one_as_its_first_pass() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 2026-03-29: 02:00 does not happen; 2026-10-25: 02:30 happens twice.
        let skipped = berlin.start_of("2026-03-29T02:30").unwrap();
        assert_eq!(berlin.minute_input(skipped), "2026-03-29T03:30");
        let repeated = berlin.start_of("2026-10-25T02:30").unwrap();
        assert_eq!(
            berlin.start_of("2026-10-25T01:30").unwrap() + HOUR_MS,
            repeated
        );
    }

    #[test]
    fn chart_labels_are_local() {
        let kolkata = Zone::parse("Asia/Kolkata").unwrap();
        let noon_utc = crate::time::parse_datetime("2026-11-30T12:00").unwrap();
        assert_eq!(kolkata.hour_label(noon_utc), "17:30");
        assert_eq!(kolkata.day_label(noon_utc), "Nov 30");
    }
}
