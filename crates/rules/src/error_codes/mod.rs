//! The error-code catalog: every WhatsApp code the upstream can answer and every answer the
//! gateway gives itself, with what happened, the likely cause and what to do. One place,
//! read by the console's pages and the message log.

mod cloud;
mod onprem;

use serde::{Deserialize, Serialize};

/// What kind of action a code calls for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Worth sending again as is.
    Retry,
    /// Change the request.
    Fix,
    /// An account or set-up problem.
    Config,
    /// The 24-hour window is closed: send a template.
    Template,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Retry => "retry",
            Kind::Fix => "fix the request",
            Kind::Config => "configuration",
            Kind::Template => "needs a template",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCode {
    pub code: u32,
    /// "whatsapp" (an On-Premises client's), "cloud" (Meta's Cloud API's) or "gateway"
    /// (answered before the upstream).
    pub source: &'static str,
    pub title: &'static str,
    pub kind: Kind,
    pub meaning: &'static str,
    pub causes: &'static str,
    pub fix: &'static str,
}

macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $source:literal),* $(,)?) => {$(
        $(#[$doc])*
        const fn $name(
            code: u32,
            title: &'static str,
            kind: Kind,
            meaning: &'static str,
            causes: &'static str,
            fix: &'static str,
        ) -> ErrorCode {
            ErrorCode { code, source: $source, title, kind, meaning, causes, fix }
        }
    )*};
}

constructors! {
    /// An entry of the On-Premises API.
    wa => "whatsapp",
    /// An entry of Meta's Cloud API.
    cl => "cloud",
    /// The gateway's own entry.
    gw => "gateway",
}

/// Every code: the gateway's own and the On-Premises API's (`onprem`), then Meta's Cloud
/// API's (`cloud`).
pub fn catalog() -> impl Iterator<Item = &'static ErrorCode> {
    onprem::CATALOG.iter().chain(cloud::CATALOG.iter())
}

/// Cloud API codes and their On-Premises twin (Meta's migration table): the gateway
/// answers partners with the twin, and the catalog links both ways.
pub const TWINS: &[(u32, u32)] = &[
    (131047, 470),
    (131048, 471),
    (130429, 429),
    (131056, 429),
    (130472, 472),
    (131000, 1000),
    (1, 1000),
    (2, 1000),
    (131052, 400),
    (131042, 402),
    (131005, 1005),
    (10, 1005),
    (200, 1005),
    (131008, 1008),
    (131009, 1009),
    (100, 1009),
    (131016, 1011),
    (131026, 1013),
    (4, 1015),
    (80007, 1015),
    (131031, 1031),
    (132000, 2000),
    (132001, 2001),
    (132005, 2005),
    (132007, 2007),
    (132012, 2012),
];

/// The On-Premises code a Cloud API code answers partners as, if it has a twin.
pub fn onprem_twin(cloud: u32) -> Option<u32> {
    TWINS.iter().find(|(c, _)| *c == cloud).map(|(_, o)| *o)
}

/// The Cloud API codes whose twin `onprem` is.
pub fn cloud_twins(onprem: u32) -> Vec<u32> {
    TWINS
        .iter()
        .filter(|(_, o)| *o == onprem)
        .map(|(c, _)| *c)
        .collect()
}

pub fn find(code: u32) -> Option<&'static ErrorCode> {
    catalog().find(|e| e.code == code)
}

/// Codes whose number or words contain every term of `query` (case-insensitive).
pub fn search(query: &str) -> Vec<&'static ErrorCode> {
    let terms: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    catalog()
        .filter(|e| {
            let text = format!(
                "{} {} {} {} {} {}",
                e.code,
                e.title,
                e.kind.label(),
                e.meaning,
                e.causes,
                e.fix
            )
            .to_lowercase();
            terms.iter().all(|t| text.contains(t.as_str()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_explained() {
        let mut codes: Vec<u32> = catalog().map(|e| e.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), catalog().count(), "no code twice");
        assert!(
            catalog().all(|e| !e.title.is_empty() && !e.meaning.is_empty() && !e.fix.is_empty())
        );
        for code in [
            401, 403, 413, 470, 502, 504, 1001, 1009, 1013, 1014, 2000, 2001,
        ] {
            assert!(find(code).is_some(), "{code}");
        }
    }

    #[test]
    fn every_cloud_code_of_the_migration_table_is_explained_and_linked_to_its_twin() {
        for (cloud, onprem) in TWINS {
            let entry = find(*cloud).unwrap_or_else(|| panic!("{cloud} is in the catalog"));
            assert_eq!(entry.source, "cloud", "{cloud}");
            assert!(
                find(*onprem).is_some(),
                "its twin {onprem} is explained too"
            );
            assert!(cloud_twins(*onprem).contains(cloud));
        }
        for cloud_only in [368, 131049, 131051, 132015, 132016, 190] {
            assert_eq!(
                find(cloud_only).map(|e| e.source),
                Some("cloud"),
                "{cloud_only}"
            );
            assert_eq!(onprem_twin(cloud_only), None);
        }
        assert_eq!(onprem_twin(131047), Some(470));
    }

    #[test]
    fn search_matches_numbers_and_words() {
        assert_eq!(search("470")[0].code, 470);
        assert!(search("template").len() > 5);
        assert!(search("latitude").iter().any(|e| e.code == 1009));
        assert!(search("nothing matches this").is_empty());
    }
}
