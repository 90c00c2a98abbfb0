//! How many attempts may be in flight at once to one partner's webhook: a limit that
//! adapts to how the endpoint answers (additive increase, multiplicative decrease, as TCP
//! does). It starts small and grows by one per fast answer while more is waiting than it
//! lets through (so it doubles each round trip); after the first sign of trouble it grows
//! by one per round trip instead. Timeouts, failed connections, 5xx and 429 halve it, once
//! per round trip: attempts that were already in flight at a cut bring old news and do
//! not cut again. It stays within `1..=ceiling`. An endpoint that fails everything is
//! given rests instead (the [`Breaker`]).

use std::time::Duration;

/// The limit starts here: enough for a fast endpoint's first answers, little for a dead one.
pub const START: usize = 4;

/// How an attempt went, as far as the endpoint's capacity is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// 2xx within the fast bound: the endpoint could take more.
    Fast,
    /// It answered, but slowly, or with a 3xx or a 4xx other than 429 (the partner's
    /// code, not their capacity): no change.
    Neutral,
    /// Timeout, no connection, 5xx or 429: the endpoint is struggling.
    Overloaded,
}

impl Signal {
    /// The signal of an attempt that answered `status` (None: no answer) after `latency`;
    /// answers slower than `fast` are not taken as room to grow.
    pub fn of(status: Option<u16>, latency: Duration, fast: Duration) -> Signal {
        match status {
            None | Some(429) | Some(500..) => Signal::Overloaded,
            Some(200..=299) if latency <= fast => Signal::Fast,
            Some(_) => Signal::Neutral,
        }
    }
}

/// Which cut an attempt was started under (see [`AdaptiveLimit::started`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

#[derive(Clone, Debug)]
pub struct AdaptiveLimit {
    limit: f64,
    ceiling: f64,
    /// Still growing by one per fast answer: no overload seen yet.
    slow_start: bool,
    /// How many times the limit was cut.
    cuts: u64,
}

impl AdaptiveLimit {
    pub fn new(ceiling: usize) -> Self {
        let ceiling = ceiling.max(1) as f64;
        AdaptiveLimit {
            limit: (START as f64).min(ceiling),
            ceiling,
            slow_start: true,
            cuts: 0,
        }
    }

    /// Attempts allowed in flight now.
    pub fn current(&self) -> usize {
        self.limit as usize
    }

    /// An attempt starts; hand the ticket back to [`finished`](Self::finished).
    pub fn started(&self) -> Ticket {
        Ticket(self.cuts)
    }

    /// An attempt ended with `signal`; `saturated` says whether more was waiting than the
    /// limit let through (growing without demand would prove nothing).
    pub fn finished(&mut self, ticket: Ticket, signal: Signal, saturated: bool) {
        match signal {
            Signal::Fast if saturated => {
                let step = if self.slow_start {
                    1.0
                } else {
                    1.0 / self.limit
                };
                self.limit = (self.limit + step).min(self.ceiling);
            }
            Signal::Fast | Signal::Neutral => {}
            // Started before the last cut: that cut already answered this news.
            Signal::Overloaded if ticket.0 < self.cuts => {}
            Signal::Overloaded => {
                self.slow_start = false;
                self.cuts += 1;
                self.limit = (self.limit / 2.0).max(1.0);
            }
        }
    }
}

/// Stops sending to an endpoint that fails everything, so its deliveries cost nothing
/// while it is down (each attempt is a recorded outcome): after [`TRIP`] overloaded
/// answers in a row, no attempt until a pause has passed, then one probe; an answer that
/// is not overload closes it, another failure doubles the pause (up to [`LONGEST_PAUSE`]).
/// Deliveries wait meanwhile; none is lost or marked dead for it.
#[derive(Clone, Debug, Default)]
pub struct Breaker {
    failures_in_a_row: u32,
    /// Open until then (ms); `None` while closed.
    open_until: Option<i64>,
    pause_ms: i64,
    probing: bool,
}

/// Overloaded answers in a row that open the breaker.
pub const TRIP: u32 = 20;
/// The first pause, and the longest.
pub const FIRST_PAUSE_MS: i64 = 1_000;
pub const LONGEST_PAUSE_MS: i64 = 60_000;

impl Breaker {
    /// Whether an attempt may start at `now` with `in_flight` attempts out.
    pub fn allows(&self, now: i64, in_flight: usize) -> bool {
        match self.open_until {
            None => true,
            Some(until) => now >= until && !self.probing && in_flight == 0,
        }
    }

    /// An attempt starts (after [`allows`](Self::allows) said yes): when open, the probe.
    pub fn starting(&mut self) {
        if self.open_until.is_some() {
            self.probing = true;
        }
    }

    /// Whether it is open (no claims for the endpoint then).
    pub fn is_open(&self) -> bool {
        self.open_until.is_some()
    }

