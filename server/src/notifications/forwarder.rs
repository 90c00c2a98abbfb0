//! The forwarder: sends deliveries to partners' webhooks. Deliveries come from memory
//! (the intake hands over what its group commit just stored, already leased to this
//! instance) and from the database (retries that fell due, leases a crashed instance left
//! to run out, and what memory had no room for), read only every [`POLL`]. Each endpoint
//! has its own queue and an adaptive limit of attempts in flight
//! (`rules::webhooks::concurrency`); all endpoints share a total. One task owns this
//! state; each attempt runs as a task of its own (`attempts`) and reports back.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use domain::platform::db::now_ms;
use domain::webhooks::queue::{self, Due};
use rules::webhooks::concurrency::{AdaptiveLimit, Breaker, Signal, Ticket};
use tokio::sync::mpsc;

use super::DeliveryConfig;
use super::attempts::Attempts;
use crate::gateway::Gateway;

/// How often the database is asked for due retries and runaway leases…
const POLL: Duration = Duration::from_millis(250);
/// …and how soon again while an endpoint with room has more waiting there (a backlog
/// after a restart, retries that fell due together).
const CLAIM_AGAIN: Duration = Duration::from_millis(5);
/// Deliveries one endpoint may have waiting in memory; more go back to the database.
const MAX_QUEUED: usize = 10_000;
/// A queued delivery's lease is renewed when no more than an attempt and this is left…
const RENEW_MARGIN: Duration = Duration::from_secs(3);
/// …to an attempt and this from then.
const RENEW_FOR: Duration = Duration::from_secs(10);
/// Deliveries handed over and not yet taken by the forwarder; more wait for the poll.
const HAND_OVER: usize = 50_000;

/// Where the intake hands over deliveries it stored and leased.
#[derive(Clone)]
pub struct Dispatch(mpsc::Sender<Due>);

impl Dispatch {
    /// Never waits: a delivery the forwarder has no room for stays leased in the
    /// database and is claimed by the poll once the lease runs out.
    pub fn hand_over(&self, dues: Vec<Due>) {
        for due in dues {
            if self.0.try_send(due).is_err() {
                tracing::debug!("hand-over full; the delivery waits for its lease to run out");
            }
        }
    }
}

pub fn channel() -> (Dispatch, mpsc::Receiver<Due>) {
    let (tx, rx) = mpsc::channel(HAND_OVER);
    (Dispatch(tx), rx)
}

struct Endpoint {
    limit: AdaptiveLimit,
    in_flight: usize,
    queue: VecDeque<Due>,
    /// The last claim filled its room: more may be due in the database.
    more_in_db: bool,
    breaker: Breaker,
    /// When its breaker opened (ms), while it rests.
    rested_at: Option<i64>,
}

impl Endpoint {
    /// Attempts it could take beyond what is in flight and queued: while it rests none,
    /// then one for the probe once the pause is over.
    fn room(&self, now: i64) -> usize {
        if self.breaker.is_open() {
            let probe = self.queue.is_empty() && self.breaker.allows(now, self.in_flight);
            return usize::from(probe);
        }
        let taken = self.in_flight + self.queue.len();
        self.limit.current().saturating_sub(taken)
    }

    /// Whether an attempt from its queue may start at `now`.
    fn has_room(&self, now: i64) -> bool {
        !self.queue.is_empty()
            && self.in_flight < self.limit.current()
            && self.breaker.allows(now, self.in_flight)
    }

    /// More is waiting than the limit lets through (in memory or in the database).
    fn saturated(&self) -> bool {
        !self.queue.is_empty() || self.more_in_db
    }
}

/// What an attempt reports back.
struct Done {
    project_id: i64,
    ticket: Ticket,
    signal: Signal,
}

struct Forwarder {
    gateway: Arc<Gateway>,
    config: DeliveryConfig,
    endpoints: HashMap<i64, Endpoint>,
    in_flight: usize,
    /// Claims to give back to the database (no room in memory).
    overflow: Vec<i64>,
    /// Turns the starting endpoint of each pump, so none always goes last.
    turn: usize,
    done: mpsc::UnboundedSender<Done>,
    attempts: Arc<Attempts>,
}

