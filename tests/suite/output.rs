//! `--out` for every command that writes: `-` is stdout, devices, FIFOs and sockets are
//! written in place, links are followed, files are replaced atomically with their
//! permissions, temporary files are created exclusively, and inputs are never clobbered.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStringExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::support;

const EXAMPLE: &str = "examples/sprint-2026-S24.json";

/// A crate file as an absolute path, so commands can run in a temporary folder.
fn crate_path(rel: &str) -> String {
    support::root().join(rel).to_string_lossy().into_owned()
}

/// Every command that writes `--out`, on small inputs (the flag itself is added later).
fn writers() -> Vec<(&'static str, Vec<String>)> {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (example, policies) = (crate_path(EXAMPLE), crate_path("policies"));
    vec![
        (
            "eval",
            args(&[
                "eval",
                "--quiet",
                "--fail-on",
                "never",
                "--snapshot",
                &example,
                "--policies",
                &policies,
            ]),
        ),
        (
            "impact",
            args(&[
                "impact",
                "--quiet",
                "--policies",
                &policies,
                "--against",
                &policies,
                &example,
            ]),
        ),
        ("gen", args(&["gen", "--runs", "300", "--seed", "3"])),
    ]
}

/// Runs `bursar` in `dir`, with `--out out` when given.
fn run_in(dir: &Path, args: &[String], out: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bursar"));
    command.args(args).current_dir(dir);
    if let Some(out) = out {
        command.args(["--out", out]);
    }
    command.output().expect("the bursar binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// What `args` writes to stdout: the document every destination must receive whole.
fn document(args: &[String]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), args, None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!out.stdout.is_empty());
    out.stdout
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn mkfifo(path: &Path) {
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    let made = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(made, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// Tests that need root skip only on a developer machine, never silently in CI.
fn need_root(what: &str, err: std::io::Error) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what} needs root (CI=true, so this is a failure, not a skip): {err}");
    }
    eprintln!("skipped: {what} needs root ({err}); run as root or in CI to test it");
}

#[test]
fn dash_means_stdout_and_creates_no_file() {
    for (name, args) in writers() {
        let dir = tempfile::tempdir().unwrap();
        let out = run_in(dir.path(), &args, Some("-"));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            out.stdout == document(&args),
            "{name}: stdout is not the document"
        );
        assert!(
            names(dir.path()).is_empty(),
            "{name}: created {:?}",
            names(dir.path())
        );
    }
}

#[test]
fn a_character_device_stays_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let node = dir.path().join("null");
    let c_path = std::ffi::CString::new(node.to_str().unwrap()).unwrap();
    // Our own node with /dev/null's numbers, in our own folder: the system's is never touched.
    let dev = libc::makedev(1, 3);
    if unsafe { libc::mknod(c_path.as_ptr(), libc::S_IFCHR | 0o666, dev) } != 0 {
        return need_root("mknod", std::io::Error::last_os_error());
    }
    for (name, args) in writers() {
        let out = run_in(dir.path(), &args, Some(node.to_str().unwrap()));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let meta = fs::symlink_metadata(&node).unwrap();
        assert!(meta.file_type().is_char_device(), "{name}: node replaced");
        assert_eq!(meta.rdev(), dev, "{name}: another device");
        assert_eq!(names(dir.path()), ["null"], "{name}: left files behind");
    }
}

#[test]
fn a_fifo_receives_the_whole_document_and_stays_a_fifo() {
    for (name, args) in writers() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        mkfifo(&fifo);
        // A second name for the FIFO: if bursar renames a file over `pipe`, the reader
        // still blocked in `open` is released through this one instead of hanging.
        let spare = dir.path().join("spare");
        fs::hard_link(&fifo, &spare).unwrap();
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                fs::File::open(fifo)?.read_to_end(&mut bytes)?;
                std::io::Result::Ok(bytes)
            })
        };
        let out = run_in(dir.path(), &args, Some("pipe"));
        let replaced = !fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo();
        if !reader.is_finished() {
            let _ = fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(&spare);
        }
        let received = reader.join().unwrap().unwrap();
        assert!(!replaced, "{name}: the FIFO was replaced by a file");
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            received == document(&args),
            "{name}: the reader got part of it"
        );
        assert_eq!(names(dir.path()), ["pipe", "spare"], "{name}: left files");
    }
}

#[test]
fn a_socket_receives_the_whole_document_and_stays_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("socket");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    listener.set_nonblocking(true).unwrap();
    let (name, args) = writers().remove(0);
    // Accepts until the run is over, so a run that never connects cannot hang the suite.
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let done = done.clone();
        std::thread::spawn(move || loop {
            match listener.accept() {
                Ok((mut stream, _)) => {
                    stream.set_nonblocking(false)?;
                    let mut bytes = Vec::new();
                    stream.read_to_end(&mut bytes)?;
                    return std::io::Result::Ok(bytes);
                }
                Err(_) if done.load(std::sync::atomic::Ordering::SeqCst) => return Ok(vec![]),
                Err(_) => std::thread::yield_now(),
            }
        })
    };
    let out = run_in(dir.path(), &args, Some("socket"));
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let kept = fs::symlink_metadata(&path).unwrap().file_type().is_socket();
    let received = reader.join().unwrap().unwrap();
    assert!(kept, "{name}: the socket was replaced by a file");
    assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
    assert!(
        received == document(&args),
        "{name}: the socket got part of it"
    );
}

