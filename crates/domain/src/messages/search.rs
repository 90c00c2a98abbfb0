//! The messages list: filters the actor may apply over the projects they may see, paged
//! by keyset (newest first, continuing below the last row shown) so a deep page costs
//! what the first does and rows arriving meanwhile never shift a page.

use rules::messages::log::{
    Cursor, MessageFilter, MessageListRow, MessagePage, PAGE_SIZE, PROBLEMS,
};
use rules::zone::Zone;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::platform::db::now_ms;
use crate::projects::settings;
use crate::{Actor, Error, Result, Services};

/// A value to bind, in placeholder order.
enum Bind {
    Int(i64),
    Text(String),
}

/// A filter with its times resolved to UTC milliseconds in the viewer's zone.
#[derive(Clone)]
pub(super) struct Search {
    pub(super) filter: MessageFilter,
    from: Option<i64>,
    to: Option<i64>,
}

impl Search {
    pub(super) fn new(filter: &MessageFilter, zone: &Zone) -> Search {
        let (from, to) = filter.bounds(zone, now_ms());
        Search {
            filter: filter.clone(),
            from,
            to,
        }
    }
}

/// The WHERE clause and its values for `search` (without the project), placeholders
/// numbered after the `before` values already bound.
fn conditions(search: &Search, before: usize) -> (String, Vec<Bind>) {
    let filter = &search.filter;
    let mut sql = Vec::new();
    let mut binds = Vec::new();
    let mut push = |clause: &str, values: Vec<Bind>| {
        let mut clause = clause.to_owned();
        for v in values {
            binds.push(v);
            clause = clause.replacen('?', &format!("${}", before + binds.len()), 1);
        }
        sql.push(clause);
    };
    if let Some(d) = &filter.direction {
        push("m.direction = ?", vec![Bind::Text(d.clone())]);
    }
    match filter.status.as_deref() {
        Some(PROBLEMS) => push("m.status IN ('failed', 'refused')", vec![]),
        Some(s) => push("m.status = ?", vec![Bind::Text(s.to_owned())]),
        None => {}
    }
    if let Some(code) = filter.code {
        push(
            "(',' || m.error_codes || ',') LIKE ?",
            vec![Bind::Text(format!("%,{code},%"))],
        );
    }
    if let Some(t) = &filter.message_type {
        push("m.message_type = ?", vec![Bind::Text(t.clone())]);
    }
    if let Some(from) = search.from {
        push("m.created_at >= ?", vec![Bind::Int(from)]);
    }
    if let Some(to) = search.to {
        push("m.created_at < ?", vec![Bind::Int(to)]);
    }
    if let Some(search) = &filter.search {
        let escaped = search
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        // Lower-cased on both sides: SQLite's LIKE ignores case, PostgreSQL's does not.
        let body = Bind::Text(format!("%{}%", escaped.to_lowercase()));
        let id = Bind::Text(search.clone());
        match filter.search_digits() {
            Some(digits) => push(
                r"(m.upstream_message_id = ? OR m.contact LIKE ?
                   OR LOWER(m.request_body) LIKE ? ESCAPE '\')",
                vec![id, Bind::Text(format!("%{digits}%")), body],
            ),
            None => push(
                r"(m.upstream_message_id = ? OR LOWER(m.request_body) LIKE ? ESCAPE '\')",
                vec![id, body],
            ),
        }
    }
    if let Some(c) = filter.cursor {
        // The first half bounds an index range on both engines; the second breaks ties.
        push(
            "m.created_at <= ? AND (m.created_at < ? OR m.id < ?)",
            vec![
                Bind::Int(c.created_at),
                Bind::Int(c.created_at),
                Bind::Int(c.id),
            ],
        );
    }
    let clause = if sql.is_empty() {
        "1 = 1".to_owned()
    } else {
        sql.join(" AND ")
    };
    (clause, binds)
}

