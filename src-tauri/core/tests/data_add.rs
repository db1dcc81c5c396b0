//! Adding rows of one's own, as the Data screen and the order form do: a valid row
//! is planned by the model, traced to this vault, audited and can be removed again;
//! an invalid one is refused with every problem named, and changes nothing; an
//! imported row cannot be removed from under its dataset.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeMap;
use support::demo::vault_with_demo;

use packplan_core::dataset::add::{self, NewRow};
use packplan_core::dataset::browse::{self, Query};
use packplan_core::dataset::edit::{self, Edit};
use packplan_core::dataset::model_input;
use packplan_core::horizon::WindowRequest;
use packplan_core::model::run::{run, RunOptions};
use packplan_core::progress::{CancelToken, NoProgress};
use packplan_core::vault::digest::logical_digest;
use packplan_core::vault::Vault;
use packplan_core::ErrorKind;

fn order(id: &str, cells: &[(&str, &str)]) -> NewRow {
    let mut all: BTreeMap<String, String> = [
        ("id", id),
        ("product_id", "b300"),
        ("quantity", "512"),
        ("needed_by", "2027-12"),
        ("obtainable_share", "0.002"),
        ("priority", "2"),
        ("placed", "2026-12"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in cells {
        all.insert(k.to_string(), v.to_string());
    }
    NewRow { table: "orders".into(), cells: all }
}

fn planned_orders(vault: &Vault) -> Vec<(String, u64)> {
    let today = "2026-12".parse().unwrap();
    let input = vault.read(|c| model_input::named_input(c, "Baseline", &WindowRequest::default(), today)).unwrap();
    input.orders.iter().map(|o| (o.id.clone(), o.quantity)).collect()
}

fn order_row(vault: &Vault, id: &str) -> Option<browse::TableRow> {
    let page = vault.read(|c| browse::page(c, "orders", &Query::default())).unwrap();
    page.rows.into_iter().find(|r| r.key == [id])
}

#[test]
fn an_added_order_is_planned_traced_audited_and_removable() {
    let (_dir, mut vault) = vault_with_demo();
    let added = add::add(&mut vault, &order("cluster-b", &[]), "test").unwrap();
    assert_eq!(added.key, ["cluster-b"]);

    let row = order_row(&vault, "cluster-b").expect("the table shows the new row");
    assert_eq!(row.origin.dataset_id, "local");
    assert!(row.replaces.is_none(), "it stands in for no imported row");
    assert_eq!(planned_orders(&vault), [("cluster-a".to_string(), 2048), ("cluster-b".to_string(), 512)]);

    // the model delivers it, no earlier than its placing allows
    let today = "2026-12".parse().unwrap();
    let input = vault.read(|c| model_input::named_input(c, "Baseline", &WindowRequest::default(), today)).unwrap();
    let result = run(&input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
    let b = result.orders.iter().find(|o| o.order == "cluster-b").expect("the new order is planned");
    assert!(b.completion.is_some_and(|c| c > "2027-01".parse().unwrap()), "{:?}", b.completion);
    // the vault's own dataset is named among the sources, dated by a day as the others are
    let local = input.provenance.iter().find(|d| d.id == "local").expect("the local dataset is a source");
    assert_eq!(local.as_of, packplan_core::clock::Timestamp::now().date());

    let log = vault.audit_list(10).unwrap();
    let entry = log.iter().find(|e| e.action == "data.add").expect("audited");
    assert_eq!(entry.subject, "orders cluster-b");
    assert_eq!(entry.detail["cells"]["quantity"], "512");

    add::remove_added(&mut vault, "orders", &["cluster-b".into()], "test").unwrap();
    assert!(order_row(&vault, "cluster-b").is_none());
    assert_eq!(planned_orders(&vault), [("cluster-a".to_string(), 2048)]);
    assert!(vault.audit_list(10).unwrap().iter().any(|e| e.action == "data.remove" && e.subject == "orders cluster-b"));
}

#[test]
fn an_order_with_an_allocation_waits_for_it_and_is_capped_by_it() {
    let (_dir, mut vault) = vault_with_demo();
    let terms = [("allocation_per_month", "100"), ("allocation_from", "2027-06"), ("queue_ahead", "50")];
    add::add(&mut vault, &order("cluster-b", &terms), "test").unwrap();
    let today = "2026-12".parse().unwrap();
    let input = vault.read(|c| model_input::named_input(c, "Baseline", &WindowRequest::default(), today)).unwrap();
    let result = run(&input, &RunOptions::default(), &NoProgress, &CancelToken::new()).unwrap();
    let b = result.orders.iter().find(|o| o.order == "cluster-b").unwrap();
    // 0.2% of B300's output is far above 100 a month: the allocation binds. June's 100
    // go to the 50 ahead first; 512 then take 50 + 4 x 100 + 62: packaged June to
    // November, arriving three months later
    let first = b.packaged.iter().position(|p| *p > 0.0).map(|i| input.start.plus(i as i32));
    assert_eq!(first, Some("2027-06".parse().unwrap()));
    assert!(b.packaged.iter().all(|p| *p <= 100.0 + 1e-9), "{:?}", b.packaged);
    assert_eq!(b.completion, Some("2028-02".parse().unwrap()));
    let report = packplan_core::report::overview::orders(&input, &result);
    let shown = report.iter().find(|o| o.order == "cluster-b").unwrap();
    assert_eq!(shown.supply, "0.20% of B300's output; at most 100 a month from Jun 2027; 50 ahead in the queue");
}

#[test]
fn a_capacity_figure_of_ones_own_is_dated_today() {
    let (_dir, mut vault) = vault_with_demo();
    let cells: BTreeMap<String, String> = [
        ("technology_id", "cowos-l"),
        ("facility_id", "tsmc-cowos"),
        ("month", "2027-06"),
        ("low", "40000"),
        ("base", "45000"),
        ("high", "50000"),
        ("unit", "wafers/month"),
        ("source", "call with the supplier, 2026-11-30"),
        ("confidence", "B"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let added = add::add(&mut vault, &NewRow { table: "capacity_observations".into(), cells }, "test");
    let added = match added {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    let page =
        vault.read(|c| browse::page(c, "capacity_observations", &Query { limit: 500, ..Query::default() })).unwrap();
    let row = page.rows.iter().find(|r| r.key == added.key).expect("in effect");
    let as_of = page.columns.iter().position(|c| c.name == "as_of").unwrap();
    assert_eq!(row.cells[as_of], packplan_core::clock::Timestamp::now().date());
    assert_eq!(row.source.as_deref(), Some("call with the supplier, 2026-11-30"));
}

#[test]
fn invalid_rows_name_every_problem_and_change_nothing() {
    let (_dir, mut vault) = vault_with_demo();
    let digest = vault.read(logical_digest).unwrap();
    let audit = vault.audit_list(1000).unwrap().len();

    let err = add::add(
        &mut vault,
        &order("cluster-b", &[("quantity", "lots"), ("needed_by", "June"), ("priority", "")]),
        "test",
    )
    .unwrap_err();
    let message = err.to_string();
    for says in [
        "quantity: \"lots\" is not a whole number",
        "needed_by: \"June\" is not a month",
        "priority: the value is missing",
    ] {
        assert!(message.contains(says), "{says:?} missing from: {message}");
    }
    assert!(message.contains("correct these and add it again"), "{message}");

    let cases = [
        (order("cluster-a", &[]), "orders already has a row cluster-a; choose another id"),
        (order("cluster-b", &[("product_id", "h900")]), "\"h900\" is not an id in products"),
        (order("cluster-b", &[("obtainable_share", "5")]), "above 1 (a percentage?)"),
        (order("cluster-b", &[("colour", "red")]), "orders has no column \"colour\""),
        (NewRow { table: "nowhere".into(), cells: BTreeMap::new() }, "there is no table"),
    ];
    for (bad, says) in cases {
        let err = add::add(&mut vault, &bad, "test").unwrap_err();
        assert!(err.to_string().contains(says), "{says:?} missing from: {err}");
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    }
    assert_eq!(vault.read(logical_digest).unwrap(), digest, "nothing changed");
    assert_eq!(vault.audit_list(1000).unwrap().len(), audit, "nothing was recorded");
}

#[test]
fn a_row_the_model_would_refuse_is_not_added() {
    let (_dir, mut vault) = vault_with_demo();
    add::add(&mut vault, &order("phase-1", &[("supply_line", "dell"), ("allocation_per_month", "100")]), "test")
        .unwrap();
    let digest = vault.read(logical_digest).unwrap();
    // a second order on the same line with another allocation: every cell is valid,
    // but a line has one allocation
    let other = order("phase-2", &[("supply_line", "dell"), ("allocation_per_month", "250")]);
    let err = add::add(&mut vault, &other, "test").unwrap_err().to_string();
    assert!(err.contains("with it the data cannot be planned"), "{err}");
    assert!(err.contains("different allocations or queues"), "{err}");
    assert_eq!(vault.read(logical_digest).unwrap(), digest, "nothing changed");
    // the same allocation is a second phase of one contract
    add::add(&mut vault, &order("phase-2", &[("supply_line", "dell"), ("allocation_per_month", "100")]), "test")
        .unwrap();
}

#[test]
fn imported_rows_are_not_removed_from_under_their_dataset() {
    let (_dir, mut vault) = vault_with_demo();
    let digest = vault.read(logical_digest).unwrap();
    let err = add::remove_added(&mut vault, "orders", &["cluster-a".into()], "test").unwrap_err();
    assert!(err.to_string().contains("came from the dataset"), "{err}");
    assert!(err.to_string().contains("remove that dataset on the Data screen"), "{err}");
    let missing = add::remove_added(&mut vault, "orders", &["nonesuch".into()], "test").unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
    assert_eq!(vault.read(logical_digest).unwrap(), digest, "nothing changed");

    // an edit of an imported row is undone by Revert, not removed
    let edit =
        Edit { table: "orders".into(), key: vec!["cluster-a".into()], column: "quantity".into(), value: "4096".into() };
    edit::apply(&mut vault, &edit, "test").unwrap();
    let err = add::remove_added(&mut vault, "orders", &["cluster-a".into()], "test").unwrap_err();
    assert!(err.to_string().contains("Revert brings its imported values back"), "{err}");
    assert_eq!(planned_orders(&vault), [("cluster-a".to_string(), 4096)]);
}

#[test]
fn a_block_pasted_from_a_spreadsheet_adds_every_row_in_one_change_or_none() {
    let (_dir, mut vault) = vault_with_demo();
    let digest = |v: &Vault| v.read(logical_digest).unwrap();
    // as Excel copies cells: tab-separated, the header row, a percentage, a thousands separator
    let block = "id\tproduct_id\tquantity\tneeded_by\tobtainable_share\tpriority\tplaced\n\
                 phase-1\tb300\t1,024\t2027-12\t0.2%\t2\t2026-12\n\
                 phase-2\tb300\t512\t2028-03\t0.1%\t3\t2026-12\n";
    let pasted = add::PastedBlock { table: "orders".into(), text: block.into() };
    let added = add::add_block(&mut vault, &pasted, "analyst").unwrap();
    assert_eq!(added.iter().map(|a| a.key[0].as_str()).collect::<Vec<_>>(), ["phase-1", "phase-2"]);
    let planned = planned_orders(&vault);
    assert!(planned.contains(&("phase-1".into(), 1024)) && planned.contains(&("phase-2".into(), 512)), "{planned:?}");
    let entry = &vault.audit_list(1).unwrap()[0];
    assert_eq!((entry.action.as_str(), entry.subject.as_str()), ("data.add", "orders (2 rows pasted)"));
    assert_eq!(entry.detail["rows"][0]["obtainable_share"], "0.002");
    // each pasted row is a row of one's own: removable on its own
    add::remove_added(&mut vault, "orders", &["phase-2".into()], "analyst").unwrap();
    assert!(order_row(&vault, "phase-2").is_none() && order_row(&vault, "phase-1").is_some());

    // a block with any problem adds nothing, and names each problem by line
    let before = digest(&vault);
    let bad = "phase-3\tb300\t100\t2028-01\t0.001\t2\n\
               phase-3\tb300\t100\t2028-02\t0.001\t2\n\
               phase-4\tb300\tlots\tJune\t0.001\t2\n\
               phase-5\tb300\t1\t2028-01\t0.001\t1\tnote\t2026-12\t\t\t\t\t\t\t\t\t\textra\n";
    let e = add::add_block(&mut vault, &add::PastedBlock { table: "orders".into(), text: bad.into() }, "analyst")
        .unwrap_err();
    let said = e.message();
    assert!(said.starts_with("nothing was added to orders"), "{said}");
    for part in [
        "line 2 repeats the row phase-3 of line 1",
        "line 3: quantity: \"lots\" is not a whole number",
        "line 3: needed_by: \"June\" is not a month",
        "line 4 has 18 cells, the block 16 columns",
    ] {
        assert!(said.contains(part), "{part:?} missing from: {said}");
    }
    assert_eq!(digest(&vault), before, "the vault is as it was");
}
