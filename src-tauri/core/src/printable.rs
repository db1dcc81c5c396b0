//! Text that comes from outside (a bundle's title and classification, a file's
//! name) made safe to show: control characters could move a terminal's cursor,
//! rewrite what is already on screen or hide text, and bidirectional overrides
//! can make a name read differently from what it is. They are removed before the
//! text reaches a terminal, the UI or the vault.

/// `text` without control characters (C0, C1, DEL) and bidirectional controls;
/// tabs and line breaks become spaces.
///
/// ```
/// use packplan_core::printable::printable;
/// assert_eq!(printable("NDA\u{1b}[2J title\n2"), "NDA[2J title 2");
/// assert_eq!(printable("report\u{202e}fdp.exe"), "reportfdp.exe");
/// ```
pub fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() || is_bidi_control(c) => None,
            c => Some(c),
        })
        .collect()
}

/// True when `text` would change when made [`printable`].
pub fn has_controls(text: &str) -> bool {
    printable(text) != text
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_what_a_terminal_would_obey_and_keeps_the_rest() {
        assert_eq!(printable("CONFIDENTIAL – SUPPLIER NDA"), "CONFIDENTIAL – SUPPLIER NDA");
        assert_eq!(printable("a\u{7}b\u{7f}c\u{9b}d"), "abcd");
        assert_eq!(printable("x\u{2066}y\u{2069}"), "xy");
        assert!(has_controls("a\u{1b}b"));
        assert!(!has_controls("Ünïcödé 漢字"));
    }
}
