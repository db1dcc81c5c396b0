//! The demo dataset's CSV sources (assets/demo) are valid bundle tables: every
//! row parses, every reference resolves, and every row names its source and date.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use packplan_core::bundle::tables::{check_references, parse, TABLES};

#[test]
fn every_demo_table_is_valid_and_sourced() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for table in TABLES {
        let path = dir.join(table.file_name());
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (p, mut found) = parse(table, &bytes);
        problems.append(&mut found);
        if let Some(source) = table.column("source") {
            for row in &p.rows {
                assert!(
                    row.values[source].as_str().is_some_and(|s| s.len() > 5),
                    "{}:{} has no source",
                    table.file_name(),
                    row.line
                );
            }
        }
        assert!(!p.rows.is_empty(), "{} is empty", table.file_name());
        parsed.push(p);
    }
    problems.extend(check_references(&parsed, &Default::default()));
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(text.is_empty(), "{}", text.join("\n"));
}
