//! The model input of what the vault holds: the effective rows of every table,
//! the datasets they came from, a scenario (built in, or saved in the vault) and the
//! plan window the vault's settings choose. [`model_input`] is the one function every
//! front end builds its input with (the app, the CLI, the charts), so the same vault
//! gives the same input whatever asks. [`marking`] is the window's banner: the
//! marking of everything those datasets can show.

use rusqlite::{Connection, OptionalExtension};

use super::{data_list, list};
use crate::bundle::rows::TableRows;
use crate::bundle::tables::TABLES;
use crate::chart::Marking;
use crate::horizon::{Horizon, WindowRequest};
use crate::model::assemble::assemble;
use crate::model::input::{DatasetRef, ModelInput};
use crate::model::scenario::Scenario;
use crate::month::Month;
use crate::{Error, Result};

/// The scenarios saved in the vault, Baseline first.
pub fn scenarios(conn: &Connection) -> Result<Vec<Scenario>> {
    let mut out = vec![Scenario::baseline()];
    let mut stmt = conn
        .prepare("SELECT name, description, overrides FROM scenarios ORDER BY name")
        .map_err(|e| Error::internal(format!("could not list scenarios: {e}")))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))
        .map_err(|e| Error::internal(format!("could not list scenarios: {e}")))?;
    for row in rows {
        let (name, description, overrides) =
            row.map_err(|e| Error::internal(format!("could not read a scenario: {e}")))?;
        let overrides = serde_json::from_str(&overrides).map_err(|e| {
            Error::new(crate::ErrorKind::Damaged, format!("the saved scenario {name:?} cannot be read ({e})"))
        })?;
        out.push(Scenario { name, description, overrides });
    }
    Ok(out)
}

/// The scenario called `name` (case-insensitive).
pub fn scenario(conn: &Connection, name: &str) -> Result<Scenario> {
    let all = scenarios(conn)?;
    let names: Vec<String> = all.iter().map(|s| s.name.clone()).collect();
    all.into_iter().find(|s| s.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
        Error::new(
            crate::ErrorKind::NotFound,
            format!("there is no scenario {name:?}; the scenarios are: {}", names.join(", ")),
        )
    })
}

/// Every saved scenario's name with the dataset it came with (`None`: made in this vault).
pub fn scenario_owners(conn: &Connection) -> Result<Vec<(String, Option<String>)>> {
    let mut stmt = conn
        .prepare("SELECT name, dataset_id FROM scenarios ORDER BY name")
        .map_err(|e| Error::internal(format!("could not list scenarios: {e}")))?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))
        .map_err(|e| Error::internal(format!("could not list scenarios: {e}")))?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map_err(|e| Error::internal(format!("could not list scenarios: {e}")))
}

/// Saves a scenario made or edited in this vault, replacing the saved one of the same
/// name (compared without case). Saving over a scenario that came in a bundle makes it
/// the user's own: removing that dataset later no longer removes it.
pub fn save_scenario(tx: &rusqlite::Transaction<'_>, scenario: &Scenario) -> Result<()> {
    check_scenario_name(&scenario.name)?;
    let now = crate::clock::Timestamp::now().rfc3339();
    let overrides = serde_json::to_string(&scenario.overrides).map_err(|e| Error::internal(e.to_string()))?;
    let existing: Option<String> = tx
        .query_row("SELECT id FROM scenarios WHERE lower(name) = lower(?1)", [&scenario.name], |r| r.get(0))
        .optional()
        .map_err(|e| Error::internal(format!("could not look up the scenario: {e}")))?;
    match existing {
        Some(id) => tx.execute(
            "UPDATE scenarios SET dataset_id = NULL, name = ?2, description = ?3, overrides = ?4, updated = ?5 WHERE id = ?1",
            rusqlite::params![id, scenario.name, scenario.description, overrides, now],
        ),
        None => tx.execute(
            "INSERT INTO scenarios (id, dataset_id, name, description, overrides, created, updated) VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?5)",
            rusqlite::params![new_scenario_id(), scenario.name, scenario.description, overrides, now],
        ),
    }
    .map_err(|e| Error::internal(format!("could not save the scenario: {e}")))?;
    Ok(())
}

/// Inserts a scenario that came in the bundle `dataset_id` under a name the import
/// checked is free; it never updates a scenario that is already saved.
pub fn insert_imported_scenario(tx: &rusqlite::Transaction<'_>, scenario: &Scenario, dataset_id: &str) -> Result<()> {
    check_scenario_name(&scenario.name)?;
    let now = crate::clock::Timestamp::now().rfc3339();
    let overrides = serde_json::to_string(&scenario.overrides).map_err(|e| Error::internal(e.to_string()))?;
    tx.execute(
        "INSERT INTO scenarios (id, dataset_id, name, description, overrides, created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        rusqlite::params![new_scenario_id(), dataset_id, scenario.name, scenario.description, overrides, now],
    )
    .map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ConstraintViolation) => Error::new(
            crate::ErrorKind::AlreadyExists,
            format!("a scenario named {:?} already exists; nothing was imported. Preview the bundle again", scenario.name),
        ),
        _ => Error::internal(format!("could not save the scenario: {e}")),
    })?;
    Ok(())
}

