//! `bursar definitions --out DIR`: writes Rhai definition files of the policy API, for
//! editors with Rhai support (completion and checking of `facts`, its types, `decision`).

use std::path::PathBuf;

use anyhow::Context;

use super::super::output::Output;
use super::super::status::Status;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the `*.d.rhai` files into (created if missing; files in it with the
    /// same names are replaced whole)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let dir = &args.out;
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "`{}` is not a folder: --out names the folder the definition files go into",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    // Every destination is checked before any file is written, so a refused one leaves
    // the folder as it was.
    let files = crate::host::definitions();
    let mut outputs = Vec::with_capacity(files.len());
    for (name, text) in files {
        let path = dir.join(&name);
        outputs.push((Output::new(Some(&path), &[])?, text));
    }
    for (output, text) in outputs {
        output.write(text.as_bytes())?;
    }
    Ok(Status::Clean)
}
