//! `packplan vault ...` and `packplan audit ...`: create, describe, re-key, check and
//! back up the encrypted vault, and read its audit log.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use packplan_core::location::VaultLocation;
use std::io::Write;

use packplan_core::classification::{Level, Policy, Preset, Scheme};
use packplan_core::progress::CancelToken;
use packplan_core::vault::{self, status, Settings, Unlock, UnlockOptions, Vault};
use packplan_core::{Error, Result};

use super::output::Output;
use super::secrets::{self, PassphraseSource};

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Create a new vault; prints the recovery code once
    Init {
        /// Read the new passphrase from this file (first line) instead of asking
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Where the vault is and what it holds, without unlocking it
    Status,
    /// Change the passphrase (the data is not rewritten; the recovery code keeps working)
    Passwd {
        #[command(flatten)]
        unlock: UnlockArgs,
        /// Read the new passphrase from this file (first line) instead of asking
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Replace the database key, the passphrase and the recovery code (after a leak); prints the new recovery code
    Rekey {
        #[command(flatten)]
        unlock: UnlockArgs,
        /// Read the new passphrase from this file (first line) instead of asking
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Check the database's structure, every page's authentication code, the audit chain,
    /// the anchor, vault.json, and imported rows against their issuers' signatures
    Check {
        #[command(flatten)]
        unlock: UnlockArgs,
        /// Open a database older than the vault's anchor says (one put back on purpose); audited
        #[arg(long)]
        accept_older_database: bool,
    },
    /// Write an encrypted, verified copy of the vault into a new folder
    Backup {
        /// The folder to create for the backup
        out: PathBuf,
        #[command(flatten)]
        unlock: UnlockArgs,
    },
    /// Show or change settings (auto-lock, classification label, planning horizon, marking scheme, locale)
    Settings {
        #[command(flatten)]
        unlock: UnlockArgs,
        /// Lock the desktop app after this many idle minutes (0 = never)
        #[arg(long, value_name = "MINUTES")]
        auto_lock_minutes: Option<u32>,
        /// A classification label every chart and export carries at least ("" to clear)
        #[arg(long, value_name = "LABEL")]
        classification_label: Option<String>,
        /// The planning date, "today" (YYYY-MM), or "calendar" to follow the current month
        #[arg(long, value_name = "YYYY-MM|calendar")]
        planning_date: Option<String>,
        /// The first month planned and charted (YYYY-MM), or "default" (24 months before today)
        #[arg(long, value_name = "YYYY-MM|default")]
        horizon_start: Option<String>,
        /// How many months are planned (12 to 120), or "default" (72)
        #[arg(long, value_name = "MONTHS|default")]
        horizon_months: Option<String>,
        /// The locale the app's screens write numbers and dates in (en-US, en-GB, de-DE,
        /// fr-FR, nl-NL, ja-JP, ko-KR, zh-TW), or "default" (English, US)
        #[arg(long, value_name = "TAG|default")]
        locale: Option<String>,
        #[command(flatten)]
        marking: MarkingArgs,
    },
}

/// The site's marking scheme, as `vault settings` changes it.
#[derive(Debug, Args)]
pub struct MarkingArgs {
    /// The marking scheme: us, uk, nato, commercial (the default), or custom with --marking-levels
    #[arg(long, value_name = "SCHEME")]
    marking_scheme: Option<Preset>,
    /// A custom scheme's levels, least sensitive first: a JSON list of {"name", "background", "foreground", "aliases"}
    #[arg(long, value_name = "FILE.json")]
    marking_levels: Option<PathBuf>,
    /// Mark a dataset label that names no level of the scheme at a level (audited); repeatable
    #[arg(long, value_name = "LABEL=LEVEL")]
    map_label: Vec<String>,
    /// Remove a label's mapping; repeatable
    #[arg(long, value_name = "LABEL")]
    unmap_label: Vec<String>,
}

impl MarkingArgs {
    fn changes(&self) -> bool {
        self.marking_scheme.is_some()
            || self.marking_levels.is_some()
            || !self.map_label.is_empty()
            || !self.unmap_label.is_empty()
    }

    /// Applies the flags to `policy` (the vault checks the result when it stores it).
    fn apply(self, policy: &mut Policy) -> Result<()> {
        let levels = self.marking_levels.as_deref().map(read_levels).transpose()?;
        match (self.marking_scheme, levels) {
            (Some(Preset::Custom) | None, Some(levels)) => policy.scheme = Scheme { preset: Preset::Custom, levels },
            (Some(Preset::Custom), None) => {
                return Err(Error::invalid("a custom marking scheme needs its levels: add --marking-levels FILE.json"))
            }
            (Some(preset), None) => policy.scheme = Scheme::preset(preset),
            (Some(preset), Some(_)) => {
                return Err(Error::invalid(format!(
                    "--marking-levels makes a custom scheme, not {}; give it alone or with --marking-scheme custom",
                    preset.as_str()
                )))
            }
            (None, None) => {}
        }
        for label in &self.unmap_label {
            let before = policy.mapped.len();
            policy.mapped.retain(|l, _| !l.trim().eq_ignore_ascii_case(label.trim()));
            if policy.mapped.len() == before {
                return Err(Error::invalid(format!(
                    "the label {label:?} is not mapped; `packplan vault settings` lists the mapped labels"
                )));
            }
        }
        for pair in &self.map_label {
            let (label, level) = pair.rsplit_once('=').ok_or_else(|| {
                Error::invalid(format!("--map-label {pair:?} needs LABEL=LEVEL (for example \"ACME NDA=CUI\")"))
            })?;
            policy.mapped.retain(|l, _| !l.trim().eq_ignore_ascii_case(label.trim()));
            policy.mapped.insert(label.trim().to_owned(), level.trim().to_owned());
        }
        Ok(())
    }
}

/// A custom scheme's levels from a JSON file.
fn read_levels(file: &std::path::Path) -> Result<Vec<Level>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io("read", file, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::invalid(format!(
            "{} is not a list of levels ({e}); write [{{\"name\": \"PUBLIC\", \"background\": \"#007A33\", \"foreground\": \"#FFFFFF\"}}, ...], least sensitive first",
            file.display()
        ))
    })
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// The newest entries of the audit log, newest first
    List {
        #[command(flatten)]
        unlock: UnlockArgs,
        /// How many entries to show
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Verify the hash chain of the whole audit log
    Verify {
        #[command(flatten)]
        unlock: UnlockArgs,
    },
}

/// How a command unlocks the vault: the passphrase (file, prompt or variable) or the recovery code.
#[derive(Debug, Default, Args)]
pub struct UnlockArgs {
    /// Read the vault's passphrase from this file (first line); else a prompt, else PACKPLAN_PASSPHRASE
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    /// Unlock with the recovery code in this file instead of the passphrase
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_file")]
    recovery_code_file: Option<PathBuf>,
}

impl UnlockArgs {
    pub fn open(&self, location: &VaultLocation) -> Result<Vault> {
        self.open_with(location, UnlockOptions::default())
    }

    /// Unlocks with `options`; what the user must know about the vault goes to stderr.
    pub fn open_with(&self, location: &VaultLocation, options: UnlockOptions) -> Result<Vault> {
        let vault = self.unlock(location, options)?;
        for warning in vault.warnings() {
            let _ = writeln!(std::io::stderr().lock(), "packplan: WARNING: {warning}");
        }
        Ok(vault)
    }

    fn unlock(&self, location: &VaultLocation, options: UnlockOptions) -> Result<Vault> {
        if let Some(file) = &self.recovery_code_file {
            let code = secrets::recovery_code_from_file(file)?;
            return Vault::unlock_with(location, &Unlock::RecoveryCode(&code), options);
        }
        // Say there is no vault before asking for a passphrase.
        if status::of(location)?.state != "ready" {
            return Err(status::missing_vault(location));
        }
        let passphrase = PassphraseSource {
            file: self.passphrase_file.as_deref(),
            variable: "PACKPLAN_PASSPHRASE",
            prompt: "Vault passphrase: ",
            confirm: false,
        }
        .read()?;
        Vault::unlock_with(location, &Unlock::Passphrase(&passphrase), options)
    }
}

const ACTOR: &str = "cli";

/// What `vault init` prints once; the code is borrowed from its self-wiping buffer, not copied.
#[derive(serde::Serialize)]
struct Created<'a> {
    dir: String,
    recovery_code: &'a str,
    recipient: &'a str,
}

