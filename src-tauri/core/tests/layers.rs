//! The core's layers, checked: every `crate::` path in `src/` must point to a module
//! of the same layer or a lower one (ARCHITECTURE.md, "Architecture invariants").
//! Lower never imports higher, so there are no cycles between layers:
//!
//! leaf values -> bundle -> model -> chart -> vault -> dataset -> report -> front ends
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The layers, lowest first, each with its top-level modules.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaf values",
        &[
            "about",
            "carrier",
            "classification",
            "clock",
            "error",
            "grade",
            "horizon",
            "location",
            "month",
            "printable",
            "progress",
            "stage",
            "testpoint",
            "write_file",
        ],
    ),
    ("bundle", &["bundle", "release"]),
    ("model", &["model"]),
    ("chart", &["chart"]),
    ("vault", &["vault"]),
    ("dataset", &["dataset", "demo"]),
    ("report", &["report"]),
    ("front ends", &["fuzzing"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, modules)| modules.contains(&module))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The code of a Rust file without its comments and the contents of its string literals.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                let mut escaped = false;
                for c in chars.by_ref() {
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push_str("\"\"");
            }
            c => out.push(c),
        }
    }
    out
}

/// The top-level modules a file's code names as `crate::<module>`, with their line numbers.
fn uses(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            rest = &after[name.len()..];
            if !name.is_empty() {
                out.push((i + 1, name));
            }
        }
        // `use crate::{a, b::c}` names several modules at once
        if let Some(at) = line.find("crate::{") {
            let list = &line[at + "crate::{".len()..];
            for part in list.split(',') {
                let name: String = part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
                    out.push((i + 1, name));
                }
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    let mut checked = 0;
    for file in files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let module =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let Some(own) = layer_of(&module) else {
            violations.push(format!(
                "src/{}: the module {module} is in no layer; add it to LAYERS and to ARCHITECTURE.md",
                relative.display()
            ));
            continue;
        };
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (line, used) in uses(&code) {
            checked += 1;
            // names that are not modules (the crate's own error types at its root)
            if matches!(used.as_str(), "Error" | "ErrorKind" | "Result") {
                continue;
            }
            match layer_of(&used) {
                Some(theirs) if theirs <= own => {}
                Some(theirs) => violations.push(format!(
                    "src/{}:{line}: {module} ({}) uses crate::{used} ({}), a higher layer",
                    relative.display(),
                    LAYERS[own].0,
                    LAYERS[theirs].0
                )),
                None => violations.push(format!("src/{}:{line}: crate::{used} is in no layer", relative.display())),
            }
        }
    }
    assert!(checked > 100, "only {checked} crate:: paths found: the scan is broken");
    assert!(violations.is_empty(), "{} imports against the layer order:\n{}", violations.len(), violations.join("\n"));
}

#[test]
fn the_scan_sees_what_it_must() {
    let code = code_only(
        "use crate::vault::Vault; // crate::chart in a comment\nlet s = \"crate::report\";\n/* crate::dataset */ use crate::{month::Month, bundle};",
    );
    let names: Vec<String> = uses(&code).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["vault", "month", "bundle"]);
}
