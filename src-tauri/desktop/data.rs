//! The IPC commands of the Data screen: import a bundle (native open dialog, preview,
//! apply with progress and Cancel), the datasets and their removal, rows edited,
//! added and removed, export to colleagues (native save dialog), and the keys: own
//! keys, trusted issuers,
//! contacts. Files are chosen and read in Rust; the page never gets a path API.

use packplan_core::bundle::container::SignaturePolicy;
use packplan_core::bundle::limits::Limits;
use packplan_core::bundle::secrecy::SecretString;
use packplan_core::bundle::IssuerKey;
use packplan_core::chart::Banner;
use packplan_core::dataset::import::{self, BundleKey, ImportReceipt};
use packplan_core::dataset::preview::Preview;
use packplan_core::dataset::{self, add, browse, edit, export, Dataset};
use packplan_core::printable::printable;
use packplan_core::progress::ProgressReport;
use packplan_core::vault::keys::{self, Contact, Issuer, OwnKeys};
use packplan_core::write_file::{write_file, Existing};
use packplan_core::{vault, Error, ErrorKind};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::work::ChannelProgress;
use super::{dialog, AppState, IpcError};

const ACTOR: &str = "desktop";

/// The file the user picked, still encrypted.
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PickedBundle {
    name: String,
    bytes: u64,
}

impl PickedBundle {
    pub fn new(name: String, bytes: u64) -> PickedBundle {
        PickedBundle { name, bytes }
    }
}

/// Asks for a bundle file in the native dialog and keeps its (encrypted) bytes.
#[tauri::command]
pub async fn bundle_pick<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<PickedBundle>, IpcError> {
    let picked = dialog::open_file(app, "Choose a Packplan bundle", "Packplan bundles", &["ppb", "age"]).await?;
    let Some(path) = picked else { return Ok(None) };
    let bytes = Limits::default();
    let bytes = packplan_core::bundle::limits::read_file(&path, &bytes)?;
    let name = printable(&path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default());
    let size = bytes.len() as u64;
    state.imports()?.pick(bytes);
    Ok(Some(PickedBundle { name, bytes: size }))
}

/// Decrypts, checks and previews the picked bundle; changes nothing.
#[tauri::command]
pub async fn bundle_preview(
    state: State<'_, AppState>,
    passphrase: Option<String>,
    allow_unsigned: bool,
    allow_unknown_signer: bool,
    on_progress: Channel<ProgressReport>,
) -> Result<Preview, IpcError> {
    let file = state.imports()?.picked().ok_or_else(|| Error::invalid("choose a bundle file first"))?;
    let token = state.start_job()?;
    let secret = passphrase.map(SecretString::from);
    let key = match &secret {
        Some(p) => BundleKey::Passphrase(p),
        None => BundleKey::Vault,
    };
    let policy = SignaturePolicy { allow_unsigned, allow_unknown_signer };
    let progress = ChannelProgress(on_progress);
    // The vault is held only to take its keys and to compare: never while decrypting,
    // so Lock and auto-lock work while a large bundle is read.
    let keys = state.session()?.with_vault(|v| import::keys(v, &key))?;
    let opened = import::open(&file, &keys, &key, policy, &Limits::default(), &progress, &token)?;
    let staged = state.session()?.with_vault(|v| import::stage_opened(v, opened, &progress, &token))?;
    let preview = staged.preview.clone();
    state.imports()?.stage(staged);
    Ok(preview)
}

/// Applies the previewed import in one transaction, with progress and Cancel.
#[tauri::command]
pub async fn bundle_import(
    state: State<'_, AppState>,
    on_progress: Channel<ProgressReport>,
) -> Result<ImportReceipt, IpcError> {
    let staged = state.imports()?.take_staged().ok_or_else(|| Error::invalid("preview a bundle first"))?;
    let token = state.start_job()?;
    let progress = ChannelProgress(on_progress);
    Ok(state.session()?.with_vault(|v| import::apply(v, staged, &vault::actor(ACTOR), &progress, &token))?)
}

/// Forgets the picked file and any preview.
#[tauri::command]
pub fn bundle_discard(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.imports()?.clear();
    Ok(())
}

/// The marking of what the window can show: the strictest level of the vault's data
/// in the site's scheme, with its caveats (the banner at the window's top and bottom);
/// none while the vault holds no data.
#[tauri::command]
pub fn vault_marking(state: State<'_, AppState>) -> Result<Option<Banner>, IpcError> {
    let marking = state.session()?.with_vault(|v| v.read(dataset::model_input::marking))?;
    Ok(marking.as_ref().map(Banner::of))
}

#[tauri::command]
pub fn dataset_list(state: State<'_, AppState>) -> Result<Vec<Dataset>, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(dataset::list))?)
}

#[tauri::command]
pub fn dataset_remove(state: State<'_, AppState>, id: String) -> Result<Dataset, IpcError> {
    Ok(state.session()?.with_vault(|v| dataset::remove_audited(v, &id, &vault::actor(ACTOR)))?)
}

/// The tables with their count of rows in effect.
#[tauri::command]
pub fn data_tables(state: State<'_, AppState>) -> Result<Vec<browse::TableInfo>, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(browse::tables))?)
}

/// One page of a table's rows in effect, searched, filtered and sorted.
#[tauri::command]
pub fn data_page(
    state: State<'_, AppState>,
    table: String,
    query: browse::Query,
) -> Result<browse::TablePage, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(|c| browse::page(c, &table, &query)))?)
}

