//! Where a command's output goes (`--out`): stdout, a file replaced whole, or a device,
//! FIFO or socket written as it is; never one of the files the command reads.

mod destination;
mod inputs;
mod replace;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use replace::BUFFER_BYTES;

/// The output of one command, checked before the command does its work, so a wrong
/// `--out` costs nothing and an input is never overwritten by its own result.
#[derive(Debug)]
pub struct Output {
    /// `None` is stdout.
    path: Option<PathBuf>,
    /// What `path` writes to, spelled one way (`None`: stdout).
    target: Option<destination::Target>,
}

impl Output {
    /// `out` is the `--out` argument: absent or `-` means stdout. `inputs` are what the
    /// command reads, each with the name the error gives it (`("the snapshot", path)`);
    /// a folder stands for every file under it. An `--out` that is one of them (however
    /// spelled: links, `./`, hard links) or a folder is refused here.
    pub fn new(out: Option<&Path>, inputs: &[(&str, &Path)]) -> Result<Output, crate::Error> {
        let Some(path) = out.filter(|path| *path != Path::new("-")) else {
            return Ok(Output {
                path: None,
                target: None,
            });
        };
        let refuse = |source| crate::Error::Write {
            path: path.to_owned(),
            source,
        };
        destination::check(path).map_err(refuse)?;
        inputs::refuse_clobbering(path, inputs).map_err(refuse)?;
        let target = destination::target(path).map_err(refuse)?;
        Ok(Output {
            path: Some(path.to_owned()),
            target: Some(target),
        })
    }

    /// Whether both write to the same place (both stdout, or the same file or device
    /// however spelled): the second would replace or interleave with the first.
    pub fn same_target(&self, other: &Output) -> bool {
        self.target == other.target
    }

    /// The path as the user gave it (`-` for stdout), for messages.
    pub fn name(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new("-"))
    }

    /// Writes `bytes` as the whole output.
    pub fn write(self, bytes: &[u8]) -> anyhow::Result<()> {
        self.write_with(|out| out.write_all(bytes))
    }

    /// Writes the output streamed by `write` (a generated snapshot can be hundreds of
    /// megabytes: it is never held in memory whole). A file appears whole or not at all:
    /// if `write` fails, the previous file stays as it was and nothing is left behind.
    pub fn write_with(
        self,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> anyhow::Result<()> {
        match self.path {
            None => to_stdout(write),
            Some(path) => destination::write(&path, write)
                .map_err(|source| crate::Error::Write { path, source }.into()),
        }
    }
}

fn to_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    // The standard library drops writes to a closed stdout (`>&-`) as if they succeeded:
    // the document would be lost with exit 0.
    if super::streams::stdout_closed() {
        anyhow::bail!("cannot write to stdout: it is closed (`>&-`): redirect it or use --out");
    }
    let mut out = io::BufWriter::with_capacity(BUFFER_BYTES, io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        // The reader stopped early (`| head`): what it wanted has been written.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to stdout"),
    }
}