/// The projects whose messages the actor may see (`None`: all), after checking that a
/// filtered project is one of them.
pub(super) async fn visible_projects(
    services: &Services,
    actor: &Actor,
    filter: &MessageFilter,
) -> Result<Option<Vec<i64>>> {
    if let Some(id) = filter.project_id {
        settings::get(services, actor, id).await?;
    }
    if actor.organization_scope().is_none() {
        return Ok(None);
    }
    Ok(Some(
        settings::list(services, actor)
            .await?
            .iter()
            .map(|p| p.id)
            .collect(),
    ))
}

const COLUMNS: &str = r"m.id, m.created_at, m.project_id, p.name AS project_name, m.direction,
    m.contact, m.message_type, m.status, m.error_codes, m.upstream_message_id,
    CASE WHEN m.error_codes = '' THEN NULL ELSE COALESCE(
        (SELECT e.detail FROM message_events e
         WHERE e.message_id = m.id AND e.detail IS NOT NULL AND e.detail <> ''
         ORDER BY e.id DESC LIMIT 1),
        m.decision_detail) END AS reason";

pub(crate) fn list_row(r: &AnyRow) -> Result<MessageListRow> {
    Ok(MessageListRow {
        id: r.try_get("id")?,
        created_at: r.try_get("created_at")?,
        project_id: r.try_get("project_id")?,
        project_name: r.try_get("project_name")?,
        direction: r.try_get("direction")?,
        contact: r.try_get("contact")?,
        message_type: r.try_get("message_type")?,
        status: r.try_get("status")?,
        error_codes: r.try_get("error_codes")?,
        whatsapp_id: r.try_get("upstream_message_id")?,
        reason: r.try_get("reason")?,
    })
}

/// The query for one page. Over every project it walks the (created_at, id) index; over
/// some projects it takes each project's newest rows from the (project, created_at, id)
/// index and merges them, so a deep page costs a partner what it costs staff.
fn page_sql(search: &Search, visible: Option<&[i64]>, limit: i64) -> (String, Vec<Bind>) {
    let filter = &search.filter;
    let order = "ORDER BY m.created_at DESC, m.id DESC";
    let projects: Vec<i64> = match (filter.project_id, visible) {
        (Some(id), _) => vec![id],
        (None, Some(ids)) => ids.to_vec(),
        (None, None) => {
            let (clause, binds) = conditions(search, 0);
            return (
                format!(
                    "SELECT {COLUMNS} FROM messages m JOIN projects p ON p.id = m.project_id WHERE {clause} {order} LIMIT {limit}"
                ),
                binds,
            );
        }
    };
    if projects.is_empty() {
        return (
            format!(
                "SELECT {COLUMNS} FROM messages m JOIN projects p ON p.id = m.project_id WHERE 1 = 0"
            ),
            Vec::new(),
        );
    }
    let mut binds = Vec::new();
    let arms: Vec<String> = projects
        .iter()
        .enumerate()
        .map(|(i, project)| {
            binds.push(Bind::Int(*project));
            let project_param = binds.len();
            let (clause, more) = conditions(search, binds.len());
            binds.extend(more);
            format!(
                r"SELECT * FROM (SELECT {COLUMNS} FROM messages m JOIN projects p ON p.id = m.project_id
                  WHERE m.project_id = ${project_param} AND {clause} {order} LIMIT {limit}) AS arm{i}"
            )
        })
        .collect();
    (
        format!(
            "SELECT * FROM ({}) AS merged ORDER BY created_at DESC, id DESC LIMIT {limit}",
            arms.join(" UNION ALL ")
        ),
        binds,
    )
}

pub(super) async fn fetch(
    services: &Services,
    search: &Search,
    visible: Option<&[i64]>,
    limit: i64,
) -> Result<Vec<MessageListRow>> {
    let (sql, binds) = page_sql(search, visible, limit);
    let mut query = sqlx::query(&sql);
    for b in binds {
        query = match b {
            Bind::Int(v) => query.bind(v),
            Bind::Text(v) => query.bind(v),
        };
    }
    query
        .fetch_all(services.db.pool())
        .await?
        .iter()
        .map(list_row)
        .collect()
}

