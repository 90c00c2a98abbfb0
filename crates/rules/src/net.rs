//! Which network addresses a partner may make the server call: webhook endpoints and media
//! links must be on the public internet, never the provider's own network (loopback,
//! private, link-local, CGNAT, unique-local, mapped or compatible IPv6, multicast,
//! unspecified, documentation and other special ranges). Plain std, so the console can
//! run the same check while a partner types.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An address range such as `10.0.0.0/8` or `::1/128` (a bare address is one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8) -> Cidr {
        Cidr {
            addr: IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
            prefix,
        }
    }

    const fn v6(segments: [u16; 8], prefix: u8) -> Cidr {
        let [a, b, c, d, e, f, g, h] = segments;
        Cidr {
            addr: IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h)),
            prefix,
        }
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(u32::from(net).into(), u32::from(ip).into(), self.prefix, 32)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(u128::from(net), u128::from(ip), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8, bits: u8) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = u32::from(bits - prefix);
    (a >> shift) == (b >> shift)
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .trim_matches(['[', ']'])
            .parse()
            .map_err(|_| format!("{text:?} is not an address range such as 10.0.0.0/8"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text:?}: the prefix must be 0 to {max}"))?,
        };
        Ok(Cidr { addr, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// Ranges a partner's URL may not reach, with the words that say why.
const BLOCKED: &[(Cidr, &str)] = &[
    (
        Cidr::v4(0, 0, 0, 0, 8),
        "an unspecified (\"this network\") address",
    ),
    (Cidr::v4(10, 0, 0, 0, 8), "a private address (RFC 1918)"),
    (
        Cidr::v4(100, 64, 0, 0, 10),
        "a carrier-grade NAT address (RFC 6598)",
    ),
    (Cidr::v4(127, 0, 0, 0, 8), "a loopback address"),
    (
        Cidr::v4(169, 254, 0, 0, 16),
        "a link-local address (cloud metadata lives there)",
    ),
    (Cidr::v4(172, 16, 0, 0, 12), "a private address (RFC 1918)"),
    (Cidr::v4(192, 0, 0, 0, 24), "an IETF protocol address"),
    (Cidr::v4(192, 0, 2, 0, 24), "a documentation address"),
    (Cidr::v4(192, 88, 99, 0, 24), "a 6to4 relay address"),
    (Cidr::v4(192, 168, 0, 0, 16), "a private address (RFC 1918)"),
    (Cidr::v4(198, 18, 0, 0, 15), "a benchmarking address"),
    (Cidr::v4(198, 51, 100, 0, 24), "a documentation address"),
    (Cidr::v4(203, 0, 113, 0, 24), "a documentation address"),
    (Cidr::v4(224, 0, 0, 0, 4), "a multicast address"),
    (Cidr::v4(240, 0, 0, 0, 4), "a reserved address"),
    (
        Cidr::v6([0, 0, 0, 0, 0, 0, 0, 0], 128),
        "an unspecified address",
    ),
    (
        Cidr::v6([0, 0, 0, 0, 0, 0, 0, 1], 128),
        "a loopback address",
    ),
    (
        Cidr::v6([0, 0, 0, 0, 0, 0xffff, 0, 0], 96),
        "an IPv4-mapped IPv6 address",
    ),
    (
        Cidr::v6([0, 0, 0, 0, 0, 0, 0, 0], 96),
        "an IPv4-compatible IPv6 address",
    ),
    (
        Cidr::v6([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96),
        "a NAT64 address",
    ),
    (
        Cidr::v6([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48),
        "a NAT64 address",
    ),
    (
        Cidr::v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64),
        "a discard-only address",
    ),
    (
        Cidr::v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 23),
        "an IETF protocol address",
    ),
    (
        Cidr::v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32),
        "a documentation address",
    ),
    (
        Cidr::v6([0x2002, 0, 0, 0, 0, 0, 0, 0], 16),
        "a 6to4 address",
    ),
    (
        Cidr::v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20),
        "a documentation address",
    ),
    (
        Cidr::v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7),
        "a unique-local (private) address",
    ),
    (
        Cidr::v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10),
        "a link-local address",
    ),
    (
        Cidr::v6([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10),
        "a site-local address",
    ),
    (
        Cidr::v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8),
        "a multicast address",
    ),
];

/// Why `ip` is not on the public internet, if it is not.
pub fn blocked_range(ip: IpAddr) -> Option<&'static str> {
    BLOCKED
        .iter()
        .find(|(range, _)| range.contains(ip))
        .map(|(_, why)| *why)
}

