//! One picture in every format. A chart is drawn once, by plotters, to SVG with real
//! text that names the bundled font; the PNG is that SVG rasterised by resvg (at 1x,
//! 2x or 3x) and the PDF is that SVG written by krilla (text kept as text), so the
//! three are the same picture. [`pdf`] writes any number of SVGs as one document
//! (the briefing pack's pages are SVGs too).

use plotters::prelude::*;

use super::font;
use super::render;
use super::spec::ChartSpec;
use crate::{Error, Result};

/// A PDF point per SVG pixel (CSS: 96 px to the inch, 72 pt).
pub const PT_PER_PX: f32 = 0.75;

fn failed<E: std::fmt::Debug>(e: E) -> Error {
    Error::internal(format!("could not draw the chart ({e:?})"))
}

/// The chart as an SVG document of `width` x `height` pixels, with its banners and
/// footer, and its title and its marking and provenance as `<title>` and `<desc>`
/// (for search and screen readers).
pub fn svg(spec: &ChartSpec, size: (u32, u32)) -> Result<String> {
    drawn(spec, size, true)
}

/// The chart without its banners and footer, for a page that carries them.
pub fn svg_on_page(spec: &ChartSpec, size: (u32, u32)) -> Result<String> {
    drawn(spec, size, false)
}

fn drawn(spec: &ChartSpec, (width, height): (u32, u32), framed: bool) -> Result<String> {
    font::register()?;
    let mut body = String::new();
    {
        let root = SVGBackend::with_string(&mut body, (width, height)).into_drawing_area();
        render::draw(spec, &root, framed)?;
        root.present().map_err(failed)?;
    }
    let title = format!("{} [{}]", spec.title, spec.marking.banner_text());
    let description = [spec.marking.banner_text(), spec.provenance.lines().join(" | ")].join(" | ");
    let head = format!("<title>{}</title><desc>{}</desc>", escape(&title), escape(&description));
    // after the opening <svg ...> tag plotters wrote
    let at = body
        .find("<svg")
        .and_then(|s| body[s..].find('>').map(|e| s + e + 1))
        .ok_or_else(|| failed("plotters wrote no <svg> element"))?;
    body.insert_str(at, &head);
    Ok(body.replacen("<svg ", "<svg role=\"img\" ", 1))
}

/// Escapes text for XML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Parses an SVG drawn here, its text laid out in the bundled font.
pub fn tree(svg: &str) -> Result<usvg::Tree> {
    let options = usvg::Options { font_family: font::FAMILY.into(), fontdb: font::database(), ..Default::default() };
    usvg::Tree::from_str(svg, &options).map_err(|e| Error::internal(format!("could not read the drawn SVG ({e})")))
}

/// The SVG rasterised at `scale` device pixels per pixel, as PNG bytes with
/// `texts` (keyword, text) as iTXt chunks.
pub fn png(svg: &str, scale: f64, texts: &[(&str, String)]) -> Result<Vec<u8>> {
    let tree = tree(svg)?;
    let size = tree.size();
    let (w, h) = ((f64::from(size.width()) * scale).round() as u32, (f64::from(size.height()) * scale).round() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::invalid(format!("an image of {w}x{h} pixels cannot be drawn; choose a smaller size")))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale as f32, scale as f32), &mut pixmap.as_mut());
    // opaque (a white ground), so premultiplied RGBA is plain RGB
    let rgb: Vec<u8> = pixmap.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let error = |e: png::EncodingError| Error::internal(format!("could not write the PNG: {e}"));
        for (keyword, text) in texts {
            encoder.add_itxt_chunk((*keyword).into(), text.clone()).map_err(error)?;
        }
        let mut writer = encoder.write_header().map_err(error)?;
        writer.write_image_data(&rgb).map_err(error)?;
        writer.finish().map_err(error)?;
    }
    Ok(out)
}

/// What a PDF says about itself.
pub struct PdfInfo<'a> {
    pub title: &'a str,
    pub subject: &'a str,
    pub keywords: Vec<String>,
}

/// The SVG `pages` as one PDF, each page the size of its SVG (in points, 0.75 per
/// pixel), text kept as text in the embedded bundled font.
pub fn pdf(pages: &[String], info: &PdfInfo<'_>) -> Result<Vec<u8>> {
    use krilla_svg::{SurfaceExt, SvgSettings};
    let mut document = krilla::Document::new();
    for svg in pages {
        let tree = tree(svg)?;
        let size = tree.size();
        let (w, h) = (size.width() * PT_PER_PX, size.height() * PT_PER_PX);
        let settings = krilla::page::PageSettings::from_wh(w, h)
            .ok_or_else(|| Error::internal(format!("a page of {w}x{h} points cannot be made")))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        let area = krilla::geom::Size::from_wh(w, h).ok_or_else(|| Error::internal("an empty page"))?;
        surface
            .draw_svg(&tree, area, SvgSettings::default())
            .ok_or_else(|| Error::internal("could not draw a page"))?;
        surface.finish();
        page.finish();
    }
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(info.title.to_owned())
            .description(info.subject.to_owned())
            .keywords(info.keywords.clone())
            .creator(format!("Packplan {}", env!("CARGO_PKG_VERSION")))
            .language("en".to_owned()),
    );
    document.finish().map_err(|e| Error::internal(format!("could not write the PDF ({e:?})")))
}
