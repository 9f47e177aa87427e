//! A regular file is replaced whole through an exclusive temporary file beside the file
//! a link leads to, with its permissions, and never half-written.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::process::{Command, Stdio};

use super::{EXAMPLE, crate_path, document, mkfifo, names, run_in, stderr, writers};

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
    assert!(
        fs::read_to_string(dir.path().join("out.json"))
            .unwrap()
            .contains("\"decisions\"")
    );
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

/// A write that fails halfway (the file-size limit, standing in for a full disk) removes
/// the temporary file and leaves the previous file as it was, for every command.
#[test]
fn a_write_failing_halfway_leaves_no_temporary_file() {
    for (name, args) in writers() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("out.json"), "previous").unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_bursar"));
        command.args(&args).args(["--out", "out.json"]);
        command.current_dir(dir.path());
        // Past 100 bytes a write fails with `EFBIG` (the signal that would kill it is ignored).
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                let limit = libc::rlimit {
                    rlim_cur: 100,
                    rlim_max: 100,
                };
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let out = command.output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains("cannot write `out.json`"), "{name}: {err}");
        assert_eq!(names(dir.path()), ["out.json"], "{name}: left files behind");
        let previous = fs::read_to_string(dir.path().join("out.json")).unwrap();
        assert_eq!(previous, "previous", "{name}");
    }
}