#[test]
fn a_link_is_followed_and_its_target_replaced() {
    for (name, args) in writers() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        fs::write(dir.path().join("real/out.json"), "previous").unwrap();
        std::os::unix::fs::symlink("real/out.json", dir.path().join("link")).unwrap();
        // A chain of links, the last one to a file that does not exist yet.
        std::os::unix::fs::symlink("real/new-link", dir.path().join("dangling")).unwrap();
        std::os::unix::fs::symlink("new.json", dir.path().join("real/new-link")).unwrap();
        for (link, target) in [("link", "real/out.json"), ("dangling", "real/new.json")] {
            let out = run_in(dir.path(), &args, Some(link));
            assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
            let path = dir.path().join(link);
            assert!(
                fs::symlink_metadata(&path).unwrap().is_symlink(),
                "{name}: `{link}` is no longer a link"
            );
            assert!(fs::read(dir.path().join(target)).unwrap() == document(&args));
        }
        assert_eq!(names(dir.path()), ["dangling", "link", "real"]);
        let real = names(&dir.path().join("real"));
        assert_eq!(real, ["new-link", "new.json", "out.json"], "{name}");
    }
}

#[test]
fn a_replaced_file_keeps_its_permissions_and_a_new_one_follows_the_umask() {
    for (name, args) in writers() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept.json");
        fs::write(&kept, "previous").unwrap();
        fs::set_permissions(&kept, fs::Permissions::from_mode(0o640)).unwrap();
        let out = run_in(dir.path(), &args, Some("kept.json"));
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        assert!(
            fs::read(&kept).unwrap() == document(&args),
            "{name}: content"
        );
        let mode = fs::metadata(&kept).unwrap().mode() & 0o7777;
        assert_eq!(mode, 0o640, "{name}: replaced file's mode {mode:o}");

        let mut command = Command::new(env!("CARGO_BIN_EXE_bursar"));
        command.args(&args).args(["--out", "new.json"]);
        command.current_dir(dir.path());
        // The child's own umask: a new file gets 0666 minus it, as from any other tool.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                libc::umask(0o027);
                Ok(())
            });
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let mode = fs::metadata(dir.path().join("new.json")).unwrap().mode() & 0o7777;
        assert_eq!(
            mode, 0o640,
            "{name}: new file's mode {mode:o} under umask 027"
        );
    }
}

/// Before this was fixed the temporary file was `.NAME.<pid>.tmp`, opened following
/// links: a link planted there sent the document to any file the user could write.
#[test]
fn a_link_planted_at_the_temporary_name_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let snapshot = dir.path().join("snapshot");
    mkfifo(&snapshot);
    // The snapshot comes through a FIFO, so the process waits for it: its pid is known
    // and the links are in place before it can create any temporary file.
    let mut child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args([
            "eval",
            "--quiet",
            "--fail-on",
            "never",
            "--snapshot",
            "snapshot",
        ])
        .args(["--policies", &crate_path("policies"), "--out", "out.json"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut planted = vec![format!(".out.json.{pid}.tmp")];
    planted.extend((0..50).map(|i| format!(".out.json.{}.tmp", pid + 1 + i)));
    for name in &planted {
        std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    }
    // Feed the snapshot once bursar opens it (never blocking if it exited first).
    let mut feed = loop {
        match fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&snapshot)
        {
            Ok(_) => break Some(fs::OpenOptions::new().write(true).open(&snapshot).unwrap()),
            Err(_) if child.try_wait().unwrap().is_none() => std::thread::yield_now(),
            Err(_) => break None,
        }
    };
    if let Some(feed) = feed.as_mut() {
        feed.write_all(&fs::read(crate_path(EXAMPLE)).unwrap())
            .unwrap();
    }
    drop(feed);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let victim_now = fs::read_to_string(&victim).unwrap();
    assert!(
        victim_now == "precious",
        "the victim was overwritten ({} bytes)",
        victim_now.len()
    );
    for name in &planted {
        let link = fs::read_link(dir.path().join(name)).unwrap();
        assert_eq!(link, victim, "`{name}` changed");
    }
    let meta = fs::symlink_metadata(dir.path().join("out.json")).unwrap();
    assert!(meta.is_file(), "out.json is a regular file");
    assert!(fs::read_to_string(dir.path().join("out.json"))
        .unwrap()
        .contains("\"decisions\""));
}

/// A copy of the example and of the pack in a temporary folder, to try clobbering.
fn inputs_in(dir: &Path) {
    let snapshot = dir.join("sprint.json");
    fs::copy(crate_path(EXAMPLE), &snapshot).unwrap();
    let pack = dir.join("pack");
    fs::create_dir_all(pack.join("lib")).unwrap();
    for file in support::files(Path::new("policies"), "rhai") {
        fs::copy(&file, pack.join(file.file_name().unwrap())).unwrap();
    }
    // A module file, not imported by any policy: still part of the pack being read.
    fs::write(pack.join("lib/limits.rhai"), "export const MAX = 1;\n").unwrap();
    std::os::unix::fs::symlink("sprint.json", dir.join("link")).unwrap();
    fs::hard_link(&snapshot, dir.join("hard.json")).unwrap();
}

