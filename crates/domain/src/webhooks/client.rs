//! Sending to a partner's webhook: one attempt, as the forwarder and the console's "send
//! test event" make it, over connections kept alive per endpoint (HTTP/2 where the
//! endpoint offers it). Redirects are not followed (a 3xx is a failed attempt); only 2xx is
//! success; the answer is read up to 1 KB; every request carries a stable event id and,
//! when the project has a signing secret, an HMAC-SHA256 signature.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use rules::net::{Cidr, check_ip};

use crate::webhooks::address::{PublicOnly, failure_class, literal_ip};
use crate::webhooks::queue::Attempt;

pub const EVENT_ID_HEADER: &str = "x-tujenge-event-id";
pub const TIMESTAMP_HEADER: &str = "x-tujenge-timestamp";
pub const SIGNATURE_HEADER: &str = "x-tujenge-signature";
const EXCERPT: usize = 1024;

/// What partners' webhook URLs may be; the server's options decide.
#[derive(Clone, Debug, Default)]
pub struct WebhookPolicy {
    /// `http://` URLs accepted (`--allow-insecure-webhooks`: development and tests).
    pub allow_http: bool,
    /// Ranges of the provider's own network that webhooks may reach anyway
    /// (`--webhook-allow-cidr`: tests, or partners on a private network).
    pub allow: Arc<[Cidr]>,
    /// Certificate authorities trusted besides the public ones (`--webhook-ca-file`).
    pub roots: Roots,
}

/// Extra certificate authorities for partners' HTTPS endpoints: a partner on a private
/// network whose certificates its own CA issues (and the tests' receivers).
#[derive(Clone, Debug, Default)]
pub struct Roots(pub Arc<[reqwest::Certificate]>);

impl Roots {
    /// Every certificate of a PEM file; a file without one is refused, not ignored.
    pub fn read(path: &str) -> Result<Roots, String> {
        let pem = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let certificates = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| format!("{path} is not a PEM certificate bundle: {e}"))?;
        if certificates.is_empty() {
            return Err(format!("{path} holds no PEM certificate"));
        }
        Ok(Roots(certificates.into()))
    }
}

/// The one client every webhook request goes through (deliveries, test events, checks),
/// with the configured attempt timeout and policy.
#[derive(Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
    pub timeout: Duration,
    pub policy: WebhookPolicy,
}

/// `sha256=` and the hex HMAC of `"{timestamp}.{body}"`: what a partner recomputes.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl WebhookClient {
    /// How long one attempt holds its delivery: the attempt timeout and 5 s to record it.
    pub fn lease(&self) -> Duration {
        self.timeout + Duration::from_secs(5)
    }

    pub fn new(timeout: Duration, policy: WebhookPolicy) -> Self {
        let resolver = Arc::new(PublicOnly {
            allow: policy.allow.clone(),
        });
        let mut builder = reqwest::Client::builder();
        for root in policy.roots.0.iter() {
            builder = builder.add_root_certificate(root.clone());
        }
        let http = builder
            .dns_resolver(resolver)
            // A proxy would be resolved instead of the partner's host: none is used.
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            // Keep-alive: every connection an endpoint's attempts opened stays open for the
            // next ones (until 90 s idle), however many were in flight at once. HTTPS
            // endpoints that offer HTTP/2 (ALPN) get it, many attempts on one connection.
            .pool_max_idle_per_host(usize::MAX)
            .http2_adaptive_window(true)
            .build()
            .expect("an HTTP client");
        WebhookClient {
            http,
            timeout,
            policy,
        }
    }

    pub async fn send(
        &self,
        url: &str,
        headers: &BTreeMap<String, String>,
        event_id: &str,
        body: &str,
        secrets: &[String],
    ) -> Attempt {
        let started = Instant::now();
        let mut attempt = Attempt {
            url: url.to_owned(),
            ..Attempt::default()
        };
        // An address written out never reaches the resolver: checked here.
        let literal = reqwest::Url::parse(url).ok().as_ref().and_then(literal_ip);
        if let Some(refused) = literal.and_then(|ip| check_ip(ip, &self.policy.allow).err()) {
            tracing::info!(url, reason = refused, "webhook address not allowed");
            attempt.error = Some("address not allowed".into());
            return attempt;
        }
        let timestamp = chrono::Utc::now().timestamp();
        let mut request = self
            .http
            .post(url)
            .timeout(self.timeout)
            .header("content-type", "application/json")
            .header(EVENT_ID_HEADER, event_id)
            .header(TIMESTAMP_HEADER, timestamp);
        for (name, value) in headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if !secrets.is_empty() {
            let signatures: Vec<String> = secrets
                .iter()
                .map(|secret| signature(secret, timestamp, body))
                .collect();
            let header = rules::webhooks::signing::signature_header(&signatures);
            request = request.header(SIGNATURE_HEADER, header);
        }
        match request.body(body.to_owned()).send().await {
            Ok(response) => {
                let status = response.status();
                attempt.http_status = Some(i64::from(status.as_u16()));
                if status.is_redirection() {
                    let to = response
                        .headers()
                        .get("location")
                        .and_then(|l| l.to_str().ok())
                        .unwrap_or("?")
                        .to_owned();
                    attempt.error = Some(format!(
                        "redirect to {to} not followed: answer 2xx at the configured URL"
                    ));
                }
                attempt.response_excerpt = Some(excerpt(response).await);
            }
            Err(e) if e.is_timeout() => {
                let limit = self.timeout.as_secs_f64();
                attempt.error = Some(format!("timeout: no answer within {limit} s"))
            }
            // Partners see the class only; the cause (which names the provider's
            // network) goes to the log, for staff.
            Err(e) => {
                tracing::info!(url, cause = %root_cause(&e), "webhook request failed");
                attempt.error = Some(failure_class(&e).to_owned());
            }
        }
        attempt.latency_ms = started.elapsed().as_millis() as i64;
        attempt
    }
}

