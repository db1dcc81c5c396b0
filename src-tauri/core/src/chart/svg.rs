//! A plotters drawing backend that writes SVG with every piece of text drawn as
//! glyph outlines from the bundled font, so the SVG looks the same in every viewer
//! and on every machine, with no font to install. (plotters' own SVG backend writes
//! `<text font-family="sans-serif">`, which depends on the viewer's fonts.)
//!
//! Glyphs are placed exactly as plotters places them in the PNG, so the two
//! exports of one chart match.

use std::fmt::Write;

use ab_glyph::{Font, OutlineCurve, Point, ScaleFont};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};

use super::font::Faces;
use super::text::{layout, Run};

/// Collects drawing operations into the body of an SVG document; [`document`]
/// wraps the body once drawing is done.
pub struct SvgCanvas<'a> {
    width: u32,
    height: u32,
    body: &'a mut String,
    faces: &'a Faces,
}

/// Writing to a `String` cannot fail; this is plotters' required error type.
#[derive(Debug)]
pub struct SvgError;

impl std::fmt::Display for SvgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("could not write the SVG")
    }
}

impl std::error::Error for SvgError {}

type DrawResult = Result<(), DrawingErrorKind<SvgError>>;

/// A whole SVG document around a drawn `body`, with a title and a description.
pub fn document(width: u32, height: u32, title: &str, description: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 600);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\">\n<title>{}</title>\n<desc>{}</desc>\n",
        escape(title),
        escape(description)
    );
    out.push_str(body);
    out.push_str("</svg>\n");
    out
}

impl<'a> SvgCanvas<'a> {
    pub fn new(width: u32, height: u32, faces: &'a Faces, body: &'a mut String) -> Self {
        SvgCanvas { width, height, body, faces }
    }

    fn push(&mut self, element: std::fmt::Arguments<'_>) -> DrawResult {
        self.body.write_fmt(element).map_err(|_| DrawingErrorKind::DrawingError(SvgError))?;
        self.body.push('\n');
        Ok(())
    }
}

fn color(c: BackendColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.rgb.0, c.rgb.1, c.rgb.2)
}

fn paint(c: BackendColor) -> String {
    if c.alpha >= 1.0 {
        color(c)
    } else {
        format!("{}\" fill-opacity=\"{:.3}", color(c), c.alpha)
    }
}

fn stroke(c: BackendColor, width: u32) -> String {
    let mut s = format!("stroke=\"{}\" stroke-width=\"{}\"", color(c), width.max(1));
    if c.alpha < 1.0 {
        let _ = write!(s, " stroke-opacity=\"{:.3}\"", c.alpha);
    }
    s
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn points(iter: impl IntoIterator<Item = BackendCoord>) -> String {
    iter.into_iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")
}

impl DrawingBackend for SvgCanvas<'_> {
    type ErrorType = SvgError;

    fn get_size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn ensure_prepared(&mut self) -> DrawResult {
        Ok(())
    }

    fn present(&mut self) -> DrawResult {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, c: BackendColor) -> DrawResult {
        if c.alpha == 0.0 {
            return Ok(());
        }
        self.push(format_args!("<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\" fill=\"{}\"/>", paint(c)))
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.push(format_args!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            from.0,
            from.1,
            to.0,
            to.1,
            stroke(style.color(), style.stroke_width())
        ))
    }

    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, fill: bool) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (x, y, w, h) = (ul.0.min(br.0), ul.1.min(br.1), (br.0 - ul.0).abs(), (br.1 - ul.1).abs());
        if fill {
            self.push(format_args!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                w + 1,
                h + 1,
                paint(style.color())
            ))
        } else {
            self.push(format_args!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"none\" {}/>",
                stroke(style.color(), style.stroke_width())
            ))
        }
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.push(format_args!(
            "<polyline points=\"{}\" fill=\"none\" stroke-linejoin=\"round\" {}/>",
            points(path),
            stroke(style.color(), style.stroke_width())
        ))
    }

    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let paint_attr = if fill {
            format!("fill=\"{}\"", paint(style.color()))
        } else {
            format!("fill=\"none\" {}", stroke(style.color(), style.stroke_width()))
        };
        self.push(format_args!("<circle cx=\"{}\" cy=\"{}\" r=\"{radius}\" {paint_attr}/>", center.0, center.1))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        self.push(format_args!("<polygon points=\"{}\" fill=\"{}\"/>", points(vert), paint(style.color())))
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> DrawResult {
        let c = style.color();
        if c.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let run = layout(self.faces, text, style).map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let d = outline_path(&run, pos);
        self.push(format_args!("<path aria-label=\"{}\" fill=\"{}\" d=\"{d}\"/>", escape(text), paint(c)))
    }
}

/// The outlines of a laid-out run as one SVG path.
fn outline_path(run: &Run<'_>, pos: BackendCoord) -> String {
    let scaled = run.face.as_scaled(run.scale);
    let (hs, vs) = (scaled.h_scale_factor(), scaled.v_scale_factor());
    let mut d = String::new();
    for g in &run.glyphs {
        let Some(outline) = run.face.outline(g.id) else { continue };
        let map = |p: Point| {
            let (x, y) = run.rotate(g.x + p.x * hs, g.y - p.y * vs);
            (x + pos.0 as f32, y + pos.1 as f32)
        };
        let mut last: Option<Point> = None;
        for curve in &outline.curves {
            let (start, cmd, pts): (Point, char, Vec<Point>) = match *curve {
                OutlineCurve::Line(a, b) => (a, 'L', vec![b]),
                OutlineCurve::Quad(a, b, c) => (a, 'Q', vec![b, c]),
                OutlineCurve::Cubic(a, b, c, e) => (a, 'C', vec![b, c, e]),
            };
            if last != Some(start) {
                if last.is_some() {
                    d.push('Z');
                }
                let (x, y) = map(start);
                let _ = write!(d, "M{x:.2} {y:.2}");
            }
            d.push(cmd);
            let coords: Vec<String> = pts
                .iter()
                .map(|p| {
                    let (x, y) = map(*p);
                    format!("{x:.2} {y:.2}")
                })
                .collect();
            d.push_str(&coords.join(" "));
            last = pts.last().copied();
        }
        if last.is_some() {
            d.push('Z');
        }
    }
    d
}
