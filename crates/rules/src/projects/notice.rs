//! Meta's `account_update` notification in words: a policy violation found, the account
//! scheduled to be disabled, disabled or reinstated, or restricted until a date, with what
//! the restriction stops. The numbers on the account keep it on their timeline.

use serde_json::Value;

/// The field name a notice has on a number's timeline.
pub const FIELD: &str = "Meta's notice";

/// What an `account_update` value says, in one sentence; `None` when it says nothing a
/// person could act on (no event).
pub fn account_update(value: &Value) -> Option<String> {
    let event = value["event"].as_str().filter(|e| !e.is_empty())?;
    let sentence = match event {
        "ACCOUNT_VIOLATION" => {
            let kind = value["violation_info"]["violation_type"]
                .as_str()
                .map(words)
                .unwrap_or_else(|| "not named".into());
            format!(
                "Meta found a policy violation ({kind}). Read it in WhatsApp Manager's account \
                 quality page; repeated violations restrict the account."
            )
        }
        "DISABLED_UPDATE" => ban(&value["ban_info"]),
        "ACCOUNT_RESTRICTION" => restriction(&value["restriction_info"]),
        "ACCOUNT_DELETED" => "Meta deleted the WhatsApp Business account.".into(),
        "VERIFIED_ACCOUNT" => "Meta verified the business account.".into(),
        other => format!("Meta says: {}.", words(other)),
    };
    Some(sentence)
}

/// `waba_ban_state` is one state or a list of them (Meta has sent both).
fn ban(info: &Value) -> String {
    let state = match &info["waba_ban_state"] {
        Value::Array(states) => states.last().and_then(Value::as_str),
        other => other.as_str(),
    }
    .unwrap_or_default();
    let on = info["waba_ban_date"]
        .as_str()
        .filter(|d| !d.is_empty())
        .map(|d| format!(" on {d}"))
        .unwrap_or_default();
    match state {
        "SCHEDULE_FOR_DISABLE" => format!(
            "Meta will disable the account{on}: no message will go out after that. Appeal in \
             WhatsApp Manager before then."
        ),
        "DISABLE" => format!(
            "Meta disabled the account{on}: no message goes out. Appeal in WhatsApp Manager."
        ),
        "REINSTATE" => format!("Meta reinstated the account{on}: sending works again."),
        other => format!("Meta changed the account's standing: {}{on}.", words(other)),
    }
}

fn restriction(info: &Value) -> String {
    let items = info.as_array().map(Vec::as_slice).unwrap_or_default();
    if items.is_empty() {
        return "Meta restricted the account.".into();
    }
    let each: Vec<String> = items
        .iter()
        .map(|r| {
            let what = match r["restriction_type"].as_str().unwrap_or_default() {
                "RESTRICTED_BIZ_INITIATED_MESSAGING" => {
                    "no business-initiated (template) conversations".to_owned()
                }
                "RESTRICTED_CUSTOMER_INITIATED_MESSAGING" => "no replies to customers".to_owned(),
                "RESTRICTED_ADD_PHONE_NUMBER_ACTION" => "no new numbers on the account".to_owned(),
                other => words(other),
            };
            match r["expiration"].as_str().filter(|e| !e.is_empty()) {
                Some(until) => format!("{what} until {until}"),
                None => what,
            }
        })
        .collect();
    format!("Meta restricted the account: {}.", each.join("; "))
}

/// `SOME_CONSTANT` as "some constant".
fn words(constant: &str) -> String {
    constant.replace('_', " ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_restriction_names_what_it_stops_and_until_when() {
        let value = json!({"phone_number": "15550783881", "event": "ACCOUNT_RESTRICTION",
            "restriction_info": [
                {"restriction_type": "RESTRICTED_BIZ_INITIATED_MESSAGING",
                 "expiration": "2026-12-08T13:59:20+0000"},
                {"restriction_type": "RESTRICTED_ADD_PHONE_NUMBER_ACTION",
                 "expiration": "2026-12-08T13:59:20+0000"}]});
        assert_eq!(
            account_update(&value).unwrap(),
            "Meta restricted the account: no business-initiated (template) conversations \
             until 2026-12-08T13:59:20+0000; no new numbers on the account until \
             2026-12-08T13:59:20+0000."
        );
    }

    #[test]
    fn a_ban_says_when_and_what_to_do_whether_its_state_is_one_or_a_list() {
        let scheduled = json!({"event": "DISABLED_UPDATE",
            "ban_info": {"waba_ban_state": ["SCHEDULE_FOR_DISABLE"], "waba_ban_date": "2026-12-24"}});
        let said = account_update(&scheduled).unwrap();
        assert!(
            said.starts_with("Meta will disable the account on 2026-12-24"),
            "{said}"
        );
        assert!(said.contains("Appeal"), "{said}");
        let back = json!({"event": "DISABLED_UPDATE", "ban_info": {"waba_ban_state": "REINSTATE"}});
        assert_eq!(
            account_update(&back).unwrap(),
            "Meta reinstated the account: sending works again."
        );
    }

    #[test]
    fn a_violation_is_named_and_an_unknown_event_still_read() {
        let violation = json!({"event": "ACCOUNT_VIOLATION",
            "violation_info": {"violation_type": "SCAM"}});
        assert!(account_update(&violation).unwrap().contains("(scam)"));
        let moved = json!({"event": "BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE"});
        assert_eq!(
            account_update(&moved).unwrap(),
            "Meta says: business primary location country update."
        );
        assert_eq!(account_update(&json!({"phone_number": "1"})), None);
    }
}