/// What `vault rekey` prints once.
#[derive(serde::Serialize)]
struct RecoveryCodeShown<'a> {
    recovery_code: &'a str,
}

pub fn run(command: VaultCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        VaultCommand::Init { passphrase_file } => {
            Vault::check_can_init(location)?;
            let passphrase = PassphraseSource {
                file: passphrase_file.as_deref(),
                variable: "PACKPLAN_PASSPHRASE",
                prompt: "New vault passphrase (four or five random words work well): ",
                confirm: true,
            }
            .read()?;
            let (vault, receipt) = Vault::init(location, &passphrase, &vault::actor(ACTOR))?;
            vault.lock()?;
            let code = receipt.recovery_code.reveal();
            let shown = Created {
                dir: location.dir().display().to_string(),
                recovery_code: code.as_str(),
                recipient: &receipt.recipient,
            };
            out.secret(&shown, |_| {
                format!(
                    "Created the vault in {}.\n\n\
                     Recovery code (shown only now; print it or write it down, and store it apart from this computer):\n\n    {}\n\n\
                     It unlocks the vault if the passphrase is lost: `packplan vault passwd --recovery-code-file FILE`.\n\
                     Your age recipient, for people who send you bundles:\n    {}",
                    location.dir().display(),
                    code.as_str(),
                    receipt.recipient
                )
            })
        }
        VaultCommand::Status => {
            let st = status::of(location)?;
            out.value(&st, |s| {
                let mut text = format!("vault: {}{}\nstate: ", s.dir, if s.portable { " (portable)" } else { "" });
                text.push_str(match s.state {
                    "ready" => "ready (locked; commands ask for the passphrase)",
                    "none" => "no vault yet; create one with `packplan vault init`",
                    _ => {
                        "unfinished: an earlier init was interrupted; move the files away and run `packplan vault init`"
                    }
                });
                if let Some(created) = &s.created {
                    text.push_str(&format!(
                        "\ncreated: {created}\nrecipient: shown once unlocked (`packplan keys show`), from the encrypted keys"
                    ));
                }
                for (name, size) in &s.files {
                    text.push_str(&format!("\n  {name}  {size} bytes"));
                }
                text
            })
        }
        VaultCommand::Passwd { unlock, new_passphrase_file } => {
            let mut vault = unlock.open(location)?;
            let new = PassphraseSource {
                file: new_passphrase_file.as_deref(),
                variable: "PACKPLAN_NEW_PASSPHRASE",
                prompt: "New passphrase: ",
                confirm: true,
            }
            .read()?;
            vault.change_passphrase(&new, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&serde_json::json!({ "changed": true }), |_| {
                "Changed the passphrase. The old one no longer opens the vault; the recovery code still does.".into()
            })
        }
        VaultCommand::Rekey { unlock, new_passphrase_file } => {
            let mut vault = unlock.open(location)?;
            let new = PassphraseSource {
                file: new_passphrase_file.as_deref(),
                variable: "PACKPLAN_NEW_PASSPHRASE",
                prompt: "New passphrase (it may be the current one if only the recovery code leaked): ",
                confirm: true,
            }
            .read()?;
            let progress = super::progress::StderrProgress::default();
            let code = vault.rekey(&new, &vault::actor(ACTOR), &progress, &CancelToken::new())?;
            vault.lock()?;
            let code = code.reveal();
            out.secret(&RecoveryCodeShown { recovery_code: code.as_str() }, |_| {
                format!(
                    "Re-keyed the vault: a new database key, passphrase and recovery code. The old passphrase, the old recovery code and old copies of the key files no longer open it (backups made before keep their old keys: keep them as safe as the vault, or make a new one).\n\n\
                     New recovery code (shown only now; print it or write it down, store it apart from this computer, and destroy the old one):\n\n    {}\n",
                    code.as_str()
                )
            })
        }
        VaultCommand::Check { unlock, accept_older_database } => {
            let vault = unlock.open_with(location, UnlockOptions { accept_older_database })?;
            let report = packplan_core::dataset::verify::full_check(&vault)?;
            vault.lock()?;
            out.value(&report, |r| {
                let mut text = format!("SQLCipher {}", r.cipher_version);
                for c in &r.checks {
                    text.push_str(&format!("\n{:<17} {}", c.check, if c.ok { "ok" } else { "FAILED" }));
                    if !c.ok || c.check == "audit_chain" || c.check == "signed_data" {
                        for f in c.findings.iter().take(20) {
                            text.push_str(&format!("\n    {f}"));
                        }
                    }
                }
                text.push_str(if r.ok {
                    "\nThe vault is sound."
                } else {
                    "\nThe vault is damaged. Restore it from a backup (docs/vault.md), keeping this copy for analysis."
                });
                text
            })?;
            if report.ok {
                Ok(())
            } else {
                Err(packplan_core::Error::new(
                    packplan_core::ErrorKind::Damaged,
                    "vault check found damage (listed above)",
                ))
            }
        }
        VaultCommand::Backup { out: folder, unlock } => {
            let mut vault = unlock.open(location)?;
            let receipt = vault.backup(&folder, &vault::actor(ACTOR))?;
            vault.lock()?;
            out.value(&receipt, |r| {
                format!(
                    "Wrote an encrypted backup ({} bytes) to {} and verified it. It opens with the current passphrase or the recovery code: `packplan --vault {} vault check`.",
                    r.bytes, r.folder, r.folder
                )
            })
        }
        VaultCommand::Settings {
            unlock,
            auto_lock_minutes,
            classification_label,
            planning_date,
            horizon_start,
            horizon_months,
            locale,
            marking,
        } => {
            // parse before unlocking, so a typo costs no passphrase
            let planning_date = planning_date.map(|v| optional(&v, "calendar")).transpose()?;
            let horizon_start = horizon_start.map(|v| optional(&v, "default")).transpose()?;
            let horizon_months = horizon_months.map(|v| optional(&v, "default")).transpose()?;
            let mut vault = unlock.open(location)?;
            let mut settings: Settings = vault.settings()?;
            let changes = marking.changes()
                || auto_lock_minutes.is_some()
                || classification_label.is_some()
                || planning_date.is_some()
                || horizon_start.is_some()
                || horizon_months.is_some()
                || locale.is_some();
            if changes {
                marking.apply(&mut settings.marking_policy)?;
                if let Some(v) = planning_date {
                    settings.planning_date = v;
                }
                if let Some(v) = horizon_start {
                    settings.horizon_start = v;
                }
                if let Some(v) = horizon_months {
                    settings.horizon_months = v;
                }
                if let Some(tag) = locale {
                    settings.locale = Some(tag).filter(|t| t != "default");
                }
                if let Some(minutes) = auto_lock_minutes {
                    settings.auto_lock_minutes = minutes;
                }
                if let Some(label) = classification_label {
                    settings.classification_label = Some(label).filter(|l| !l.trim().is_empty());
                }
                vault.update_settings(&settings, &vault::actor(ACTOR))?;
                // as stored (a preset's levels, a mapping's level as the scheme spells it)
                settings = vault.settings()?;
            }
            vault.lock()?;
            out.value(&settings, |s| {
                let lock = match s.auto_lock_minutes {
                    0 => "auto-lock: never".to_string(),
                    m => format!("auto-lock: after {m} idle minutes"),
                };
                let label = s.classification_label.as_deref().unwrap_or("none (the datasets' own labels)");
                let today = s.planning_date.map(|m| m.to_string()).unwrap_or_else(|| "the current month".into());
                let window = match s.resolve(&Default::default(), super::model::clock_month()) {
                    Ok(w) => format!("{} months from {} (today {})", w.months, w.start, w.today),
                    Err(e) => e.to_string(),
                };
                let locale = s.locale.as_deref().unwrap_or("default (en-US)");
                let p = &s.marking_policy;
                let mut text = format!(
                    "{lock}\nclassification label: {label}\nplanning date: {today}\nplan window: {window}\nscreens' locale: {locale}\nmarking scheme: {} ({}, least sensitive first)",
                    p.scheme.preset.as_str(),
                    p.scheme.names()
                );
                for (label, level) in &p.mapped {
                    text.push_str(&format!("\nlabel {label:?} is marked {level}"));
                }
                text
            })
        }
    }
}

