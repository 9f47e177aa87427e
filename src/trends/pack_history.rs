//! Whether the rules moved within the series: rules that change from sprint to sprint are
//! not public rules, so every change of a policy or module digest is listed.

use super::model::{PackChange, PackHistory};
use super::sample::Sample;

/// The pack digests in sprint order and each file that changed between two sprints.
pub fn pack_history(samples: &[Sample]) -> PackHistory {
    let mut digests: Vec<String> = Vec::new();
    let mut changes = Vec::new();
    for (i, s) in samples.iter().enumerate() {
        if !digests.contains(&s.pack_sha256) {
            digests.push(s.pack_sha256.clone());
        }
        let Some(before) = i.checked_sub(1).map(|p| &samples[p]) else {
            continue;
        };
        let files = before.pack_files.keys().chain(s.pack_files.keys());
        let mut files: Vec<&String> = files.collect();
        files.sort();
        files.dedup();
        for file in files {
            let (from, to) = (before.pack_files.get(file), s.pack_files.get(file));
            if from != to {
                changes.push(PackChange {
                    sprint: s.sprint.id.clone(),
                    file: file.clone(),
                    from: from.cloned(),
                    to: to.cloned(),
                });
            }
        }
    }
    let changed = digests.len() > 1;
    PackHistory {
        changed,
        digests,
        changes,
    }
}
