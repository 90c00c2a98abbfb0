//! Where a partner's URL may make the server connect: the public internet only, never
//! the provider's own network (`rules::net` says which ranges), unless the provider allows
//! a range (`--webhook-allow-cidr`). Checked when a webhook is saved (the name resolved, a
//! field error that says why) and again on the address each request actually connects to:
//! the webhook client's resolver drops every address that is not allowed, so a name that
//! changes its answer between the two checks (DNS rebinding) gains nothing.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use rules::net::{Cidr, check_ip};

use crate::{Error, Result};

/// An address a partner's URL may not reach, with the reason in words.
#[derive(Debug, thiserror::Error)]
#[error("address not allowed: {host} is {reason}")]
pub struct AddressNotAllowed {
    pub host: String,
    pub reason: &'static str,
}

/// The resolver of the webhook client: system DNS, then only allowed addresses.
pub struct PublicOnly {
    pub allow: Arc<[Cidr]>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let refusal = found.iter().find_map(|a| check_ip(a.ip(), &allow).err());
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| check_ip(a.ip(), &allow).is_ok())
                .collect();
            if allowed.is_empty() {
                let reason = refusal.unwrap_or("not found");
                return Err(Box::new(AddressNotAllowed { host, reason }) as _);
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}

/// The host of `url` when it is an IP address written out (any spelling the URL parser
/// accepts: `127.1`, `0x7f.1`, `[::ffff:7f00:1]`…), which the resolver never sees.
pub fn literal_ip(url: &reqwest::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// Whether the server may send to `url` now: its literal address, or every address its
/// name resolves to, must be allowed. A name that does not resolve yet passes (the send
/// checks again); `localhost` never does.
pub async fn check_url(url: &str, allow: &[Cidr]) -> Result<()> {
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| {
        Error::field(
            "url",
            "Enter a full URL such as https://hooks.example.com/whatsapp.",
        )
    })?;
    let refuse = |host: &str, reason: &str| {
        Error::field(
            "url",
            format!(
                "{host} is {reason}: webhooks must be on the public internet, not this \
                 provider's own network."
            ),
        )
    };
    let host = parsed.host_str().unwrap_or_default().to_owned();
    if let Some(ip) = literal_ip(&parsed) {
        return check_ip(ip, allow).map_err(|reason| refuse(&host, reason));
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    let Ok(found) = tokio::net::lookup_host((host.as_str(), port)).await else {
        return Ok(());
    };
    for address in found {
        if let Err(reason) = check_ip(address.ip(), allow) {
            let resolved = format!("{host} resolves to {}, which", address.ip());
            return Err(refuse(&resolved, reason));
        }
    }
    Ok(())
}

/// What a failed request says to partners: a short class, never the socket's or TLS
/// library's own text (which would describe the provider's network).
pub fn failure_class(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        return "timeout";
    }
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut text = String::new();
    while let Some(c) = cause {
        if c.downcast_ref::<AddressNotAllowed>().is_some() {
            return "address not allowed";
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused",
                std::io::ErrorKind::ConnectionReset => return "connection reset",
                _ => {}
            }
        }
        text.push_str(&c.to_string().to_ascii_lowercase());
        text.push(' ');
        cause = c.source();
    }
    if ["certificate", "tls", "ssl", "handshake"]
        .iter()
        .any(|w| text.contains(w))
    {
        "TLS certificate not valid"
    } else if text.contains("dns") || text.contains("lookup") || text.contains("resolve") {
        "host name not found"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[tokio::test]
    async fn internal_addresses_are_refused_when_saved_and_public_ones_pass() {
        for url in [
            "https://127.1/",
            "https://[::ffff:7f00:1]/x",
            "https://169.254.169.254/",
        ] {
            let e = check_url(url, &[]).await.unwrap_err().to_string();
            assert!(e.contains("invalid input"), "{url}: {e}");
        }
        let localhost = check_url("https://localhost:8443/hook", &[]).await;
        assert!(localhost.is_err(), "localhost resolves to loopback");
        assert!(check_url("https://203.0.114.1/hook", &[]).await.is_ok());
        let allow = ["127.0.0.0/8".parse().unwrap()];
        assert!(
            check_url("http://127.0.0.1:3000/hook", &allow)
                .await
                .is_ok()
        );
    }
}