/// Edits one value in place (checked, audited); the vault is unchanged on error.
#[tauri::command]
pub fn data_edit(state: State<'_, AppState>, edit: edit::Edit) -> Result<edit::Edited, IpcError> {
    Ok(state.session()?.with_vault(|v| edit::apply(v, &edit, &vault::actor(ACTOR)))?)
}

/// Reverts an edit made in this vault, so the imported value is in effect again.
#[tauri::command]
pub fn data_revert(state: State<'_, AppState>, table: String, key: Vec<String>) -> Result<(), IpcError> {
    Ok(state.session()?.with_vault(|v| edit::revert(v, &table, &key, &vault::actor(ACTOR)))?)
}

/// Adds a row of one's own (every cell checked as a bundle's, audited); the vault is
/// unchanged on error.
#[tauri::command]
pub fn data_add(state: State<'_, AppState>, row: add::NewRow) -> Result<add::Added, IpcError> {
    Ok(state.session()?.with_vault(|v| add::add(v, &row, &vault::actor(ACTOR)))?)
}

/// Adds the rows of a block pasted from a spreadsheet, all or none, in one audited change.
#[tauri::command]
pub fn data_add_block(state: State<'_, AppState>, block: add::PastedBlock) -> Result<Vec<add::Added>, IpcError> {
    Ok(state.session()?.with_vault(|v| add::add_block(v, &block, &vault::actor(ACTOR)))?)
}

/// Removes a row added in this vault; audited.
#[tauri::command]
pub fn data_remove(state: State<'_, AppState>, table: String, key: Vec<String>) -> Result<(), IpcError> {
    Ok(state.session()?.with_vault(|v| add::remove_added(v, &table, &key, &vault::actor(ACTOR)))?)
}

/// Exports datasets to contacts as a signed bundle, saved where the user chooses.
#[tauri::command]
pub async fn bundle_export<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    datasets: Vec<String>,
    scenarios: Vec<String>,
    title: String,
    contacts: Vec<String>,
    passphrase: Option<String>,
) -> Result<Option<String>, IpcError> {
    let audience = export::Audience {
        contacts,
        recipients: Vec::new(),
        passphrase: passphrase.filter(|p| !p.is_empty()).map(SecretString::from),
    };
    let sealing = state.session()?.with_vault(|v| v.read(|c| audience.sealing(c)))?;
    let name = format!("{}.ppb", title.trim().to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    let Some(path) = dialog::save_file(app, &name, "Packplan bundle", &["ppb"]).await? else { return Ok(None) };
    let (bytes, _) = state
        .session()?
        .with_vault(|v| export::export(v, &datasets, &scenarios, &title, &sealing, false, &vault::actor(ACTOR)))?;
    // the save dialog asked before replacing a file of that name
    write_file(&path, &bytes, Existing::Replace)?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command]
pub fn keys_show(state: State<'_, AppState>) -> Result<OwnKeys, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(keys::own_keys))?)
}

#[tauri::command]
pub fn issuer_list(state: State<'_, AppState>) -> Result<Vec<Issuer>, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(keys::list_issuers))?)
}

#[tauri::command]
pub fn issuer_add(state: State<'_, AppState>, name: String, key: String) -> Result<Issuer, IpcError> {
    Ok(state.session()?.with_vault(|v| keys::trust_issuer(v, &name, &key, &vault::actor(ACTOR)))?)
}

/// An issuer's public key read from its `.pub` file (native dialog), for the page to
/// show with its key id before the user trusts it.
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct PickedKey {
    /// The base64 line (`RW...`), as `issuer_add` takes it.
    key: String,
    /// The key id to check with its owner by another channel.
    key_id: String,
}

/// Asks for an issuer's `.pub` file and reads its key; trusts nothing yet.
#[tauri::command]
pub async fn issuer_key_pick<R: Runtime>(app: AppHandle<R>) -> Result<Option<PickedKey>, IpcError> {
    let Some(path) = dialog::open_file(app, "Choose the issuer's public key", "minisign public keys", &["pub"]).await?
    else {
        return Ok(None);
    };
    use packplan_core::bundle::limits::{read_expected, PUBLIC_KEY_FILE};
    let key = IssuerKey::from_public_key_file(&read_expected(&path, 4096, &PUBLIC_KEY_FILE)?)?;
    Ok(Some(PickedKey { key: key.to_base64(), key_id: key.key_id().to_string() }))
}

#[tauri::command]
pub fn issuer_remove(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    Ok(state.session()?.with_vault(|v| keys::distrust_issuer(v, &name, &vault::actor(ACTOR)))?)
}

#[tauri::command]
pub fn contact_list(state: State<'_, AppState>) -> Result<Vec<Contact>, IpcError> {
    Ok(state.session()?.with_vault(|v| v.read(keys::list_contacts))?)
}

#[tauri::command]
pub fn contact_add(state: State<'_, AppState>, name: String, recipient: String) -> Result<Contact, IpcError> {
    Ok(state.session()?.with_vault(|v| keys::befriend(v, &name, &recipient, &vault::actor(ACTOR)))?)
}

#[tauri::command]
pub fn contact_remove(state: State<'_, AppState>, name: String) -> Result<(), IpcError> {
    if name.trim().is_empty() {
        return Err(Error::new(ErrorKind::Invalid, "name the contact to remove").into());
    }
    Ok(state.session()?.with_vault(|v| keys::unfriend(v, &name, &vault::actor(ACTOR)))?)
}

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_data.rs"));
