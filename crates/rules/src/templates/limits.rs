//! WhatsApp's limits on a template: field lengths (in `char`s, see the parent module's
//! counting rule), button counts and names per account.

pub const NAME_MAX: usize = 512;
pub const BODY_MAX: usize = 1024;
pub const HEADER_MAX: usize = 60;
pub const FOOTER_MAX: usize = 60;
pub const BUTTONS_MAX: usize = 10;
pub const URL_BUTTONS_MAX: usize = 2;
pub const PHONE_BUTTONS_MAX: usize = 1;
/// Template names per account (translations of one name count once).
pub const NAMES_PER_ACCOUNT: usize = 250;
