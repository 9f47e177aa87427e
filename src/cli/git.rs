//! Reading a policy pack at a git revision with git itself (`impact --against
//! git:REV[:PATH]`): `ls-tree` lists the pack's files at the revision and one
//! `cat-file --batch` reads them, so nothing is checked out and no copy is written. The
//! library gets the files as bytes.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// Files of a pack as read: (path within the pack with `/`, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// The prefix of an `--against` that names a revision rather than a folder.
pub const PREFIX: &str = "git:";

/// A pack at a revision: `git:REV` (the pack's own path) or `git:REV:PATH` (PATH from the
/// repository's root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub rev: String,
    pub path: Option<String>,
}

impl Revision {
    /// `None` when `arg` does not start with `git:`.
    pub fn parse(arg: &str) -> anyhow::Result<Option<Self>> {
        let Some(rest) = arg.strip_prefix(PREFIX) else {
            return Ok(None);
        };
        let (rev, path) = match rest.split_once(':') {
            Some((rev, path)) => (rev, Some(path.trim_matches('/').to_owned())),
            None => (rest, None),
        };
        if rev.is_empty() {
            bail!(
                "`{arg}` names no revision: write `git:REV` or `git:REV:PATH` (`git:origin/main`)"
            );
        }
        Ok(Some(Self {
            rev: rev.to_owned(),
            path,
        }))
    }
}

/// Runs git in `dir` with `args` and `input` on its standard input; its output, or an
/// error in git's own words.
fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> anyhow::Result<Vec<u8>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run `git` (is it installed and on PATH?)")?;
    let writer = input.map(|bytes| {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let bytes = bytes.to_vec();
        // Written on its own thread: git may fill its output pipe before reading it all.
        std::thread::spawn(move || stdin.write_all(&bytes))
    });
    let mut out = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_end(&mut out)
        .context("cannot read what `git` wrote")?;
    let mut err = String::new();
    let _ = child
        .stderr
        .take()
        .expect("stderr is piped")
        .read_to_string(&mut err);
    let status = child.wait().context("cannot wait for `git`")?;
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    if !status.success() {
        let words = err
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("fatal: ");
        bail!(
            "`git {}` failed: {}",
            args.join(" "),
            crate::text::lowercase_first(words)
        );
    }
    Ok(out)
}

/// The files of the pack at the revision, as `(path within the pack, bytes)`, and how
/// messages name it (`git:REV:PATH`). `policies` is the pack folder on disk: its
/// repository is the one read, and its path there is the default PATH.
pub fn read_pack(revision: &Revision, policies: &Path) -> anyhow::Result<(PathBuf, Files)> {
    let top = git(policies, &["rev-parse", "--show-toplevel"], None)
        .with_context(|| format!("`{}` is not in a git repository", policies.display()))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim_end());
    let path = match &revision.path {
        Some(path) => path.clone(),
        None => {
            let here = policies
                .canonicalize()
                .with_context(|| format!("cannot read `{}`", policies.display()))?;
            let top = top.canonicalize().unwrap_or(top.clone());
            let inside = here.strip_prefix(&top).unwrap_or(Path::new(""));
            slashed(inside)
        }
    };
    let rev = &revision.rev;
    let name = PathBuf::from(format!("{PREFIX}{rev}:{path}"));
    let tree = if path.is_empty() {
        rev.clone()
    } else {
        format!("{rev}:{path}")
    };
    let listing = git(&top, &["ls-tree", "-r", "-z", &tree], None)?;
    let mut wanted = Vec::new();
    for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, file)) = entry.split_once('\t') else {
            bail!("`git ls-tree` wrote a line bursar does not understand: `{entry}`");
        };
        let fields: Vec<&str> = meta.split(' ').collect();
        if !file.ends_with(".rhai") || fields.get(1) != Some(&"blob") {
            continue;
        }
        if fields[0] == "120000" {
            bail!(
                "{}/{file}: a symbolic link in git; packs are read from git without following links",
                name.display()
            );
        }
        wanted.push((file.to_owned(), fields[2].to_owned()));
    }
    let input: String = wanted.iter().map(|(_, oid)| format!("{oid}\n")).collect();
    let batch = git(&top, &["cat-file", "--batch"], Some(input.as_bytes()))?;
    let mut files = Vec::with_capacity(wanted.len());
    let mut rest = &batch[..];
    for (file, oid) in wanted {
        let header_end = rest
            .iter()
            .position(|&b| b == b'\n')
            .context("`git cat-file` stopped early")?;
        let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .filter(|_| header.starts_with(&oid))
            .with_context(|| format!("`git cat-file` wrote `{header}` for `{file}`"))?;
        let body = rest
            .get(header_end + 1..header_end + 1 + size)
            .context("`git cat-file` stopped early")?;
        files.push((file, body.to_vec()));
        rest = rest.get(header_end + 2 + size..).unwrap_or(&[]);
    }
    Ok((name, files))
}

/// A relative path as git names it: components joined with `/`.
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}
