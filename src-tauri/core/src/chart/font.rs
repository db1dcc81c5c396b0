//! The one font of exported charts and the briefing pack: DejaVu Sans, compiled into
//! the binary, so an export never depends on the fonts of the machine that makes it.
//! plotters measures text with it (to lay a chart out), the SVG names it, and resvg
//! and krilla draw it from the same bytes (a font database that holds only it).

use std::sync::{Arc, OnceLock};

use plotters::style::{FontDesc, FontFamily, FontStyle};

use crate::{Error, Result};

/// The family name charts and pages ask for; the SVG names it, so a viewer that has
/// DejaVu Sans shows the same text, and one that has not shows its sans-serif.
pub const FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans's line height (ascent plus descent) per em: plotters sizes text by
/// the line, SVG by the em.
const LINE_PER_EM: f64 = (1901.0 + 483.0) / 2048.0;

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

/// The width in pixels of `text` set in `em` pixel type (bold or regular), to wrap
/// the briefing pack's lines to their measure.
pub fn text_width(text: &str, em: f64, bold: bool) -> Result<f64> {
    register()?;
    let style = if bold { FontStyle::Bold } else { FontStyle::Normal };
    let (w, _) = FontDesc::new(FontFamily::Name(FAMILY), em * LINE_PER_EM, style)
        .box_size(text)
        .map_err(|e| Error::internal(format!("could not measure text in the bundled font ({e:?})")))?;
    Ok(f64::from(w))
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

    #[test]
    fn text_is_measured_in_the_bundled_font() {
        let narrow = text_width("iiii", 12.0, false).unwrap();
        let wide = text_width("WWWW", 12.0, false).unwrap();
        assert!(wide > 2.0 * narrow, "{narrow} {wide}");
        assert!(text_width("WWWW", 12.0, true).unwrap() >= wide);
    }
}
