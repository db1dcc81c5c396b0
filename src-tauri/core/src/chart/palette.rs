//! Colours that both renderers use: a colour-blind-safe qualitative palette
//! (Okabe and Ito, 2008) and the banner colours of each classification level.

/// Eight colours distinguishable with the common forms of colour blindness.
pub const QUALITATIVE: [&str; 8] =
    ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/// The colour for the `i`-th series.
pub fn series_color(i: usize) -> &'static str {
    QUALITATIVE[i % QUALITATIVE.len()]
}

/// Parses `#rrggbb`; anything else is drawn grey rather than failing an export.
pub fn rgb(hex: &str) -> (u8, u8, u8) {
    let parse = |i: usize| hex.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (hex.len(), hex.starts_with('#'), parse(1), parse(3), parse(5)) {
        (7, true, Some(r), Some(g), Some(b)) => (r, g, b),
        _ => (128, 128, 128),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_falls_back_to_grey() {
        assert_eq!(rgb("#0072B2"), (0x00, 0x72, 0xB2));
        assert_eq!(rgb("blue"), (128, 128, 128));
        assert_eq!(series_color(9), QUALITATIVE[1]);
    }
}
