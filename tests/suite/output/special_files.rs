//! What is not a regular file is written where it is: `-` is stdout, and a device, a
//! FIFO or a socket receives the whole document and stays what it was.

use std::fs;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};

use super::{document, mkfifo, names, need_root, run_in, stderr, writers};

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
#[cfg_attr(
    not(have_root),
    ignore = "needs root to make a device node (CI runs as root)"
)]
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
        std::thread::spawn(move || {
            loop {
                match listener.accept() {
                    Ok((mut stream, _)) => {
                        stream.set_nonblocking(false)?;
                        let mut bytes = Vec::new();
                        stream.read_to_end(&mut bytes)?;
                        return std::io::Result::Ok(bytes);
                    }
                    Err(_) if done.load(std::sync::atomic::Ordering::SeqCst) => return Ok(vec![]),
                    // A short sleep, not a spin: the run itself needs the CPU.
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(2)),
                }
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
