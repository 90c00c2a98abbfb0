//! What a template is for (its category) and where it stands (its status: kept by hand
//! for an On-Premises number, Meta's review of each language for a Cloud number), each with
//! the words the console shows.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Marketing,
    #[default]
    Utility,
    Authentication,
}

impl Category {
    pub const ALL: [Category; 3] = [
        Category::Marketing,
        Category::Utility,
        Category::Authentication,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Marketing => "marketing",
            Category::Utility => "utility",
            Category::Authentication => "authentication",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Draft,
    /// Waiting for review (Meta's `PENDING`).
    Submitted,
    Approved,
    Rejected,
    /// Stopped by Meta for a while after customers' negative feedback.
    Paused,
    /// Stopped by Meta for good after repeated pauses.
    Disabled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::Submitted,
        Status::Approved,
        Status::Rejected,
        Status::Paused,
        Status::Disabled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Paused => "paused",
            Status::Disabled => "disabled",
        }
    }

    /// The word the console shows (Meta's own, in lower case: "pending" for waiting).
    pub fn label(self) -> &'static str {
        match self {
            Status::Submitted => "pending",
            other => other.as_str(),
        }
    }

    /// What the status means for sending, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Draft => "Not submitted to WhatsApp yet: it cannot be sent.",
            Status::Submitted => {
                "Waiting for WhatsApp's review (usually minutes, up to 24 hours): it cannot be \
                 sent yet."
            }
            Status::Approved => "Approved: it can be sent.",
            Status::Rejected => "Rejected at review: change it and submit it again.",
            Status::Paused => {
                "Paused by Meta after customers blocked or reported it: it cannot be sent until \
                 Meta lifts the pause (3 hours the first time, 6 hours the second)."
            }
            Status::Disabled => {
                "Disabled by Meta after repeated pauses: it can never be sent again; create a \
                 new template."
            }
        }
    }

    /// Whether a message may use a template in this status.
    pub fn sendable(self) -> bool {
        self == Status::Approved
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Meta's words for the same states.
impl Status {
    /// Meta's word for a template's review. What Meta may add (`IN_APPEAL`,
    /// `PENDING_DELETION`, …) cannot be sent: it counts as waiting.
    pub fn from_meta(word: &str) -> Status {
        match word {
            "APPROVED" => Status::Approved,
            "REJECTED" => Status::Rejected,
            "PAUSED" => Status::Paused,
            "DISABLED" => Status::Disabled,
            _ => Status::Submitted,
        }
    }

    /// The word Meta uses (`PENDING` for a template waiting for review).
    pub fn meta_word(self) -> &'static str {
        match self {
            Status::Draft => "DRAFT",
            Status::Submitted => "PENDING",
            Status::Approved => "APPROVED",
            Status::Rejected => "REJECTED",
            Status::Paused => "PAUSED",
            Status::Disabled => "DISABLED",
        }
    }
}
