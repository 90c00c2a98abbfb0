//! Where a message stands: decided by the gateway (refused / accepted), then moved along
//! by WhatsApp's statuses (sent → delivered → read, or failed); inbound messages are
//! received. Stored as the lowercase word; parsed here, once, where a word comes in.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    Refused,
    Accepted,
    Sent,
    Delivered,
    Read,
    Failed,
    Received,
}

impl MessageStatus {
    /// In the order they usually happen (the filter offers them so).
    pub const ALL: [Self; 7] = [
        Self::Refused,
        Self::Accepted,
        Self::Sent,
        Self::Delivered,
        Self::Read,
        Self::Failed,
        Self::Received,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::Accepted => "accepted",
            Self::Sent => "sent",
            Self::Delivered => "delivered",
            Self::Read => "read",
            Self::Failed => "failed",
            Self::Received => "received",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// How far along an outbound message is: a status only ever moves a message forward
    /// (a late "delivered" does not undo "read"; "failed" is final). `None` for what no
    /// status moves (refused by the gateway, inbound).
    pub fn progress(self) -> Option<u8> {
        match self {
            Self::Accepted => Some(0),
            Self::Sent => Some(1),
            Self::Delivered => Some(2),
            Self::Read => Some(3),
            Self::Failed => Some(4),
            Self::Refused | Self::Received => None,
        }
    }

    /// Whether a status `next` (as WhatsApp sent it) moves a message that stands at
    /// `current` forward.
    pub fn moves_forward(current: &str, next: &str) -> bool {
        let step = |w: &str| Self::parse(w).and_then(Self::progress);
        match (step(current), step(next)) {
            (Some(now), Some(then)) => then > now,
            (None, Some(_)) => true,
            _ => false,
        }
    }
}

impl std::fmt::Display for MessageStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_word() {
        for status in MessageStatus::ALL {
            assert_eq!(MessageStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MessageStatus::parse("Delivered"), None);
        assert_eq!(MessageStatus::parse("deleted"), None);
    }

    #[test]
    fn statuses_only_move_a_message_forward() {
        assert!(MessageStatus::moves_forward("accepted", "sent"));
        assert!(MessageStatus::moves_forward("delivered", "read"));
        assert!(MessageStatus::moves_forward("read", "failed"));
        assert!(!MessageStatus::moves_forward("read", "delivered"));
        assert!(!MessageStatus::moves_forward("failed", "read"));
        assert!(!MessageStatus::moves_forward("sent", "deleted"));
    }
}