pub async fn run(gateway: Arc<Gateway>, config: DeliveryConfig, mut handed: mpsc::Receiver<Due>) {
    let (done, mut reports) = mpsc::unbounded_channel();
    let mut f = Forwarder {
        attempts: Attempts::new(&gateway, &config),
        gateway,
        config,
        endpoints: HashMap::new(),
        in_flight: 0,
        overflow: Vec::new(),
        turn: 0,
        done,
    };
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            Some(due) = handed.recv() => {
                f.enqueue(due);
                while let Ok(due) = handed.try_recv() {
                    f.enqueue(due);
                }
            }
            Some(report) = reports.recv() => {
                f.finished(report);
                while let Ok(report) = reports.try_recv() {
                    f.finished(report);
                }
            }
            _ = poll.tick() => {
                f.end_rests_of_changed_webhooks().await;
                f.give_back().await;
                f.renew().await;
                f.claim().await;
            }
            () = tokio::time::sleep(CLAIM_AGAIN), if f.more_to_claim() => f.claim().await,
        }
        f.pump();
    }
}

impl Forwarder {
    fn endpoint(&mut self, project_id: i64) -> &mut Endpoint {
        let ceiling = self.config.per_endpoint;
        self.endpoints
            .entry(project_id)
            .or_insert_with(|| Endpoint {
                limit: AdaptiveLimit::new(ceiling),
                in_flight: 0,
                queue: VecDeque::new(),
                more_in_db: false,
                breaker: Breaker::default(),
                rested_at: None,
            })
    }

    /// A webhook saved since its endpoint began to rest (a working URL, most likely) ends
    /// the rest, whichever instance it was saved on: what is due is tried at once, and an
    /// endpoint still failing trips its breaker again.
    async fn end_rests_of_changed_webhooks(&mut self) {
        let resting: Vec<(i64, i64)> = self
            .endpoints
            .iter()
            .filter_map(|(p, e)| e.rested_at.map(|at| (*p, at)))
            .collect();
        if resting.is_empty() {
            return;
        }
        let projects: Vec<i64> = resting.iter().map(|(p, _)| *p).collect();
        let saved =
            match domain::webhooks::config::saved_at(&self.gateway.services, &projects).await {
                Ok(saved) => saved,
                Err(e) => {
                    tracing::warn!(error = %e.report(), "could not read when webhooks were saved");
                    return;
                }
            };
        for (project_id, rested_at) in resting {
            if saved.get(&project_id).is_some_and(|at| *at > rested_at) {
                let endpoint = self.endpoint(project_id);
                endpoint.breaker = Breaker::default();
                endpoint.rested_at = None;
            }
        }
    }

    fn enqueue(&mut self, due: Due) {
        let endpoint = self.endpoint(due.project_id);
        if endpoint.queue.len() >= MAX_QUEUED {
            self.overflow.push(due.id);
        } else {
            endpoint.queue.push_back(due);
        }
    }

    fn finished(&mut self, report: Done) {
        self.in_flight -= 1;
        let endpoint = self.endpoint(report.project_id);
        endpoint.in_flight -= 1;
        let now = now_ms();
        endpoint.breaker.record(report.signal, now);
        endpoint.rested_at = match (endpoint.breaker.is_open(), endpoint.rested_at) {
            (false, _) => None,
            (true, since) => since.or(Some(now)),
        };
        let saturated = endpoint.saturated();
        endpoint
            .limit
            .finished(report.ticket, report.signal, saturated);
    }

    /// Starts attempts while endpoints have room under their limits and the total allows,
    /// one from each endpoint in turn so that a shared total is shared fairly.
    fn pump(&mut self) {
        let now = now_ms();
        let mut waiting: Vec<i64> = self
            .endpoints
            .iter()
            .filter(|(_, e)| e.has_room(now))
            .map(|(p, _)| *p)
            .collect();
        if waiting.is_empty() {
            return;
        }
        waiting.sort_unstable();
        self.turn = self.turn.wrapping_add(1);
        let first = self.turn % waiting.len();
        waiting.rotate_left(first);
        let needed = (self.config.attempt_timeout + Duration::from_secs(1)).as_millis() as i64;
        let mut starting = Vec::new();
        while self.in_flight < self.config.total && !waiting.is_empty() {
            for project_id in &waiting {
                if self.in_flight >= self.config.total {
                    break;
                }
                let endpoint = self.endpoints.get_mut(project_id).expect("listed above");
                let Some(due) = endpoint.queue.pop_front() else {
                    continue;
                };
                // Too little lease left for a whole attempt: the database keeps it, and
                // the poll claims it once the lease runs out (never two senders at once).
                if due.lease_until - now >= needed {
                    starting.push((due, endpoint.limit.started()));
                    endpoint.breaker.starting();
                    endpoint.in_flight += 1;
                    self.in_flight += 1;
                }
            }
            waiting.retain(|p| self.endpoints[p].has_room(now));
        }
        for (due, ticket) in starting {
            self.start(due, ticket);
        }
    }

