//! How the command line words a domain error: each invalid field on its own line, other
//! errors as their message.

use domain::Error;

/// Field errors as readable lines for the terminal.
pub fn explain(e: Error) -> anyhow::Error {
    match e {
        Error::Invalid(fields) => anyhow::anyhow!(
            fields
                .0
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        other => anyhow::anyhow!(other.to_string()),
    }
}
