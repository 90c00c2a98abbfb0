//! The 24-hour window on the hot path. An open window stays open until 24 hours after the
//! customer's last message whatever happens meanwhile, so open answers are remembered until
//! then; closed answers are not (a customer may write at any moment).

use std::collections::HashMap;
use std::sync::Mutex;

use domain::messages::contacts::WINDOW_MS;
use domain::{Db, Result};

const MAX_REMEMBERED: usize = 100_000;

#[derive(Default)]
pub struct Windows {
    open_until: Mutex<HashMap<(i64, String), i64>>,
}

impl Windows {
    pub async fn is_open(&self, db: &Db, project_id: i64, wa_id: &str, now: i64) -> Result<bool> {
        let key = (project_id, wa_id.to_owned());
        if self
            .open_until
            .lock()
            .unwrap()
            .get(&key)
            .is_some_and(|until| now < *until)
        {
            return Ok(true);
        }
        let Some(last) = domain::messages::contacts::last_inbound(db, project_id, wa_id).await?
        else {
            return Ok(false);
        };
        let until = last + WINDOW_MS;
        if now >= until {
            return Ok(false);
        }
        let mut open = self.open_until.lock().unwrap();
        if open.len() >= MAX_REMEMBERED {
            open.retain(|_, u| now < *u);
            if open.len() >= MAX_REMEMBERED {
                open.clear();
            }
        }
        open.insert(key, until);
        Ok(true)
    }
}