/// `Ok` when the server may connect to `ip` for a partner: a public address, or one in
/// the provider's explicit allow list (`--webhook-allow-cidr`).
pub fn check_ip(ip: IpAddr, allow: &[Cidr]) -> Result<(), &'static str> {
    if allow.iter().any(|range| range.contains(ip)) {
        return Ok(());
    }
    blocked_range(ip).map_or(Ok(()), Err)
}

/// The host of an `http(s)://` URL, lower-cased, without user info, port or brackets.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        inner.split_once(']')?.0
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// What a URL host is, as browsers and the url crate read it (WHATWG): an IP address
/// (including `127.1`, `0x7f.1`, `2130706433`, `0177.0.0.1`), a name, or nothing valid
/// (a host that ends in a number but is no address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    Name(String),
    Invalid,
}

pub fn parse_host(host: &str) -> Host {
    let host = host.trim_end_matches('.');
    if let Ok(v6) = host.trim_matches(['[', ']']).parse::<Ipv6Addr>() {
        return Host::Ip(IpAddr::V6(v6));
    }
    let parts: Vec<&str> = host.split('.').collect();
    let last = parts.last().copied().unwrap_or_default();
    let ends_in_number = !last.is_empty()
        && (last.chars().all(|c| c.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .or(last.strip_prefix("0X"))
                .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())));
    if !ends_in_number {
        return if host.is_empty() {
            Host::Invalid
        } else {
            Host::Name(host.to_owned())
        };
    }
    ipv4_whatwg(&parts).map_or(Host::Invalid, |ip| Host::Ip(IpAddr::V4(ip)))
}

fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(h) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
        (h, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .filter(|n| *n <= u64::from(u32::MAX))
}

fn ipv4_whatwg(parts: &[&str]) -> Option<Ipv4Addr> {
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| ipv4_number(p))
        .collect::<Option<_>>()?;
    let (last, leading) = numbers.split_last()?;
    if leading.iter().any(|n| *n > 255) {
        return None;
    }
    if *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut value = *last;
    for (i, n) in leading.iter().enumerate() {
        value += n * 256u64.pow(3 - i as u32);
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        match parse_host(&url_host(text).unwrap()) {
            Host::Ip(ip) => ip,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn every_internal_spelling_is_refused() {
        let spellings = [
            "https://127.1/",
            "https://0x7f.1/",
            "https://2130706433/",
            "https://017700000001/",
            "https://0177.0.0.1/",
            "https://127.0.0.1:8443/x",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:7f00:1]/",
            "https://[::127.0.0.1]/",
            "https://10.0.0.1/",
            "https://172.16.0.1/",
            "https://192.168.0.1/",
            "https://169.254.169.254/latest",
            "https://100.64.0.1/",
            "https://[fd00::1]/",
            "https://[fe80::1]/",
            "https://0.0.0.0/",
            "https://[::]/",
            "https://224.0.0.1/",
            "https://192.0.2.1/",
            "http://user:pw@10.1.2.3:80/",
        ];
        for url in spellings {
            assert!(check_ip(ip(url), &[]).is_err(), "{url} must be refused");
        }
    }

    #[test]
    fn public_addresses_and_the_allow_list_pass() {
        assert_eq!(check_ip(ip("https://8.8.8.8/"), &[]), Ok(()));
        assert_eq!(check_ip(ip("https://[2a00:1450::1]/"), &[]), Ok(()));
        let allow: Vec<Cidr> = vec!["127.0.0.0/8".parse().unwrap()];
        assert_eq!(check_ip(ip("http://127.0.0.1:3000/hook"), &allow), Ok(()));
        assert!(check_ip(ip("http://10.0.0.1/"), &allow).is_err());
    }

    #[test]
    fn hosts_are_read_as_browsers_read_them() {
        assert_eq!(parse_host("example.com"), Host::Name("example.com".into()));
        assert_eq!(parse_host("1.2.3.4.5"), Host::Invalid);
        assert_eq!(parse_host("example.123"), Host::Invalid);
        assert_eq!(
            ip("https://0x7f.1/"),
            IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))
        );
        assert_eq!(
            url_host("https://u:p@Hook.Example:8443/p?q"),
            Some("hook.example".into())
        );
    }

    #[test]
    fn ranges_parse_and_refuse_nonsense() {
        assert_eq!(
            "10.0.0.0/8".parse::<Cidr>().unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!("::1".parse::<Cidr>().unwrap().to_string(), "::1/128");
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("localhost".parse::<Cidr>().is_err());
    }
}
