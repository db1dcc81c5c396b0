//! Fuzz target `model_input`: see `packplan_core::fuzzing::Target::ModelInput` and docs/security.md.
#![no_main]

use libfuzzer_sys::fuzz_target;
use packplan_core::fuzzing::{verdict, Target};

fuzz_target!(|data: &[u8]| {
    if let Err(why) = verdict(&Target::ModelInput.run(data)) {
        panic!("{why}");
    }
});
