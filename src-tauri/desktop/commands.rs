//! The IPC commands of the vault: each takes state, calls the domain, maps the error.
//!
//! A `#[tauri::command]` function in `src-tauri/desktop/` is all a command needs:
//! `src-tauri/build.rs` registers it, grants it to the main window and describes it
//! to the UI (`ui/src/lib/bindings.ts`). Passphrases arrive once, go straight into
//! self-wiping types, and are never sent back.

use packplan_core::about::About;
use packplan_core::horizon::{Horizon, WindowRequest};
use packplan_core::progress::ProgressReport;
use packplan_core::vault::settings::LocaleChoice;
use packplan_core::vault::{self, AuditEntry, CheckReport, Passphrase, RecoveryCode, SessionStatus, Settings, Unlock};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use super::{AppState, IpcError};

const ACTOR: &str = "desktop";

/// Name, version and vault folder, for the first screen.
#[tauri::command]
pub fn about(state: State<'_, AppState>) -> Result<About, IpcError> {
    Ok(About::new(state.location()))
}

/// Whether there is a vault, and whether it is unlocked: chooses the screen.
#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> Result<SessionStatus, IpcError> {
    Ok(state.session()?.status()?)
}

/// What the first-run screen shows once: the recovery code and the vault's recipient.
/// The code is kept in a buffer that wipes itself once it has been sent.
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct CreatedVault {
    #[serde(serialize_with = "reveal")]
    #[cfg_attr(test, ts(type = "string"))]
    recovery_code: RecoveryCode,
    recipient: String,
}

/// A new recovery code, shown once after a re-key.
#[derive(serde::Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Rekeyed {
    #[serde(serialize_with = "reveal")]
    #[cfg_attr(test, ts(type = "string"))]
    recovery_code: RecoveryCode,
}

fn reveal<S: serde::Serializer>(code: &RecoveryCode, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.reveal().as_str())
}

#[tauri::command]
pub fn vault_create(state: State<'_, AppState>, passphrase: String) -> Result<CreatedVault, IpcError> {
    let (recovery_code, recipient) = state.session()?.create(&Passphrase::new(passphrase), &vault::actor(ACTOR))?;
    Ok(CreatedVault { recovery_code, recipient })
}

#[tauri::command]
pub fn vault_unlock(
    state: State<'_, AppState>,
    passphrase: Option<String>,
    recovery_code: Option<String>,
) -> Result<(), IpcError> {
    let mut session = state.session()?;
    match (passphrase, recovery_code) {
        (_, Some(code)) => Ok(session.unlock(&Unlock::RecoveryCode(&RecoveryCode::parse(&code)?))?),
        (Some(p), None) => Ok(session.unlock(&Unlock::Passphrase(&Passphrase::new(p)))?),
        (None, None) => Err(packplan_core::Error::invalid("type your passphrase or your recovery code").into()),
    }
}

#[tauri::command]
pub fn vault_lock<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<(), IpcError> {
    // Running work first lets go of the vault, so locking never waits for it to finish.
    state.cancel_job()?;
    let size = super::workspace::main_window_size(&app);
    let mut session = state.session()?;
    super::workspace::remember_window_size(&mut session, size);
    session.lock()?;
    super::auto_lock::announce(&app, vault::LockReason::User);
    Ok(())
}

/// The user is active (keys, pointer): postpones auto-lock.
#[tauri::command]
pub fn vault_activity(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.session()?.touch();
    Ok(())
}

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> Result<Settings, IpcError> {
    Ok(state.session()?.with_vault(|v| v.settings())?)
}

#[tauri::command]
pub fn settings_update(state: State<'_, AppState>, settings: Settings) -> Result<(), IpcError> {
    Ok(state.session()?.update_settings(&settings, &vault::actor(ACTOR))?)
}

/// The locales the screens can write numbers and dates in, for the settings' choice.
#[tauri::command]
pub fn settings_locales() -> Vec<LocaleChoice> {
    vault::settings::LOCALES.to_vec()
}

/// The plan window the settings choose now: today (the setting, else this month), the first month, the count.
#[tauri::command]
pub fn plan_window(state: State<'_, AppState>) -> Result<Horizon, IpcError> {
    let settings = state.session()?.with_vault(|v| v.settings())?;
    Ok(settings.resolve(&WindowRequest::default(), super::work::clock_month())?)
}

#[tauri::command]
pub fn vault_passwd(state: State<'_, AppState>, current: String, new: String) -> Result<(), IpcError> {
    let (current, new) = (Passphrase::new(current), Passphrase::new(new));
    Ok(state.session()?.change_passphrase(&current, &new, &vault::actor(ACTOR))?)
}

/// Re-keys the vault (new database key, passphrase and recovery code), with progress
/// and Cancel; returns the new recovery code, to show once.
#[tauri::command]
pub async fn vault_rekey(
    state: State<'_, AppState>,
    current: String,
    new: String,
    on_progress: Channel<ProgressReport>,
) -> Result<Rekeyed, IpcError> {
    let (current, new) = (Passphrase::new(current), Passphrase::new(new));
    let token = state.start_job()?;
    let progress = super::work::ChannelProgress(on_progress);
    let recovery_code = state.session()?.rekey(&current, &new, &vault::actor(ACTOR), &progress, &token)?;
    Ok(Rekeyed { recovery_code })
}

#[tauri::command]
pub fn vault_check(state: State<'_, AppState>) -> Result<CheckReport, IpcError> {
    Ok(state.session()?.with_vault(|v| packplan_core::dataset::verify::full_check(v))?)
}

#[tauri::command]
pub fn audit_list(state: State<'_, AppState>, limit: u32) -> Result<Vec<AuditEntry>, IpcError> {
    Ok(state.session()?.with_vault(|v| v.audit_list(limit))?)
}

/// Backs the vault up into a new folder inside the one the user picks in the native
/// dialog (the page never sees a path API). `None` when the dialog is closed.
#[tauri::command]
pub async fn vault_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<vault::BackupReceipt>, IpcError> {
    let Some(parent) = super::dialog::pick_folder(app, "Choose where to put the backup").await? else {
        return Ok(None);
    };
    let out =
        parent.join(format!("packplan-backup-{}", packplan_core::clock::Timestamp::now().rfc3339().replace(':', "")));
    Ok(Some(state.session()?.with_vault(|v| v.backup(&out, &vault::actor(ACTOR)))?))
}

#[cfg(test)]
include!(concat!(env!("OUT_DIR"), "/ipc/contract_commands.rs"));
