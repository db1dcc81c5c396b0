//! Pictures compared as a person would: two renderings match when few pixels differ
//! by more than anti-aliasing does. On a difference, both renderings and a diff
//! image (differing pixels in red over a faded copy) are written to
//! `target/picture-diffs/`, and the message names them.

use std::path::PathBuf;

use packplan_core::chart::picture;

/// Width, height and RGB pixels.
pub type Pixels = (u32, u32, Vec<u8>);

/// A PNG's size, RGB pixels and text chunks (keyword, text).
pub fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>, Vec<(String, String)>) {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8() | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut buf).unwrap();
    buf.truncate(frame.buffer_size());
    let rgb: Vec<u8> = match frame.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g]).collect(),
        png::ColorType::GrayscaleAlpha => buf.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0]]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    let info = reader.info();
    let texts = info.utf8_text.iter().map(|t| (t.keyword.clone(), t.get_text().unwrap())).collect();
    (frame.width, frame.height, rgb, texts)
}

/// An SVG drawn by resvg at `scale`.
pub fn svg_pixels(svg: &str, scale: f64) -> Pixels {
    let (w, h, rgb, _) = decode(&picture::png(svg, scale, &[]).unwrap());
    (w, h, rgb)
}

fn png_of((w, h, rgb): &Pixels) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, *w, *h);
    e.set_color(png::ColorType::Rgb);
    e.set_depth(png::BitDepth::Eight);
    let mut writer = e.write_header().unwrap();
    writer.write_image_data(rgb).unwrap();
    writer.finish().unwrap();
    out
}

/// Whether two pictures are the same within the tolerance: the same size, and at
/// most `tolerance` (a share) of pixels differing by more than 64 in a channel
/// after a 3x3 blur (text hinted by another renderer moves by a pixel, not a word).
pub fn same_picture(name: &str, a: &Pixels, b: &Pixels, tolerance: f64) -> Result<(), String> {
    if (a.0, a.1) != (b.0, b.1) {
        return Err(format!("{name}: size {}x{} instead of {}x{}", b.0, b.1, a.0, a.1));
    }
    let (w, h) = (a.0 as usize, a.1 as usize);
    let blur = |p: &[u8]| -> Vec<u8> {
        let mut out = vec![0u8; p.len()];
        for y in 0..h {
            for x in 0..w {
                for c in 0..3 {
                    let (mut sum, mut n) = (0u32, 0u32);
                    for dy in y.saturating_sub(1)..=(y + 1).min(h - 1) {
                        for dx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                            sum += u32::from(p[(dy * w + dx) * 3 + c]);
                            n += 1;
                        }
                    }
                    out[(y * w + x) * 3 + c] = (sum / n) as u8;
                }
            }
        }
        out
    };
    let (ba, bb) = (blur(&a.2), blur(&b.2));
    let differs: Vec<bool> = ba
        .chunks_exact(3)
        .zip(bb.chunks_exact(3))
        .map(|(p, q)| p.iter().zip(q).any(|(x, y)| x.abs_diff(*y) > 64))
        .collect();
    let count = differs.iter().filter(|d| **d).count();
    let share = count as f64 / (w * h) as f64;
    if share <= tolerance {
        return Ok(());
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/picture-diffs");
    std::fs::create_dir_all(&dir).unwrap();
    let diff: Vec<u8> =
        a.2.chunks_exact(3)
            .zip(&differs)
            .flat_map(|(p, d)| if *d { [220, 0, 0] } else { [200 + p[0] / 5, 200 + p[1] / 5, 200 + p[2] / 5] })
            .collect();
    let expected = dir.join(format!("{name}.expected.png"));
    let actual = dir.join(format!("{name}.actual.png"));
    let diff_file = dir.join(format!("{name}.diff.png"));
    std::fs::write(&expected, png_of(a)).unwrap();
    std::fs::write(&actual, png_of(b)).unwrap();
    std::fs::write(&diff_file, png_of(&(a.0, a.1, diff))).unwrap();
    Err(format!(
        "{name}: {:.3}% of pixels differ (at most {:.3}% may); look at the diff {} (expected {}, actual {})",
        share * 100.0,
        tolerance * 100.0,
        diff_file.display(),
        expected.display(),
        actual.display()
    ))
}
