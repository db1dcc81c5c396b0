//! Build script: generates Tauri's context, and the whole IPC surface from its one
//! source, the commands themselves: every `#[tauri::command]` function in
//! `src-tauri/desktop/*.rs`. From them it writes, into `OUT_DIR/ipc/`:
//! - the app manifest's command list, so each command needs a grant, and the permission
//!   set `commands` (every command) that `capabilities/main.json` grants the main window;
//! - `handler.rs`: the `generate_handler!` list that `desktop::configure` registers;
//! - `commands.rs`: `desktop::COMMANDS`, the names;
//! - `contract_<module>.rs`: each command's arguments and result, from which the tests
//!   generate the UI's types (`ui/src/lib/bindings.ts`, see `desktop/contract.rs`).
//!
//! Adding a command is writing the function: nothing else lists it.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use quote::ToTokens;

/// Where the commands are: the desktop shell, the only module that knows Tauri.
const DESKTOP: &str = "src-tauri/desktop";

/// Arguments Tauri fills in itself (the page never passes them).
const INJECTED: &[&str] = &["State", "AppHandle", "Window", "Webview", "WebviewWindow"];

/// One `#[tauri::command]` function.
struct Command {
    module: String,
    name: String,
    doc: Vec<String>,
    args: Vec<Arg>,
    /// The success type (`T` of `Result<T, IpcError>`), as Rust tokens.
    result: String,
}

/// An argument the page passes.
struct Arg {
    /// As the page names it: Tauri turns `on_progress` into `onProgress`.
    name: String,
    /// The Rust type, as tokens (for a channel: the type of its messages).
    ty: String,
    kind: ArgKind,
}

#[derive(PartialEq)]
enum ArgKind {
    /// Must be given.
    Required,
    /// `Option<T>`: may be left out.
    Optional,
    /// `Channel<T>`: a channel the backend reports on.
    Channel,
}

fn main() {
    if let Err(error) = build() {
        eprintln!("packplan build script: {error:#}");
        std::process::exit(1);
    }
}

fn build() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("ipc");
    std::fs::create_dir_all(out.join("permissions"))?;
    println!("cargo:rerun-if-changed={DESKTOP}");

    let commands = find_commands(&root.join(DESKTOP))?;
    write_if_changed(&out.join("handler.rs"), &handler(&commands))?;
    write_if_changed(&out.join("commands.rs"), &names(&commands))?;
    write_if_changed(&out.join("permissions/commands.toml"), &permission_set(&commands))?;
    let mut modules: Vec<&str> = commands.iter().map(|c| c.module.as_str()).collect();
    modules.dedup();
    for module in &modules {
        write_if_changed(&out.join(format!("contract_{module}.rs")), &contract(module, &commands))?;
    }
    write_if_changed(&out.join("contracts.rs"), &contracts(&modules))?;

    // tauri-build wants 'static strings: this process ends right after.
    let names: &'static [&'static str] =
        Vec::leak(commands.iter().map(|c| &*String::leak(c.name.clone())).collect::<Vec<&'static str>>());
    let permissions = String::leak(format!("{}/permissions/*.toml", out.display()));
    let manifest = tauri_build::AppManifest::new().commands(names).permissions_path_pattern(permissions);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))?;
    Ok(())
}

/// Every `#[tauri::command]` function of the desktop modules, by module (file name), in file order.
fn find_commands(dir: &Path) -> Result<Vec<Command>, Box<dyn Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    let mut commands = Vec::new();
    for file in files {
        let module = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(&file)?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let before = commands.len();
        for item in parsed.items {
            let syn::Item::Fn(f) = item else { continue };
            if !f.attrs.iter().any(is_command_attribute) {
                continue;
            }
            commands.push(command(&module, &f).map_err(|e| format!("{}: fn {}: {e}", file.display(), f.sig.ident))?);
        }
        let include = format!("include!(concat!(env!(\"OUT_DIR\"), \"/ipc/contract_{module}.rs\"));");
        if commands.len() > before && module != "mod" && !text.contains(&include) {
            return Err(format!(
                "{} defines commands but not their contract; add at its end:\n#[cfg(test)]\n{include}",
                file.display()
            )
            .into());
        }
    }
    if commands.iter().any(|c| c.module == "mod") {
        return Err(format!("{DESKTOP}/mod.rs: put commands in a module of their own, not in mod.rs").into());
    }
    Ok(commands)
}

fn is_command_attribute(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr.path().segments.iter().map(|s| s.ident.to_string()).collect();
    segments == ["tauri", "command"]
}