fn check_scenario_name(name: &str) -> Result<()> {
    if name.eq_ignore_ascii_case("baseline") {
        return Err(Error::invalid("Baseline is built in; give the scenario another name"));
    }
    if name.trim().is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(Error::invalid("give the scenario a name of 1 to 80 characters on one line"));
    }
    Ok(())
}

/// A new scenario's id: random, so no name can collide with another scenario's id.
fn new_scenario_id() -> String {
    format!("scenario-{}", crate::bundle::producer::random_id())
}

/// Every table's effective rows.
pub fn table_rows(conn: &Connection) -> Result<TableRows> {
    let mut out = TableRows::new();
    for t in TABLES {
        out.insert(t.name.to_string(), data_list(conn, t.name)?);
    }
    Ok(out)
}

/// The plan window of a command: `request` over the vault's settings, over the
/// default around `clock` (the current month, which only a front end reads).
pub fn window(conn: &Connection, request: &WindowRequest, clock: Month) -> Result<Horizon> {
    crate::vault::settings::load(conn)?.resolve(request, clock)
}

/// The model input of the saved scenario `scenario_name` (see [`model_input`]).
pub fn named_input(
    conn: &Connection,
    scenario_name: &str,
    request: &WindowRequest,
    clock: Month,
) -> Result<ModelInput> {
    model_input(conn, &scenario(conn, scenario_name)?, request, clock)
}

/// The model input of `scenario` (saved, or a draft being edited) from the vault's
/// data, over the window `request` asks for within the vault's settings, made in the
/// month `clock` unless the settings fix the planning date.
pub fn model_input(
    conn: &Connection,
    scenario: &Scenario,
    request: &WindowRequest,
    clock: Month,
) -> Result<ModelInput> {
    let horizon = window(conn, request, clock)?;
    let tables = table_rows(conn)?;
    if tables.get("products").is_none_or(|p| p.is_empty()) {
        return Err(Error::new(
            crate::ErrorKind::NotFound,
            "the vault holds no products to plan; import a bundle first (or `packplan demo` for the public demo data)",
        ));
    }
    let mut input = assemble(&tables, planned_datasets(conn)?, scenario, &horizon)?;
    let settings = crate::vault::settings::load(conn)?;
    input.marking = settings.classification_label;
    input.marking_policy = settings.marking_policy;
    for d in &mut input.provenance {
        if let Some(newest) = input.capacity.iter().filter(|c| c.dataset == d.id).map(|c| c.as_of.clone()).max() {
            d.as_of = newest;
        }
    }
    Ok(input)
}

/// The datasets a plan is made from (those that hold rows), each dated by its
/// creation day until the caller dates it by its newest figure.
fn planned_datasets(conn: &Connection) -> Result<Vec<DatasetRef>> {
    Ok(list(conn)?
        .into_iter()
        .filter(|d| d.rows.values().sum::<u64>() > 0)
        .map(|d| {
            let as_of = d.created.get(..10).unwrap_or(&d.created).to_string();
            DatasetRef { id: d.id, title: d.title, classification: d.classification, as_of }
        })
        .collect())
}

/// The marking of everything the window can show: the strictest level of the
/// datasets that hold rows (and of the classification setting) in the site's scheme,
/// with their caveats; `None` while the vault holds no data.
pub fn marking(conn: &Connection) -> Result<Option<Marking>> {
    let datasets = planned_datasets(conn)?;
    if datasets.is_empty() {
        return Ok(None);
    }
    let settings = crate::vault::settings::load(conn)?;
    let labels = datasets.iter().map(|d| d.classification.as_str());
    Ok(Some(Marking::strictest(&settings.marking_policy, labels, settings.classification_label.as_deref())))
}

/// Deletes a saved scenario (inside the caller's audited transaction).
pub fn delete_scenario(tx: &rusqlite::Transaction<'_>, name: &str) -> Result<()> {
    let n = tx
        .execute("DELETE FROM scenarios WHERE name = ?1", [name])
        .map_err(|e| Error::internal(format!("could not delete the scenario: {e}")))?;
    if n == 0 {
        return Err(Error::new(crate::ErrorKind::NotFound, format!("there is no saved scenario {name:?}")));
    }
    Ok(())
}

/// Saves a scenario made or edited in the vault, audited (`scenario.save`), after
/// checking that it applies to the vault's data (an override naming a technology the
/// data does not hold is refused here, not at the next plan).
pub fn save_scenario_audited(
    vault: &mut crate::vault::Vault,
    scenario: &Scenario,
    clock: Month,
    actor: &str,
) -> Result<()> {
    vault.read(|c| model_input(c, scenario, &WindowRequest::default(), clock))?;
    let detail = serde_json::json!({ "overrides": scenario.overrides.len() });
    vault.write(crate::vault::Change::new(actor, "scenario.save", &scenario.name, detail), |tx| {
        save_scenario(tx, scenario)
    })
}

/// Deletes a saved scenario, audited (`scenario.delete`).
pub fn delete_scenario_audited(vault: &mut crate::vault::Vault, name: &str, actor: &str) -> Result<()> {
    vault.write(crate::vault::Change::new(actor, "scenario.delete", name, serde_json::json!({})), |tx| {
        delete_scenario(tx, name)
    })
}
