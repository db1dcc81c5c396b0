//! Fuzz target `workbook`: see `packplan_core::fuzzing::Target::Workbook` and docs/security.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packplan_core::fuzzing::{verdict, Target};

fuzz_target!(|data: &[u8]| {
    if let Err(why) = verdict(&Target::Workbook.run(data)) {
        panic!("{why}");
    }
});
