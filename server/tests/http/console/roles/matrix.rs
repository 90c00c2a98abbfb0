//! The role matrix: every server function, called by admin, support, a partner of
//! organization A, a partner of organization B and an anonymous visitor.

use serde_json::Value;

use super::cases::cases;
use super::expect::Expect::{self, *};
use super::world::world;
use crate::support::{Answer, Browser};

fn outcome(answer: Answer) -> Expect {
    match answer {
        Answer::Ok(_) => Allowed,
        Answer::Err(Value::String(s)) if s == "Unauthenticated" => Unauthenticated,
        Answer::Err(Value::String(s)) if s == "Forbidden" => Forbidden,
        Answer::Err(Value::String(s)) if s == "NotFound" => NotFound,
        // Authorized, but the world's upstream (127.0.0.1:9) is not running.
        Answer::Err(e) if e.get("Upstream").is_some() => Allowed,
        Answer::Err(e) if e.get("Invalid").is_some() => Invalid,
        Answer::Err(other) => panic!("unexpected answer {other}"),
    }
}

#[tokio::test]
async fn every_server_function_checks_role_and_organization() {
    let w = world().await;
    let callers: Vec<(&str, Browser)> = vec![
        ("admin", w.app.logged_in("admin@tujenge.test").await),
        ("support", w.app.logged_in("support@tujenge.test").await),
        ("partner A", w.app.logged_in("a@partner-a.test").await),
        ("partner B", w.app.logged_in("b@partner-b.test").await),
        ("anonymous", w.app.browser().await),
    ];
    let cases = cases(&w).await;

    let mut failures = Vec::new();
    for (endpoint, form, expected) in &cases {
        // Admin last, so its successful writes do not change what the others see.
        for i in [1, 2, 3, 4, 0] {
            if expected[i] == Skip {
                continue;
            }
            let (who, browser) = &callers[i];
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let got = outcome(browser.call(endpoint, &form).await);
            if got != expected[i] {
                failures.push(format!(
                    "{endpoint} as {who}: expected {:?}, got {got:?}",
                    expected[i]
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "role matrix failures:\n{}",
        failures.join("\n")
    );
}
