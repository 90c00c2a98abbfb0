//! The messages list as CSV: exactly the filtered rows, read a batch at a time (memory
//! stays flat whatever the count), one line each (RFC 4180 quoting, cells a spreadsheet
//! would run as formulas defused).

use rules::messages::log::{Cursor, MessageFilter, MessageListRow};
use rules::zone::Zone;

use super::search::{Search, fetch, visible_projects};
use crate::{Actor, Result, Services};

/// The header line.
pub const CSV_HEADER: &str =
    "id,time_utc,project,direction,contact,type,status,error_codes,whatsapp_id,reason\r\n";

/// One text cell: a value a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab,
/// CR first: a partner's raw `to` can be anything) gets a leading `'`; then RFC 4180
/// quoting.
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub fn csv_line(r: &MessageListRow) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{}\r\n",
        r.id,
        rules::time::iso_utc(r.created_at),
        cell(&r.project_name),
        cell(&r.direction),
        cell(&r.contact),
        cell(&r.message_type),
        cell(&r.status),
        cell(&r.error_codes),
        cell(r.whatsapp_id.as_deref().unwrap_or_default()),
        cell(r.reason.as_deref().unwrap_or_default())
    )
}

/// Every matching row, a batch at a time (for the CSV export: memory stays flat
/// whatever the count).
pub struct Batches {
    services: Services,
    visible: Option<Vec<i64>>,
    search: Search,
    done: bool,
}

impl Batches {
    const SIZE: i64 = 1000;

    pub async fn new(
        services: &Services,
        actor: &Actor,
        filter: &MessageFilter,
        zone: &Zone,
    ) -> Result<Batches> {
        let visible = visible_projects(services, actor, filter).await?;
        let from_the_top = MessageFilter {
            cursor: None,
            ..filter.clone()
        };
        Ok(Batches {
            services: services.clone(),
            visible,
            search: Search::new(&from_the_top, zone),
            done: false,
        })
    }

    /// The next batch, or `None` after the last.
    pub async fn next(&mut self) -> Result<Option<Vec<MessageListRow>>> {
        if self.done {
            return Ok(None);
        }
        let rows = fetch(
            &self.services,
            &self.search,
            self.visible.as_deref(),
            Self::SIZE,
        )
        .await?;
        self.done = (rows.len() as i64) < Self::SIZE;
        self.search.filter.cursor = rows.last().map(|r| Cursor {
            created_at: r.created_at,
            id: r.id,
        });
        Ok((!rows.is_empty()).then_some(rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        let row = MessageListRow {
            id: 1,
            created_at: 0,
            project_id: 1,
            project_name: "Shop, \"East\"".into(),
            direction: "outbound".into(),
            contact: "255".into(),
            message_type: "text".into(),
            status: "failed".into(),
            error_codes: "470,1013".into(),
            whatsapp_id: Some("wamid.HBgM".into()),
            reason: Some("Re-engagement message: more than 24 hours".into()),
        };
        assert_eq!(
            csv_line(&row),
            "1,1970-01-01T00:00:00Z,\"Shop, \"\"East\"\"\",outbound,255,text,failed,\"470,1013\",wamid.HBgM,Re-engagement message: more than 24 hours\r\n"
        );
    }

    #[test]
    fn csv_cells_never_start_a_formula() {
        for raw in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let line = csv_line(&MessageListRow {
                id: 1,
                created_at: 0,
                project_id: 1,
                project_name: "Shop".into(),
                direction: "outbound".into(),
                contact: raw.into(),
                message_type: "text".into(),
                status: "refused".into(),
                error_codes: "1013".into(),
                whatsapp_id: None,
                reason: None,
            });
            let contact = line.split(',').nth(4).unwrap().trim_start_matches('"');
            assert!(contact.starts_with('\''), "{raw:?} -> {line:?}");
        }
    }
}
