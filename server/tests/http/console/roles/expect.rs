//! What a row of the matrix says: a caller's expected outcome, and the row itself.

/// What a caller should get back.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Expect {
    /// Not asked (the row is about another caller).
    Skip,
    Allowed,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// Allowed to ask, and the input was refused field by field.
    Invalid,
}

/// A row: the server function, its form, and what each caller should get.
pub type Case = (String, Vec<(String, String)>, [Expect; 5]);

/// A row as written, borrowing its keys and names.
pub type Row<'a> = (&'a str, Vec<(&'a str, String)>, [Expect; 5]);

/// Typed form fields in the matrix's shape.
pub fn borrowed(fields: &[(String, String)]) -> Vec<(&str, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect()
}