fn command(module: &str, f: &syn::ItemFn) -> Result<Command, String> {
    if f.attrs.iter().any(|a| is_command_attribute(a) && !matches!(a.meta, syn::Meta::Path(_))) {
        return Err("options of #[tauri::command] are not read by src-tauri/build.rs; write it without them".into());
    }
    let doc = f
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value().trim().to_owned()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(typed) = input else { return Err("a command takes no self".into()) };
        let syn::Pat::Ident(pat) = &*typed.pat else { return Err("name every argument plainly".into()) };
        let (outer, inner) = last_segment(&typed.ty).ok_or("give every argument a named type")?;
        if INJECTED.contains(&outer.as_str()) {
            continue;
        }
        let name = camel_case(&pat.ident.to_string());
        let arg = match (outer.as_str(), inner) {
            ("Channel", Some(message)) => Arg { name, ty: tokens(message), kind: ArgKind::Channel },
            ("Option", Some(_)) => Arg { name, ty: tokens(&typed.ty), kind: ArgKind::Optional },
            _ => Arg { name, ty: tokens(&typed.ty), kind: ArgKind::Required },
        };
        args.push(arg);
    }
    let result = match &f.sig.output {
        syn::ReturnType::Default => "()".to_owned(),
        syn::ReturnType::Type(_, ty) => match last_segment(ty) {
            Some((outer, Some(ok))) if outer == "Result" => tokens(ok),
            _ => tokens(ty),
        },
    };
    Ok(Command { module: module.to_owned(), name: f.sig.ident.to_string(), doc, args, result })
}

/// The last segment of a type path and its first generic argument: `Option<String>` gives
/// `("Option", Some(String))`.
fn last_segment(ty: &syn::Type) -> Option<(String, Option<&syn::Type>)> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let first = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((last.ident.to_string(), first))
}

fn tokens(ty: &syn::Type) -> String {
    ty.to_token_stream().to_string()
}

/// `on_progress` -> `onProgress`, as Tauri names command arguments by default.
fn camel_case(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

const GENERATED: &str =
    "// Generated by src-tauri/build.rs from the #[tauri::command] functions of src-tauri/desktop.\n";

fn handler(commands: &[Command]) -> String {
    let list: Vec<String> = commands.iter().map(|c| format!("    {}::{},\n", c.module, c.name)).collect();
    format!("{GENERATED}tauri::generate_handler![\n{}]\n", list.concat())
}

fn names(commands: &[Command]) -> String {
    let list: Vec<String> = commands.iter().map(|c| format!("    {:?},\n", c.name)).collect();
    format!("{GENERATED}/// Every IPC command, by name.\npub const COMMANDS: &[&str] = &[\n{}];\n", list.concat())
}

fn permission_set(commands: &[Command]) -> String {
    let list: Vec<String> = commands.iter().map(|c| format!("  \"allow-{}\",\n", c.name.replace('_', "-"))).collect();
    format!(
        "# Generated by src-tauri/build.rs.\n[[set]]\nidentifier = \"commands\"\n\
         description = \"Every Packplan command: each #[tauri::command] function in src-tauri/desktop.\"\n\
         permissions = [\n{}]\n",
        list.concat()
    )
}

/// One module's commands as calls on `desktop::contract::Contract` (tests only).
fn contract(module: &str, commands: &[Command]) -> String {
    let mut out = format!(
        "{GENERATED}/// The arguments and results of this module's commands, for the UI's types.\n\
         pub(super) fn ipc_contract(contract: &mut super::contract::Contract) {{\n"
    );
    for c in commands.iter().filter(|c| c.module == module) {
        let _ = write!(out, "    contract\n        .command({:?}, &{:?})\n", c.name, c.doc);
        for a in &c.args {
            let method = match a.kind {
                ArgKind::Required => "arg",
                ArgKind::Optional => "optional",
                ArgKind::Channel => "channel",
            };
            let _ = writeln!(out, "        .{method}::<{}>({:?})", a.ty, a.name);
        }
        let _ = writeln!(out, "        .returns::<{}>();", c.result);
    }
    out.push_str("}\n");
    out
}

fn contracts(modules: &[&str]) -> String {
    let calls: Vec<String> = modules.iter().map(|m| format!("    super::{m}::ipc_contract(contract);\n")).collect();
    format!(
        "{GENERATED}/// Every module's commands, in file order.\n\
         fn all_commands(contract: &mut Contract) {{\n{}}}\n",
        calls.concat()
    )
}

/// Writes `text` unless the file already holds it (an unchanged file triggers no rebuild).
fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}