async fn excerpt(response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(Ok(chunk)) = stream.next().await {
        bytes.extend_from_slice(&chunk[..chunk.len().min(EXCERPT - bytes.len())]);
        if bytes.len() >= EXCERPT {
            break;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// What the console's webhook check reports for one test attempt: each check with its
/// cause and fix (problem, cause, fix; a warning above 1 s).
pub fn findings(url: &str, attempt: &Attempt) -> Vec<rules::webhooks::deliveries::Finding> {
    use rules::webhooks::deliveries::Finding;
    let f = |level: &str, check: &str, cause: &str, fix: &str| Finding {
        level: level.into(),
        check: check.into(),
        cause: cause.into(),
        fix: fix.into(),
    };
    let mut out = Vec::new();
    let https = url.trim().to_ascii_lowercase().starts_with("https://");
    out.push(if https {
        f("ok", "HTTPS is used", "", "")
    } else {
        f(
            "problem",
            "HTTPS is not used",
            "The URL starts with http://, so notifications travel unencrypted.",
            "Serve the webhook over https:// with a valid certificate.",
        )
    });
    let error = attempt
        .error
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let tls = ["certificate", "tls", "ssl", "handshake"]
        .iter()
        .any(|w| error.contains(w));
    if https {
        out.push(if tls {
            f("problem", "The certificate is not valid", attempt.error.as_deref().unwrap_or_default(), "Install a certificate from a public CA with the complete chain, for this host name.")
        } else if attempt.http_status.is_some() {
            f("ok", "The certificate is valid", "", "")
        } else {
            f("warning", "The certificate could not be checked", "No connection was made.", "Fix the connection problem below first.")
        });
    }
    match attempt.http_status {
        Some(s) if (300..400).contains(&s) => out.push(f(
            "problem",
            "The URL redirects",
            &format!("It answered {s}; redirects are not followed."),
            "Configure the final URL (after the redirect) as the webhook.",
        )),
        Some(s) if (200..300).contains(&s) => {
            out.push(f("ok", "No redirect", "", ""));
            out.push(f("ok", &format!("It answers {s}"), "", ""));
        }
        Some(s) => {
            out.push(f("ok", "No redirect", "", ""));
            out.push(f(
                "problem",
                &format!("It answers {s}, not 2xx"),
                &format!("Only 2xx counts as delivered; {s} means every notification is retried."),
                "Answer 200 as soon as the notification is stored; process it afterwards.",
            ))
        }
        None if !tls => out.push(f(
            "problem",
            "No answer",
            attempt.error.as_deref().unwrap_or("The request failed."),
            "Check that the host name resolves, the port is open and the server is running.",
        )),
        None => {}
    }
    if attempt.http_status.is_some() {
        let ms = attempt.latency_ms;
        out.push(if ms > 5000 {
            f(
                "problem",
                "It answers too slowly",
                &format!("{ms} ms; attempts are cut after the timeout."),
                "Acknowledge first (200), then process in the background.",
            )
        } else if ms > 1000 {
            f(
                "warning",
                "It answers slowly",
                &format!("{ms} ms; over 1 s risks timeouts under load."),
                "Acknowledge first (200), then process in the background.",
            )
        } else {
            f("ok", &format!("It answers in {ms} ms"), "", "")
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Roots, signature};

    #[test]
    fn a_ca_file_without_a_certificate_is_refused_with_its_name() {
        let missing = Roots::read("/nonexistent/ca.pem").unwrap_err();
        assert!(
            missing.starts_with("cannot read /nonexistent/ca.pem"),
            "{missing}"
        );
        let empty = tempfile::NamedTempFile::new().unwrap();
        let path = empty.path().to_str().unwrap();
        let refused = Roots::read(path).unwrap_err();
        assert_eq!(refused, format!("{path} holds no PEM certificate"));
    }

    #[test]
    fn findings_say_what_is_wrong_and_what_to_do() {
        use crate::webhooks::queue::Attempt;
        let good = Attempt {
            http_status: Some(200),
            latency_ms: 40,
            ..Attempt::default()
        };
        assert!(
            super::findings("https://x.test/h", &good)
                .iter()
                .all(|f| f.level == "ok")
        );
        let redirect = Attempt {
            http_status: Some(302),
            latency_ms: 40,
            ..Attempt::default()
        };
        let f = super::findings("http://x.test/h", &redirect);
        assert!(
            f.iter()
                .any(|f| f.level == "problem" && f.check == "HTTPS is not used")
        );
        assert!(f.iter().any(|f| f.level == "problem"
            && f.check == "The URL redirects"
            && f.fix.contains("final URL")));
        let slow = Attempt {
            http_status: Some(200),
            latency_ms: 1500,
            ..Attempt::default()
        };
        assert!(
            super::findings("https://x.test/h", &slow)
                .iter()
                .any(|f| f.level == "warning")
        );
        let down = Attempt {
            error: Some("could not connect: connection refused".into()),
            ..Attempt::default()
        };
        assert!(
            super::findings("https://x.test/h", &down)
                .iter()
                .any(|f| f.check == "No answer")
        );
    }

    #[test]
    fn signs_timestamp_and_body() {
        let s = signature("secret", 1_700_000_000, r#"{"statuses":[]}"#);
        assert!(s.starts_with("sha256=") && s.len() == 7 + 64);
        assert_ne!(s, signature("other", 1_700_000_000, r#"{"statuses":[]}"#));
        assert_ne!(s, signature("secret", 1_700_000_001, r#"{"statuses":[]}"#));
    }
}
