//! A bare Tauri window: the yardstick of the memory benchmark (`make bench`, issue 18).
//! The same Tauri, WebKitGTK and window size as Packplan, showing a page of one line
//! served the way Tauri serves an app's own pages (a custom protocol), and nothing else:
//! no commands, no vault, no charts. What Packplan's window takes beyond this is what
//! Packplan itself costs. Built only by `scripts/bench.sh memory` (the profile
//! `bench-window`); never shipped.
//!
//! It ignores its arguments (the harness passes `--vault DIR`, as to Packplan), and lets
//! WebDriver attach as Tauri does for any app started by tauri-driver, so both are
//! measured under the same conditions.

use tauri::http::{header, HeaderValue, Response};

const PAGE: &str = "<!doctype html><title>Packplan</title><p>A bare Tauri window.</p>";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tauri::Builder::default()
        .register_uri_scheme_protocol("bare", |_, _| {
            let mut page = Response::new(PAGE.as_bytes().to_vec());
            page.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            page
        })
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(
                app,
                "main",
                tauri::WebviewUrl::CustomProtocol("bare://localhost/".parse()?),
            )
            .title("Packplan")
            .inner_size(1280.0, 800.0)
            .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())?;
    Ok(())
}