    pub fn record(&mut self, signal: Signal, now: i64) {
        if signal != Signal::Overloaded {
            *self = Breaker::default();
            return;
        }
        self.failures_in_a_row += 1;
        if self.probing {
            self.probing = false;
            self.pause_ms = (self.pause_ms * 2).min(LONGEST_PAUSE_MS);
            self.open_until = Some(now + self.pause_ms);
        } else if self.open_until.is_none() && self.failures_in_a_row >= TRIP {
            self.pause_ms = FIRST_PAUSE_MS;
            self.open_until = Some(now + self.pause_ms);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAST: Duration = Duration::from_millis(500);

    /// One round trip at full load: `current()` attempts start, then all end with `signal`.
    fn round_trip(limit: &mut AdaptiveLimit, signal: Signal) {
        let tickets: Vec<Ticket> = (0..limit.current()).map(|_| limit.started()).collect();
        for ticket in tickets {
            limit.finished(ticket, signal, true);
        }
    }

    #[test]
    fn a_fast_endpoint_under_load_doubles_each_round_trip_up_to_the_ceiling() {
        let mut limit = AdaptiveLimit::new(256);
        assert_eq!(limit.current(), START);
        let mut seen = Vec::new();
        for _ in 0..8 {
            round_trip(&mut limit, Signal::Fast);
            seen.push(limit.current());
        }
        assert_eq!(seen, [8, 16, 32, 64, 128, 256, 256, 256]);
    }

    #[test]
    fn without_more_waiting_than_it_lets_through_the_limit_does_not_grow() {
        let mut limit = AdaptiveLimit::new(256);
        for _ in 0..100 {
            let ticket = limit.started();
            limit.finished(ticket, Signal::Fast, false);
        }
        assert_eq!(limit.current(), START);
    }

    #[test]
    fn overload_halves_once_per_round_trip_then_growth_is_one_per_round_trip() {
        let mut limit = AdaptiveLimit::new(256);
        for _ in 0..4 {
            round_trip(&mut limit, Signal::Fast);
        }
        assert_eq!(limit.current(), 64);
        // 64 attempts in flight all time out: one cut, not 64.
        round_trip(&mut limit, Signal::Overloaded);
        assert_eq!(limit.current(), 32);
        round_trip(&mut limit, Signal::Fast);
        assert_eq!(
            limit.current(),
            32,
            "additive now: +1 over a whole round trip, 32.99.."
        );
        round_trip(&mut limit, Signal::Fast);
        assert_eq!(limit.current(), 33);
    }

    #[test]
    fn an_endpoint_failing_everything_comes_down_to_one_attempt_at_a_time() {
        let mut limit = AdaptiveLimit::new(256);
        for _ in 0..10 {
            round_trip(&mut limit, Signal::Overloaded);
        }
        assert_eq!(limit.current(), 1);
    }

    #[test]
    fn answers_are_read_as_capacity_signals() {
        let ms = Duration::from_millis;
        assert_eq!(Signal::of(Some(200), ms(20), FAST), Signal::Fast);
        assert_eq!(Signal::of(Some(204), ms(900), FAST), Signal::Neutral);
        assert_eq!(Signal::of(Some(404), ms(5), FAST), Signal::Neutral);
        assert_eq!(Signal::of(Some(302), ms(5), FAST), Signal::Neutral);
        for overloaded in [Some(429), Some(500), Some(503), None] {
            assert_eq!(Signal::of(overloaded, ms(5), FAST), Signal::Overloaded);
        }
    }

    #[test]
    fn the_ceiling_holds_from_the_start() {
        assert_eq!(AdaptiveLimit::new(2).current(), 2);
        assert_eq!(AdaptiveLimit::new(0).current(), 1);
    }

    #[test]
    fn an_endpoint_failing_everything_is_given_a_rest_and_probed() {
        let mut breaker = Breaker::default();
        for _ in 0..TRIP - 1 {
            breaker.record(Signal::Overloaded, 0);
        }
        breaker.record(Signal::Fast, 0);
        for _ in 0..TRIP - 1 {
            breaker.record(Signal::Overloaded, 0);
        }
        assert!(
            !breaker.is_open(),
            "a good answer in between starts the count again"
        );
        breaker.record(Signal::Overloaded, 0);
        assert!(breaker.is_open());
        assert!(!breaker.allows(FIRST_PAUSE_MS - 1, 0), "resting");
        assert!(
            !breaker.allows(FIRST_PAUSE_MS, 1),
            "not beside attempts still out"
        );
        assert!(breaker.allows(FIRST_PAUSE_MS, 0), "then one probe");
        breaker.starting();
        assert!(!breaker.allows(FIRST_PAUSE_MS, 0), "only one");
        // The probe fails: twice the rest, and so on up to the longest.
        breaker.record(Signal::Overloaded, FIRST_PAUSE_MS);
        assert!(!breaker.allows(3 * FIRST_PAUSE_MS - 1, 0));
        assert!(breaker.allows(3 * FIRST_PAUSE_MS, 0));
        let mut now = 3 * FIRST_PAUSE_MS;
        for _ in 0..10 {
            breaker.starting();
            breaker.record(Signal::Overloaded, now);
            now += LONGEST_PAUSE_MS;
            assert!(breaker.allows(now, 0), "never more than the longest rest");
        }
        // A probe that gets through closes it.
        breaker.starting();
        breaker.record(Signal::Fast, now);
        assert!(!breaker.is_open() && breaker.allows(now, 200));
    }
}
