//! The fuzz corpora (`fuzz/corpus/<target>/`) and regression inputs
//! (`fuzz/regressions/<target>/`), replayed on the stable toolchain through the same
//! entry points the cargo-fuzz targets call (`packplan_core::fuzzing`): every input
//! must return `Ok` or an error with a message, never panic. The seeds the corpora
//! started from are rebuilt from `assets/demo` and must pass every check, so the
//! fuzzers keep reaching the deep code (docs/security.md, "Fuzzing").
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use packplan_core::bundle::container::{seal, NewBundle};
use packplan_core::bundle::envelope::{self, Opening, Sealing};
use packplan_core::bundle::limits::Limits;
use packplan_core::bundle::rows::rows_from_csv;
use packplan_core::bundle::signing::SigningKey;
use packplan_core::bundle::tables::TABLES;
use packplan_core::fuzzing::{verdict, Target, BUNDLE_ARCHIVE, BUNDLE_FILE, WORKBOOK_CSV, WORKBOOK_FILE};
use packplan_core::horizon::Horizon;
use packplan_core::model::assemble::assemble;
use packplan_core::model::input::{Correlation, ModelInput};
use packplan_core::model::scenario::parse_file as parse_scenarios;
use packplan_core::model::scenario::Scenario;
use packplan_core::progress::{CancelToken, NoProgress};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Runs `target` on `data`: whether the input passed every check (`Ok`), or the reason
/// the harness fails it (a panic, or an error with no message or of kind `internal`).
fn replay(target: Target, data: &[u8]) -> Result<bool, String> {
    match catch_unwind(AssertUnwindSafe(|| target.run(data))) {
        Ok(outcome) => verdict(&outcome).map(|()| outcome.is_ok()),
        Err(panic) => Err(format!(
            "panicked: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)")
        )),
    }
}

