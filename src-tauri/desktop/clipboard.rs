//! The system clipboard, for "Copy chart": the chart's PNG put on the clipboard as an
//! image, so it pastes into a slide or a mail as the same picture the PNG export saves
//! (marking and provenance drawn in). Nothing is written to disk, and the image is not
//! handed to the desktop's clipboard manager to keep after the app quits (some keep a
//! history on disk): it lives as long as Packplan offers it. GTK's clipboard lives on
//! the main thread, so the image is handed there and the answer awaited.

use packplan_core::{Error, Result};
use tauri::{AppHandle, Runtime};

/// Puts `png` on the clipboard as an image (replacing what was there).
pub async fn put_png<R: Runtime>(app: &AppHandle<R>, png: Vec<u8>) -> Result<()> {
    let unreachable = |e: &dyn std::fmt::Display| Error::internal(format!("the clipboard could not be reached: {e}"));
    let (done, answer) = std::sync::mpsc::channel();
    app.run_on_main_thread(move || {
        // the receiver waits for this answer; it is gone only if the command was dropped
        let _ = done.send(set_image(&png));
    })
    .map_err(|e| unreachable(&e))?;
    tauri::async_runtime::spawn_blocking(move || answer.recv())
        .await
        .map_err(|e| unreachable(&e))?
        .map_err(|e| unreachable(&e))?
}

#[cfg(target_os = "linux")]
fn set_image(png: &[u8]) -> Result<()> {
    use gtk::gdk_pixbuf::prelude::PixbufLoaderExt;
    let unreadable = |e: gtk::glib::Error| Error::internal(format!("the chart's picture could not be read: {e}"));
    let loader = gtk::gdk_pixbuf::PixbufLoader::with_type("png").map_err(unreadable)?;
    loader.write(png).map_err(unreadable)?;
    loader.close().map_err(unreadable)?;
    let picture = loader.pixbuf().ok_or_else(|| Error::internal("the chart's picture could not be read"))?;
    let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
    // no `store()`: that would ask a clipboard manager to keep the image after the app quits
    clipboard.set_image(&picture);
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn set_image(_png: &[u8]) -> Result<()> {
    Err(Error::invalid("copying a chart is not available on this system; export it as PNG instead"))
}
