//! The IPC contract as TypeScript: `ui/src/lib/bindings.ts`, generated from the Rust
//! definitions and checked here (tests only; nothing of it ships).
//!
//! `src-tauri/build.rs` reads every `#[tauri::command]` function and writes, per desktop
//! module, the calls that name its arguments and result (`ipc_contract`); the types
//! themselves are turned into TypeScript by ts-rs (`#[derive(TS)]` beside `Serialize`).
//! The test fails with a diff when the committed file differs from what the Rust says;
//! `UPDATE_EXPECT=1 cargo test -p packplan --lib contract` rewrites it.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};

use ts_rs::{Config, TypeVisitor, TS};

use super::auto_lock::LOCKED_EVENT;
use super::IpcError;
use packplan_core::vault::LockReason;

include!(concat!(env!("OUT_DIR"), "/ipc/contracts.rs"));

/// The commands and every type they reach, as the generated file declares them.
pub(super) struct Contract {
    config: Config,
    /// Declared types by TypeScript name: the Rust type and the declaration.
    types: BTreeMap<String, (&'static str, String)>,
    seen: HashSet<TypeId>,
    commands: Vec<Command>,
}

struct Command {
    name: &'static str,
    doc: Vec<&'static str>,
    /// As the page writes them: `name: type` or `name?: type`.
    args: Vec<String>,
    result: String,
}

impl Contract {
    fn new() -> Contract {
        Contract {
            // u64 and i64 cross IPC as JSON numbers (counts, sequence numbers, seeds).
            config: Config::new().with_large_int("number"),
            types: BTreeMap::new(),
            seen: HashSet::new(),
            commands: Vec::new(),
        }
    }

    /// Starts the next command.
    pub(super) fn command(&mut self, name: &'static str, doc: &[&'static str]) -> &mut Self {
        self.commands.push(Command { name, doc: doc.to_vec(), args: Vec::new(), result: "null".into() });
        self
    }

    /// An argument the page must give.
    pub(super) fn arg<T: TS + 'static>(&mut self, name: &str) -> &mut Self {
        let ts = self.reach::<T>();
        self.last().args.push(format!("{name}: {ts}"));
        self
    }

    /// An `Option` argument: the page may leave it out.
    pub(super) fn optional<T: TS + 'static>(&mut self, name: &str) -> &mut Self {
        let ts = self.reach::<T>();
        self.last().args.push(format!("{name}?: {ts}"));
        self
    }

    /// A channel the backend sends `T` on (progress).
    pub(super) fn channel<T: TS + 'static>(&mut self, name: &str) -> &mut Self {
        let ts = self.reach::<T>();
        self.last().args.push(format!("{name}: Channel<{ts}>"));
        self
    }

    /// What the command resolves to (it rejects with an [`IpcError`]).
    pub(super) fn returns<T: TS + 'static>(&mut self) -> &mut Self {
        let ts = self.reach::<T>();
        self.last().result = ts;
        self
    }

    fn last(&mut self) -> &mut Command {
        self.commands.last_mut().expect("the generated contract names the command before its arguments")
    }

    /// `T` as TypeScript, with `T` and every type it names declared.
    fn reach<T: TS + 'static>(&mut self) -> String {
        self.visit::<T>();
        T::name(&self.config)
    }

    /// The whole file.
    fn typescript(&self) -> String {
        let mut out = String::from(
            "// Generated from the Rust definitions (ts-rs and src-tauri/build.rs); do not edit.\n\
             // Rewrite it with `UPDATE_EXPECT=1 cargo test -p packplan --lib contract`; a test fails\n\
             // while it differs from the Rust. ui/src/lib/ipc.ts is the module that uses it.\n\
             import type { Channel } from \"@tauri-apps/api/core\";\n\n",
        );
        out.push_str(&format!(
            "/** The event the backend emits when the vault locks; its payload is a `LockReason`. */\n\
             export const LOCKED_EVENT = {LOCKED_EVENT:?};\n\n"
        ));
        for (_, decl) in self.types.values() {
            out.push_str(decl);
            out.push_str("\n\n");
        }
        out.push_str("/** Every IPC command: its arguments, named as the page passes them, and its result. */\n");
        out.push_str("export interface Commands {\n");
        for c in &self.commands {
            if !c.doc.is_empty() {
                out.push_str(&format!("  /** {} */\n", c.doc.join(" ")));
            }
            let args = if c.args.is_empty() {
                "Record<string, never>".to_owned()
            } else {
                format!("{{ {} }}", c.args.join("; "))
            };
            out.push_str(&format!("  {}: {{ args: {args}; result: {} }};\n", c.name, c.result));
        }
        out.push_str("}\n");
        out
    }
}

impl TypeVisitor for Contract {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        if T::output_path().is_some() {
            let name = T::ident(&self.config);
            let decl = format!("{}export {}", T::docs().unwrap_or_default(), T::decl(&self.config));
            let rust = std::any::type_name::<T>();
            match self.types.get(&name) {
                // one TypeScript type for several Rust ones (serde_json::Value and ts-rs's shadow of it)
                Some((_, same)) if *same == decl => {}
                Some((other, _)) => panic!(
                    "{other} and {rust} are both called {name} in TypeScript; rename one with #[ts(rename = \"...\")]"
                ),
                None => {
                    self.types.insert(name, (rust, decl));
                }
            }
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// The contract of every command, and the types the page meets outside them.
fn contract() -> Contract {
    let mut contract = Contract::new();
    all_commands(&mut contract);
    contract.visit::<IpcError>(); // what every command rejects with
    contract.visit::<LockReason>(); // the payload of LOCKED_EVENT
    contract
}

mod tests {
    use super::*;

    #[test]
    fn the_ui_bindings_are_what_the_rust_definitions_say() {
        expect_test::expect_file!["../../ui/src/lib/bindings.ts"].assert_eq(&contract().typescript());
    }

    #[test]
    fn every_registered_command_is_in_the_contract() {
        let contract = contract();
        let described: Vec<&str> = contract.commands.iter().map(|c| c.name).collect();
        assert!(!described.is_empty());
        assert_eq!(described, super::super::COMMANDS);
    }

    #[test]
    fn arguments_are_named_as_the_page_passes_them() {
        let contract = contract();
        let preview = contract.commands.iter().find(|c| c.name == "bundle_preview").unwrap();
        assert_eq!(
            preview.args,
            [
                "passphrase?: string | null",
                "allowUnsigned: boolean",
                "allowUnknownSigner: boolean",
                "onProgress: Channel<ProgressReport>"
            ]
        );
        assert_eq!(preview.result, "Preview");
        assert!(contract.types.contains_key("Preview") && contract.types.contains_key("ProgressReport"));
    }
}
