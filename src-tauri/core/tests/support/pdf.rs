//! A PDF read back by poppler, as a reader's tools see it: its text (pdftotext,
//! one string per page) and its pages drawn as pictures (pdftoppm).

use std::process::Command;

fn poppler(tool: &str) -> Command {
    let c = Command::new(tool);
    assert!(Command::new(tool).arg("-v").output().is_ok(), "{tool} (poppler-utils) is installed by scripts/setup.sh");
    c
}

/// The text of every page, pages separated by form feeds (pdftotext -layout).
pub fn text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = poppler("pdftotext").arg("-layout").arg(&file).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text of each page.
pub fn pages(pdf: &[u8]) -> Vec<String> {
    let mut pages: Vec<String> = text(pdf).split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Page `page` (from 1) drawn at `dpi` (96: one pixel per SVG pixel).
pub fn page_png(pdf: &[u8], page: u32, dpi: u32) -> super::picture::Pixels {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let status = poppler("pdftoppm")
        .args(["-png", "-singlefile", "-r", &dpi.to_string(), "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(&file)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    let (w, h, rgb, _) = super::picture::decode(&std::fs::read(dir.path().join("page.png")).unwrap());
    (w, h, rgb)
}
