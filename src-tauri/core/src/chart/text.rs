//! Text layout for exports, shared by the PNG and SVG renderers, so a label sits
//! in the same place in both: glyphs from the bundled font, advanced with kerning,
//! capitals centred in the box plotters reserves for the text.
//!
//! plotters' own ab_glyph drawing ignores each glyph's left side bearing, which
//! spaces letters unevenly; [`Outlined`] replaces it for bitmaps.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

use super::font::Faces;

/// One glyph at its pen position on the baseline, relative to the draw position
/// and before rotation.
pub(crate) struct PlacedGlyph {
    pub id: GlyphId,
    pub x: f32,
    pub y: f32,
}

/// A laid-out run of text.
pub(crate) struct Run<'f> {
    pub face: &'f FontRef<'static>,
    pub scale: PxScale,
    pub glyphs: Vec<PlacedGlyph>,
    pub transform: FontTransform,
}

impl Run<'_> {
    /// Rotates a point relative to the draw position as the style asks.
    pub fn rotate(&self, x: f32, y: f32) -> (f32, f32) {
        match self.transform {
            FontTransform::None => (x, y),
            FontTransform::Rotate90 => (-y, x),
            FontTransform::Rotate180 => (-x, -y),
            FontTransform::Rotate270 => (y, -x),
        }
    }
}

/// Lays `text` out as plotters would size it, anchored as the style says.
pub(crate) fn layout<'f, T: BackendTextStyle>(
    faces: &'f Faces,
    text: &str,
    style: &T,
) -> Result<Run<'f>, T::FontError> {
    let face = match style.style() {
        FontStyle::Bold => &faces.bold,
        _ => &faces.regular,
    };
    let size = style.size() as f32;
    let scale = PxScale::from(size);
    let scaled = face.as_scaled(scale);
    let ((min_x, min_y), (max_x, max_y)) = style.layout_box(text)?;
    let (width, height) = ((max_x - min_x) as f32, (max_y - min_y) as f32);
    let left = match style.anchor().h_pos {
        HPos::Left => 0.0,
        HPos::Right => -width,
        HPos::Center => -width / 2.0,
    };
    let top = match style.anchor().v_pos {
        VPos::Top => 0.0,
        VPos::Center => -height / 2.0,
        VPos::Bottom => -height,
    };
    let cap = face.outline(face.glyph_id('H')).map(|o| o.bounds.max.y * scaled.v_scale_factor()).unwrap_or(size * 0.6);
    let baseline = top + (height + cap) / 2.0;
    let mut glyphs = Vec::with_capacity(text.len());
    let mut pen = left;
    let mut prev = None;
    for ch in text.chars() {
        let id = scaled.glyph_id(ch);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        glyphs.push(PlacedGlyph { id, x: pen, y: baseline });
        pen += scaled.h_advance(id);
    }
    Ok(Run { face, scale, glyphs, transform: style.transform() })
}

/// A bitmap backend whose text is rasterised from [`layout`] instead of by plotters.
pub(crate) struct Outlined<'f, DB> {
    pub inner: DB,
    pub faces: &'f Faces,
}

impl<DB: DrawingBackend> DrawingBackend for Outlined<'_, DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.fill_polygon(vert, s)
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let run = layout(self.faces, text, style).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (w, h) = self.inner.get_size();
        for g in &run.glyphs {
            let glyph = g.id.with_scale_and_position(run.scale, ab_glyph::point(g.x, g.y));
            let Some(outlined) = run.face.outline_glyph(glyph) else { continue };
            let bounds = outlined.px_bounds();
            let mut pixels = Vec::new();
            outlined.draw(|x, y, coverage| pixels.push((x, y, coverage)));
            for (x, y, coverage) in pixels {
                if coverage <= 0.0 {
                    continue;
                }
                let (rx, ry) = run.rotate(bounds.min.x + x as f32, bounds.min.y + y as f32);
                let (px, py) = (pos.0 + rx.round() as i32, pos.1 + ry.round() as i32);
                if px >= 0 && py >= 0 && (px as u32) < w && (py as u32) < h {
                    let c = BackendColor { alpha: color.alpha * f64::from(coverage.min(1.0)), rgb: color.rgb };
                    self.inner.draw_pixel((px, py), c)?;
                }
            }
        }
        Ok(())
    }
}
