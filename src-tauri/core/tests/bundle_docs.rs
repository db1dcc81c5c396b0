//! docs/bundle-format.md carries the column reference generated from the table
//! declarations; this test keeps the two equal. After changing a table, run
//! `UPDATE_DOCS=1 cargo test -p packplan-core --test bundle_docs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use packplan_core::bundle::tables::reference_markdown;

#[test]
fn the_format_doc_lists_every_column_as_declared() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bundle-format.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let begin = doc.find("<!-- tables:begin").expect("the tables:begin marker");
    let begin = begin + doc[begin..].find("-->").unwrap() + 3;
    let end = doc.find("<!-- tables:end -->").expect("the tables:end marker");
    let wanted = format!("\n\n{}", reference_markdown());
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &doc[..begin], wanted, &doc[end..])).unwrap();
        return;
    }
    assert_eq!(&doc[begin..end], wanted, "docs/bundle-format.md is out of date: run with UPDATE_DOCS=1");
}