/// One page (`PAGE_SIZE` rows) of the messages the actor may see that match `filter`
/// (its times read in `zone`, the viewer's).
pub async fn page(
    services: &Services,
    actor: &Actor,
    filter: &MessageFilter,
    zone: &Zone,
) -> Result<MessagePage> {
    let visible = visible_projects(services, actor, filter).await?;
    if let Some(row) = exact_match(services, visible.as_deref(), filter).await? {
        return Ok(MessagePage {
            exact: Some(row.id),
            rows: vec![row],
            next: None,
        });
    }
    let search = Search::new(filter, zone);
    let mut rows = fetch(services, &search, visible.as_deref(), PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next = more
        .then(|| {
            rows.last().map(|r| Cursor {
                created_at: r.created_at,
                id: r.id,
            })
        })
        .flatten();
    Ok(MessagePage {
        rows,
        next,
        exact: None,
    })
}

/// The one message the actor may see whose WhatsApp id the search is, exactly (by the
/// index on that id, before any scan).
async fn exact_match(
    services: &Services,
    visible: Option<&[i64]>,
    filter: &MessageFilter,
) -> Result<Option<MessageListRow>> {
    let (Some(search), None) = (&filter.search, filter.cursor) else {
        return Ok(None);
    };
    let rows = sqlx::query(&format!(
        r"SELECT {COLUMNS} FROM messages m JOIN projects p ON p.id = m.project_id
          WHERE m.upstream_message_id = $1 LIMIT 2"
    ))
    .bind(search)
    .fetch_all(services.db.pool())
    .await?;
    let mut rows = rows.iter().map(list_row).collect::<Result<Vec<_>>>()?;
    rows.retain(|r| {
        visible.is_none_or(|ids| ids.contains(&r.project_id))
            && filter.project_id.is_none_or(|id| id == r.project_id)
    });
    Ok((rows.len() == 1).then(|| rows.remove(0)))
}

/// A message the actor may see, or `NotFound` (also for another organization's).
pub(crate) async fn visible_row(
    services: &Services,
    actor: &Actor,
    id: i64,
) -> Result<MessageListRow> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM messages m JOIN projects p ON p.id = m.project_id WHERE m.id = $1"
    ))
    .bind(id)
    .fetch_optional(services.db.pool())
    .await?
    .ok_or(Error::NotFound)?;
    let row = list_row(&row)?;
    settings::get(services, actor, row.project_id).await?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_bind_order_across_projects() {
        let filter = MessageFilter {
            code: Some(470),
            cursor: Some(Cursor {
                created_at: 9,
                id: 3,
            }),
            ..Default::default()
        };
        let filter = Search::new(&filter, &Zone::default());
        let (clause, binds) = conditions(&filter, 0);
        assert_eq!(
            clause,
            "(',' || m.error_codes || ',') LIKE $1 AND m.created_at <= $2 AND (m.created_at < $3 OR m.id < $4)"
        );
        assert_eq!(binds.len(), 4);
        let (sql, binds) = page_sql(&filter, Some(&[2, 5]), 51);
        assert_eq!(
            binds.len(),
            10,
            "each project's id is bound before its conditions"
        );
        assert!(matches!(binds[0], Bind::Int(2)) && matches!(binds[5], Bind::Int(5)));
        assert!(
            sql.contains("m.project_id = $1 AND (',' || m.error_codes || ',') LIKE $2")
                && sql.contains("m.project_id = $6 AND (',' || m.error_codes || ',') LIKE $7"),
            "{sql}"
        );
        let everything = Search::new(&MessageFilter::default(), &Zone::default());
        let (nothing, binds) = page_sql(&everything, Some(&[]), 51);
        assert!(nothing.ends_with("WHERE 1 = 0") && binds.is_empty());
    }
}