    fn start(&self, due: Due, ticket: Ticket) {
        let (attempts, done) = (self.attempts.clone(), self.done.clone());
        let project_id = due.project_id;
        tokio::spawn(async move {
            let report = |signal| {
                let _ = done.send(Done {
                    project_id,
                    ticket,
                    signal,
                });
            };
            attempts.make(due, report).await;
        });
    }

    /// Whether an endpoint with room has more waiting in the database.
    fn more_to_claim(&self) -> bool {
        let now = now_ms();
        self.in_flight < self.config.total
            && self
                .endpoints
                .values()
                .any(|e| e.more_in_db && e.room(now) > 0)
    }

    /// Claims due deliveries from the database for the endpoints with room.
    async fn claim(&mut self) {
        let free = self.config.total.saturating_sub(self.in_flight) as i64;
        if free == 0 {
            return;
        }
        let now = now_ms();
        let room: HashMap<i64, usize> = self
            .endpoints
            .iter()
            .map(|(p, e)| (*p, e.room(now)))
            .collect();
        let fresh = rules::webhooks::concurrency::START;
        let room_of = |p: i64| room.get(&p).copied().unwrap_or(fresh);
        let lease = self.gateway.services.webhooks.lease();
        let claimed = queue::claim(&self.gateway.services.db, free, lease, |p| {
            room_of(p) as i64
        })
        .await;
        let dues = match claimed {
            Ok(dues) => dues,
            Err(e) => {
                tracing::error!(error = %e, "claiming deliveries failed; retrying");
                return;
            }
        };
        let mut got: HashMap<i64, usize> = HashMap::new();
        for due in &dues {
            *got.entry(due.project_id).or_default() += 1;
        }
        for (project_id, endpoint) in self.endpoints.iter_mut() {
            let room = room_of(*project_id);
            endpoint.more_in_db = room > 0 && got.get(project_id).copied().unwrap_or(0) >= room;
        }
        for (project_id, n) in got {
            if !room.contains_key(&project_id) {
                self.endpoint(project_id).more_in_db = n >= fresh;
            }
        }
        dues.into_iter().for_each(|d| self.enqueue(d));
    }

    /// Renews the leases of queued deliveries before they run out.
    async fn renew(&mut self) {
        let now = now_ms();
        let ms = |d: Duration| (self.config.attempt_timeout + d).as_millis() as i64;
        // Renewed while an attempt still fits with room to spare, for a little longer
        // than an attempt; after a crash, these wait that long at most.
        let (soon, until) = (now + ms(RENEW_MARGIN), now + ms(RENEW_FOR));
        let ids: Vec<i64> = self
            .endpoints
            .values()
            .flat_map(|e| e.queue.iter())
            .filter(|d| d.lease_until > now && d.lease_until < soon)
            .map(|d| d.id)
            .collect();
        if ids.is_empty() {
            return;
        }
        match queue::renew(&self.gateway.services.db, &ids, until).await {
            Ok(()) => {
                for due in self.endpoints.values_mut().flat_map(|e| e.queue.iter_mut()) {
                    if due.lease_until > now && due.lease_until < soon {
                        due.lease_until = until;
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not renew leases; they run out and are claimed again")
            }
        }
    }

    /// Gives claims memory had no room for back to the database.
    async fn give_back(&mut self) {
        if self.overflow.is_empty() {
            return;
        }
        let ids = std::mem::take(&mut self.overflow);
        if let Err(e) = queue::release(&self.gateway.services.db, &ids).await {
            tracing::warn!(error = %e, "could not release claims; they run out by themselves");
        }
    }
}
