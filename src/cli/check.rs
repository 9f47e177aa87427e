//! `bursar check`: compiles a policy pack without a snapshot, so a broken policy or module
//! is caught in review; prints the policies in evaluation order with what they declare,
//! then the modules they may import.

use std::fmt::Write;
use std::path::PathBuf;

use bursar::host::Host;

use super::{LimitArgs, Status};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The policy pack folder
    #[arg(long, value_name = "DIR", default_value = "policies")]
    policies: PathBuf,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: Args) -> anyhow::Result<Status> {
    let (_, pack) = Host::open(&args.policies, args.limits.limits())?;
    let count = pack.policies.len();
    let mut out = format!(
        "{}: {count} polic{} compiled, in evaluation order:\n",
        args.policies.display(),
        if count == 1 { "y" } else { "ies" }
    );
    for (i, policy) in pack.policies.iter().enumerate() {
        let _ = writeln!(out, "{:>3}. {} ({})", i + 1, policy.name, policy.file);
        if !policy.description.is_empty() {
            let _ = writeln!(out, "     {}", policy.description);
        }
        if let Some(decides) = &policy.decides {
            let _ = writeln!(
                out,
                "     decides: {} ({})",
                decides.domain.name(),
                decides.domain.promise()
            );
        }
        if !policy.reads.is_empty() {
            let _ = writeln!(out, "     reads: {}", policy.reads.join(", "));
        }
    }
    let modules = pack.module_records();
    if !modules.is_empty() {
        let _ = writeln!(
            out,
            "{} module{} compiled, for policies to import:",
            modules.len(),
            if modules.len() == 1 { "" } else { "s" }
        );
        for module in &modules {
            let _ = writeln!(out, "     {}", module.file);
        }
    }
    print!("{out}");
    Ok(Status::Clean)
}
