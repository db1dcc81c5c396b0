//! The command line as a user or a script meets it: help, version, `--vault`,
//! `PACKPLAN_VAULT`, `--json`, and one clear sentence on failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

fn packplan(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_packplan"));
    cmd.args(args).env_remove("PACKPLAN_VAULT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn version_and_help_describe_the_tool() {
    let v = packplan(&["--version"], &[]);
    assert!(v.status.success());
    assert_eq!(stdout(&v).trim(), format!("packplan {}", env!("CARGO_PKG_VERSION")));

    let h = packplan(&["--help"], &[]);
    assert!(h.status.success());
    let help = stdout(&h);
    for expected in ["--vault", "--json", "PACKPLAN_VAULT", "about", "desktop window"] {
        assert!(help.contains(expected), "help lacks {expected}:\n{help}");
    }
}

#[test]
fn vault_option_and_variable_choose_the_vault_folder() {
    let dir = tempfile::tempdir().unwrap();
    let by_option = packplan(&["about", "--json", "--vault", dir.path().to_str().unwrap()], &[]);
    assert!(by_option.status.success(), "{}", stderr(&by_option));
    let json: serde_json::Value = serde_json::from_str(&stdout(&by_option)).unwrap();
    assert_eq!(json["vault_dir"], dir.path().display().to_string());
    assert_eq!(json["vault_portable"], true);

    let by_env = packplan(&["--json", "about"], &[("PACKPLAN_VAULT", dir.path().to_str().unwrap())]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&by_env)).unwrap();
    assert_eq!(json["vault_dir"], dir.path().display().to_string());
}

#[test]
fn default_vault_is_in_the_users_app_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let out =
        packplan(&["about"], &[("HOME", home.path().to_str().unwrap()), ("XDG_DATA_HOME", data.to_str().unwrap())]);
    assert!(out.status.success());
    assert!(stdout(&out).contains(&format!("vault: {}", data.join("packplan/vault").display())), "{}", stdout(&out));
}

#[test]
fn a_bad_invocation_fails_with_one_clear_sentence() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let path = file.path().to_str().unwrap();
    let out = packplan(&["--vault", path, "about"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        err.trim(),
        format!("packplan: {path} is a file, not a folder; give the vault's folder with --vault DIR")
    );

    let json = packplan(&["--json", "--vault", path, "about"], &[]);
    let body: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(body["error"]["kind"], "invalid");

    let unknown = packplan(&["frobnicate"], &[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unrecognized subcommand"));
}
