//! What the command line reads: secrets from standard input (never from arguments), and
//! organizations by name.

use std::io::BufRead;

use domain::{Actor, Db, Error};

use super::output::explain;

pub async fn find_or_create_org(db: &Db, name: &str) -> anyhow::Result<i64> {
    match domain::accounts::organizations::find_by_name(db, name).await {
        Ok(org) => Ok(org.id),
        Err(Error::NotFound) => {
            Ok(
                domain::accounts::organizations::create(db, &Actor::command_line(), name)
                    .await
                    .map_err(explain)?
                    .id,
            )
        }
        Err(e) => Err(explain(e)),
    }
}

pub fn read_secret(what: &str) -> anyhow::Result<String> {
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("Type the {what} and press Enter (it is read from standard input):");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    anyhow::ensure!(!secret.is_empty(), "no {what} on standard input");
    Ok(secret)
}
