//! The one font of exported charts and the briefing pack: DejaVu Sans, compiled into
//! the binary, so an export never depends on the fonts of the machine that makes it.
//! plotters measures text with it (to lay a chart out), the SVG names it, and resvg
//! and krilla draw it from the same bytes (a font database that holds only it).

use std::sync::{Arc, OnceLock};

use plotters::style::FontStyle;

use crate::{Error, Result};

/// The family name charts and pages ask for; the SVG names it, so a viewer that has
/// DejaVu Sans shows the same text, and one that has not shows its sans-serif.
pub const FAMILY: &str = "DejaVu Sans";

static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();

/// Registers the bundled faces with plotters (once), so it measures text in them.
pub fn register() -> Result<()> {
    REGISTERED
        .get_or_init(|| {
            plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular())
                .and_then(|_| plotters::style::register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()))
                .map_err(|_| "the bundled chart font could not be registered".to_owned())
        })
        .clone()
        .map_err(Error::internal)
}

/// The font database SVGs are drawn with: the bundled faces and nothing else.
pub fn database() -> Arc<usvg::fontdb::Database> {
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(dejavu::sans::regular().to_vec());
            db.load_font_data(dejavu::sans::bold().to_vec());
            db.set_sans_serif_family(FAMILY);
            Arc::new(db)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_holds_only_the_bundled_faces() {
        let db = database();
        assert_eq!(db.len(), 2);
        assert!(db.faces().all(|f| f.families.iter().any(|(name, _)| name == FAMILY)));
    }
}