/// Every file under `dir` with its bytes, to show that nothing changed.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = fs::symlink_metadata(&path).unwrap();
        if meta.is_dir() {
            all.extend(contents(&path));
        } else if meta.is_symlink() {
            all.push((
                path.clone(),
                fs::read_link(&path).unwrap().into_os_string().into_vec(),
            ));
        } else {
            all.push((path.clone(), fs::read(&path).unwrap()));
        }
    }
    all.sort();
    all
}

#[test]
fn an_out_that_is_an_input_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    inputs_in(dir.path());
    let before = contents(dir.path());
    let eval = |out: &str| -> Vec<String> {
        [
            "eval",
            "--quiet",
            "--fail-on",
            "never",
            "--snapshot",
            "sprint.json",
        ]
        .iter()
        .chain(&["--policies", "pack", "--out", out])
        .map(|s| s.to_string())
        .collect()
    };
    let impact = |out: &str| -> Vec<String> {
        [
            "impact",
            "--quiet",
            "--policies",
            "pack",
            "--against",
            "./pack",
            "sprint.json",
        ]
        .iter()
        .chain(&["--out", out])
        .map(|s| s.to_string())
        .collect()
    };
    let cases = [
        ("sprint.json", "the snapshot `sprint.json`"),
        ("./sprint.json", "the snapshot `sprint.json`"),
        ("link", "the snapshot `sprint.json`"),
        ("hard.json", "the snapshot `sprint.json`"),
        ("pack/topups.rhai", "`pack/topups.rhai`"),
        ("pack/../pack/lib/limits.rhai", "`pack/lib/limits.rhai`"),
    ];
    for (out, named) in cases {
        for args in [eval(out), impact(out)] {
            let result = run_in(dir.path(), &args, None);
            let err = stderr(&result);
            assert_eq!(result.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains(&format!("`{out}`")),
                "{args:?} names --out: {err}"
            );
            assert!(err.contains(named), "{args:?} names the input: {err}");
            assert!(result.stdout.is_empty());
            assert!(contents(dir.path()) == before, "{args:?} changed a file");
        }
    }
    // Refused before evaluating: a policy that stops the run with its own message
    // would say so had it run.
    fs::write(
        dir.path().join("pack/zz_tripwire.rhai"),
        "const POLICY = \"tripwire\";\nconst DESCRIPTION = \"x\";\nconst READS = [];\n\
         throw \"the pack was evaluated\";\n",
    )
    .unwrap();
    let tripwire = contents(dir.path());
    let result = run_in(dir.path(), &eval("sprint.json"), None);
    let err = stderr(&result);
    assert_eq!(result.status.code(), Some(2), "{err}");
    assert!(
        !err.contains("the pack was evaluated"),
        "it ran first: {err}"
    );
    assert!(contents(dir.path()) == tripwire);
}

#[test]
fn a_failing_run_leaves_no_temporary_file_and_the_previous_file_as_it_was() {
    let failing = [
        vec![
            "eval",
            "--snapshot",
            "tests/errors/snapshots/unknown-squad.json",
        ],
        vec![
            "impact",
            "--policies",
            "policies",
            "--against",
            "policies",
            "tests/errors/snapshots/unknown-squad.json",
        ],
        vec!["gen", "--runs", "10", "--sprint", "2026-S99"],
    ];
    for args in failing {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.json");
        fs::write(&out, "previous").unwrap();
        let result = support::bursar(
            &args
                .iter()
                .copied()
                .chain(["--out", out.to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        assert_eq!(
            result.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&result)
        );
        assert_eq!(names(dir.path()), ["out.json"], "{args:?}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "previous", "{args:?}");
    }
}

/// A run killed while writing leaves the previous file whole and at most one temporary
/// file, named as the README says.
#[test]
fn a_run_killed_mid_write_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big.json");
    fs::write(&out, "previous").unwrap();
    // Large enough that it is still writing when it is killed (killed long before the end).
    let mut child = Command::new(env!("CARGO_BIN_EXE_bursar"))
        .args(["gen", "--runs", "3000000", "--out", "big.json"])
        .current_dir(dir.path())
        .spawn()
        .unwrap();
    let temporary = loop {
        let started = names(dir.path()).into_iter().find(|n| n != "big.json");
        if let Some(name) = started {
            if fs::metadata(dir.path().join(&name)).is_ok_and(|m| m.len() > 0) {
                break name;
            }
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "gen ended before it was killed"
        );
        std::thread::yield_now();
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(fs::read_to_string(&out).unwrap(), "previous");
    assert_eq!(names(dir.path()), [temporary.clone(), "big.json".into()]);
    let random = temporary
        .strip_prefix(".big.json.")
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .unwrap_or_else(|| panic!("unexpected temporary name `{temporary}`"));
    assert_eq!(random.len(), 6, "`{temporary}`");
}