pub fn run_audit(command: AuditCommand, location: &VaultLocation, out: &Output) -> Result<()> {
    match command {
        AuditCommand::List { unlock, limit } => {
            let vault = unlock.open(location)?;
            let entries = vault.audit_list(limit)?;
            vault.lock()?;
            out.value(&entries, |entries| {
                entries
                    .iter()
                    .map(|e| format!("{:>5}  {}  {:<18} {:<24} {}", e.seq, e.at, e.action, e.subject, e.actor))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        AuditCommand::Verify { unlock } => {
            let vault = unlock.open(location)?;
            let verdict = vault.audit_verify()?;
            vault.lock()?;
            out.value(&verdict, |v| {
                if v.intact() {
                    format!("The audit chain of {} entries is intact.", v.entries)
                } else {
                    format!("The audit chain is BROKEN:\n  {}", v.problems.join("\n  "))
                }
            })?;
            if verdict.intact() {
                Ok(())
            } else {
                Err(packplan_core::Error::new(
                    packplan_core::ErrorKind::Damaged,
                    "the audit log was altered (listed above)",
                ))
            }
        }
    }
}

/// A setting's value, or `None` when the user typed `clear_word` to go back to the default.
fn optional<T: std::str::FromStr>(text: &str, clear_word: &str) -> Result<Option<T>> {
    if text.trim().eq_ignore_ascii_case(clear_word) {
        return Ok(None);
    }
    text.trim().parse().map(Some).map_err(|_| {
        packplan_core::Error::invalid(format!(
            "{text:?} is not a value this setting takes; give a month as YYYY-MM, a number of months, or {clear_word:?}"
        ))
    })
}
