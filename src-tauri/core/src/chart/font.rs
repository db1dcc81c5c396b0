//! The one font of exported charts: DejaVu Sans, compiled into the binary, so an
//! export never depends on the fonts of the machine that makes or opens it.

use std::sync::OnceLock;

use ab_glyph::FontRef;
use plotters::style::FontStyle;

use crate::{Error, Result};

/// The family name charts ask plotters for.
pub const FAMILY: &str = "sans-serif";

/// The regular and bold faces, parsed once.
pub struct Faces {
    pub regular: FontRef<'static>,
    pub bold: FontRef<'static>,
}

static FACES: OnceLock<std::result::Result<Faces, String>> = OnceLock::new();

/// Registers the bundled faces with plotters (once) and returns them for outlining.
pub fn faces() -> Result<&'static Faces> {
    FACES
        .get_or_init(|| {
            let regular = dejavu::sans::regular();
            let bold = dejavu::sans::bold();
            plotters::style::register_font(FAMILY, FontStyle::Normal, regular)
                .and_then(|_| plotters::style::register_font(FAMILY, FontStyle::Bold, bold))
                .map_err(|_| "the bundled chart font could not be registered".to_owned())?;
            Ok(Faces {
                regular: FontRef::try_from_slice(regular)
                    .map_err(|e| format!("the bundled chart font is damaged: {e}"))?,
                bold: FontRef::try_from_slice(bold).map_err(|e| format!("the bundled chart font is damaged: {e}"))?,
            })
        })
        .as_ref()
        .map_err(|e| Error::internal(e.clone()))
}