#[test]
fn every_corpus_and_regression_input_returns_cleanly() {
    let mut failures = Vec::new();
    for target in Target::ALL {
        let corpus = files_in(&repo().join("fuzz/corpus").join(target.name()));
        assert!(corpus.len() >= 3, "the corpus of {} is missing (fuzz/corpus/{0})", target.name());
        let regressions = files_in(&repo().join("fuzz/regressions").join(target.name()));
        let mut passed = 0;
        for path in corpus.iter().chain(&regressions) {
            let data = std::fs::read(path).unwrap();
            let start = std::time::Instant::now();
            match replay(target, &data) {
                Ok(ok) => passed += usize::from(ok),
                Err(why) => failures.push(format!("{} {}: {why}", target.name(), path.display())),
            }
            // the fuzzers allow 10 s (optimised); every input here takes milliseconds
            if start.elapsed().as_secs() >= 10 {
                failures.push(format!("{} {}: took {:?}", target.name(), path.display(), start.elapsed()));
            }
        }
        // inputs that pass every check keep the corpus reaching the end of the code
        assert!(passed > 0, "no input of the {} corpus passes every check", target.name());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_seeds_pass_every_check() {
    for target in Target::ALL {
        for (name, data) in seeds(target) {
            let outcome = target.run(&data);
            if name.ends_with("-alone") {
                // one table without the others it refers to: refused, but cleanly
                assert_eq!(verdict(&outcome), Ok(()), "{} seed {name}", target.name());
            } else {
                assert!(outcome.is_ok(), "{} seed {name}: {}", target.name(), outcome.unwrap_err());
            }
        }
    }
}

#[test]
fn garbage_returns_cleanly() {
    for target in Target::ALL {
        for data in [&b""[..], b"\x00", b"\x01", b"\x00age-encryption.org/v1\n", b"{}", b"id\n\x00\x00", &[0xff; 64]] {
            let outcome = replay(target, data);
            assert!(outcome.is_ok(), "{} on {data:?}: {outcome:?}", target.name());
        }
    }
}

/// Writes the small seeds into `fuzz/corpus/<target>/seed-*` (run by hand when the demo
/// changes: `cargo test -p packplan-core --test fuzz_corpus -- --ignored write_seeds`).
/// The full demo seeds are only checked here: inputs of tens of kB would make the
/// fuzzer's every input that large.
#[test]
#[ignore]
fn write_seeds() {
    for target in Target::ALL {
        let dir = repo().join("fuzz/corpus").join(target.name());
        std::fs::create_dir_all(&dir).unwrap();
        for (name, data) in seeds(target).into_iter().filter(|(name, _)| name.starts_with("small")) {
            std::fs::write(dir.join(format!("seed-{name}")), data).unwrap();
        }
    }
}

fn demo() -> PathBuf {
    repo().join("assets/demo")
}

/// The demo tables, each as CSV, in the order of [`TABLES`].
fn demo_tables() -> Vec<Vec<u8>> {
    TABLES.iter().map(|t| std::fs::read(demo().join(t.file_name())).unwrap()).collect()
}

/// A small, consistent part of the demo: one product on two routes, the technologies and
/// facilities it needs, one capacity figure per facility and technology, short texts.
fn small_tables() -> Vec<Vec<u8>> {
    let products = ["b300"];
    let technologies = ["cowos", "cowos-l", "cowos-like", "n4", "hbm3e", "abf"];
    let facilities = ["tsmc-cowos", "ase-k", "tsmc-fab18", "skh-icheon", "ibiden-ogaki"];
    let suppliers = ["tsmc", "ase", "sk-hynix", "ibiden"];
    let keep = |table: &str, column: &str, value: &str| match (table, column) {
        ("technologies", "id") | (_, "technology_id" | "logic_technology_id" | "hbm_technology_id") => {
            technologies.contains(&value)
        }
        ("products", "id") | (_, "product_id") => products.contains(&value),
        ("facilities", "id") | (_, "facility_id") => facilities.contains(&value),
        ("suppliers", "id") | (_, "supplier_id") => suppliers.contains(&value),
        // demand and qualifications of the one vendor kept
        ("demand" | "qualifications", "customer") => value == "NVIDIA",
        _ => true,
    };
    TABLES
        .iter()
        .zip(demo_tables())
        .map(|(table, bytes)| {
            let mut reader = csv::Reader::from_reader(&bytes[..]);
            let headers = reader.headers().unwrap().clone();
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(&headers).unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for record in reader.records() {
                let record = record.unwrap();
                let kept = headers.iter().zip(&record).all(|(column, value)| keep(table.name, column, value));
                let first = seen.insert((record.get(0).unwrap().to_owned(), record.get(1).unwrap().to_owned()));
                if kept && (table.name != "capacity_observations" || first) {
                    // short texts keep the inputs, and so every input the fuzzer makes, small
                    let short = headers.iter().zip(&record).map(|(column, value)| match column {
                        "source" => "demo",
                        "notes" | "note" => "",
                        _ => value,
                    });
                    writer.write_record(short).unwrap();
                }
            }
            writer.into_inner().unwrap()
        })
        .collect()
}

fn demo_scenarios() -> Vec<Scenario> {
    let demo = parse_scenarios(&std::fs::read(demo().join("scenarios.json")).unwrap()).unwrap();
    std::iter::once(Scenario::baseline()).chain(demo).collect()
}

fn table_files(tables: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    TABLES.iter().zip(tables).map(|(t, bytes)| (t.file_name(), bytes.clone())).collect()
}

/// A bundle of `tables` and `scenarios.json` made as `packplan bundle create` makes it.
fn bundle(tables: &[Vec<u8>], scenarios: &[u8], signed: bool, addressed: bool) -> Vec<u8> {
    let identity = std::fs::read_to_string(demo().join("keys/demo-identity.txt")).unwrap();
    let ids = envelope::parse_identities(&identity).unwrap();
    let recipient = ids[0].to_public().to_string();
    let key =
        SigningKey::from_secret_text(&std::fs::read_to_string(demo().join("keys/demo-issuer.key")).unwrap()).unwrap();
    let mut files = table_files(tables);
    files.push(("scenarios.json".into(), scenarios.to_vec()));
    let new = NewBundle {
        bundle_id: "fuzz-seed-0001".into(),
        producer_seq: 7,
        created: "2026-01-01T00:00:00Z".into(),
        title: "Fuzz seed".into(),
        classification: "ILLUSTRATIVE: PUBLIC ESTIMATES".into(),
        schema_version: 1,
        intended_recipients: addressed.then(|| vec![recipient]),
        files,
    };
    let to = Sealing::Recipients(ids.iter().map(|i| i.to_public()).collect());
    seal(&new, signed.then_some(&key), &to, false).unwrap()
}

/// The plaintext archive of a bundle file encrypted to the demo identity.
fn archive_of(file: &[u8]) -> Vec<u8> {
    let identity = std::fs::read_to_string(demo().join("keys/demo-identity.txt")).unwrap();
    let ids = envelope::parse_identities(&identity).unwrap();
    let opening = Opening::Identities(&ids);
    envelope::open(file, &opening, &Limits::default(), &NoProgress, &CancelToken::new()).unwrap().to_vec()
}

fn armored(file: &[u8]) -> Vec<u8> {
    let identity = std::fs::read_to_string(demo().join("keys/demo-identity.txt")).unwrap();
    let ids = envelope::parse_identities(&identity).unwrap();
    let to = Sealing::Recipients(ids.iter().map(|i| i.to_public()).collect());
    envelope::seal(&archive_of(file), &to, true).unwrap()
}

/// Model inputs of `tables` under every scenario (the overrides that match the data).
fn model_inputs(tables: &[Vec<u8>], horizon: &Horizon) -> Vec<ModelInput> {
    let rows = rows_from_csv(&table_files(tables), "demo").unwrap();
    let baseline = assemble(&rows, Vec::new(), &Scenario::baseline(), horizon).unwrap();
    demo_scenarios()
        .into_iter()
        .map(|mut scenario| {
            scenario.overrides.retain(|o| o.apply(&mut baseline.clone()).is_ok());
            assemble(&rows, Vec::new(), &scenario, horizon).unwrap()
        })
        .collect()
}

/// Valid inputs built from the public demo data: `small-*` seed the corpora.
fn seeds(target: Target) -> Vec<(String, Vec<u8>)> {
    let prefixed = |mode: u8, bytes: &[u8]| [&[mode][..], bytes].concat();
    match target {
        Target::BundleOpen => {
            let demo_file = std::fs::read(demo().join("demo.ppb")).unwrap();
            // the archive and manifest are the matter here (csv_tables fuzzes the tables)
            let scenarios =
                br#"[{"name": "Slip", "overrides": [{"kind": "shift_ramp", "technology": "copos", "months": 6}]}]"#;
            let small = bundle(&small_tables()[..3], scenarios, true, false);
            let unsigned = bundle(&small_tables()[..1], b"[]", false, true);
            vec![
                ("demo-file".into(), prefixed(BUNDLE_FILE, &demo_file)),
                ("demo-archive".into(), prefixed(BUNDLE_ARCHIVE, &archive_of(&demo_file))),
                ("small-file".into(), prefixed(BUNDLE_FILE, &small)),
                ("small-armored".into(), prefixed(BUNDLE_FILE, &armored(&small))),
                ("small-archive".into(), prefixed(BUNDLE_ARCHIVE, &archive_of(&small))),
                ("small-unsigned-addressed".into(), prefixed(BUNDLE_ARCHIVE, &archive_of(&unsigned))),
            ]
        }
        Target::CsvTables => {
            let mut seeds = vec![
                ("demo-tables".to_owned(), demo_tables().join(&0u8)),
                ("small-tables".to_owned(), small_tables().join(&0u8)),
            ];
            // every table alone (refused for its dangling references, cleanly)
            for (i, table) in TABLES.iter().enumerate() {
                let mut alone = vec![Vec::new(); TABLES.len()];
                alone[i] = small_tables()[i].clone();
                seeds.push((format!("small-{}-alone", table.name), alone.join(&0u8)));
            }
            seeds
        }
        Target::Workbook => {
            let template = packplan_core::bundle::template_workbook::template_workbook().unwrap();
            // the template's tables as CSV, semicolon-separated with decimal commas, as a
            // German Excel saves them
            let csv: Vec<Vec<u8>> = TABLES
                .iter()
                .map(|t| {
                    let text = packplan_core::bundle::tables::template_csv(t);
                    let mut out = String::new();
                    for line in text.lines() {
                        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(line.as_bytes());
                        let cells: Vec<String> = r
                            .records()
                            .next()
                            .map(|rec| rec.unwrap().iter().map(|c| c.replace('.', ",")).collect())
                            .unwrap_or_default();
                        let quoted: Vec<String> = cells.iter().map(|c| format!("\"{c}\"")).collect();
                        out.push_str(&quoted.join(";"));
                        out.push('\n');
                    }
                    out.into_bytes()
                })
                .collect();
            vec![
                ("small-template.xlsx".into(), prefixed(WORKBOOK_FILE, &template)),
                ("small-template-csv".into(), prefixed(WORKBOOK_CSV, &small_tables().join(&0u8))),
                ("small-template-csv-eu".into(), prefixed(WORKBOOK_CSV | 2 | 4, &csv.join(&0u8))),
            ]
        }
        Target::ModelInput => {
            let mut seeds: Vec<(String, Vec<u8>)> = model_inputs(
                &demo_tables(),
                &packplan_core::horizon::Horizon {
                    today: "2025-01".parse().unwrap(),
                    start: "2025-01".parse().unwrap(),
                    months: 60,
                },
            )
            .iter()
            .enumerate()
            .map(|(i, input)| (format!("demo-scenario-{i}.json"), input.to_json().into_bytes()))
            .collect();
            let horizon = Horizon { today: "2026-01".parse().unwrap(), start: "2026-01".parse().unwrap(), months: 12 };
            for (i, mut input) in model_inputs(&small_tables(), &horizon).into_iter().enumerate() {
                if i == 0 {
                    // the optional fields the demo scenarios leave out
                    input.correlations.push(Correlation {
                        a: "capacity cowos-l".into(),
                        b: "capacity copos".into(),
                        rho: 0.5,
                    });
                    input.products[0].demand_cap_per_month = Some(1000.0);
                    input.marking = Some("ILLUSTRATIVE: PUBLIC ESTIMATES".into());
                }
                let json = serde_json::to_string(&input).unwrap();
                seeds.push((format!("small-scenario-{i}.json"), json.into_bytes()));
            }
            seeds
        }
    }
}
