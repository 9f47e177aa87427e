//! Sprint order: a series is ordered by its sprints' dates, never by the order the files
//! were named in, and two snapshots of one sprint cannot both be in it.

use std::collections::BTreeMap;

use super::sample::Sample;

/// The samples' indices in sprint order (by start date), or why they do not form a series:
/// two organisations, or two snapshots with the same sprint id or the same start date,
/// naming both files.
pub fn order(samples: &[Sample]) -> Result<Vec<usize>, String> {
    let mut by_id: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_dates: BTreeMap<i64, usize> = BTreeMap::new();
    // Quartiles and journeys compare squads and variants across sprints: one organisation.
    let mut named = samples.iter().filter(|s| s.org.is_some());
    if let Some(first) = named.next() {
        if let Some(other) = named.find(|s| s.org != first.org) {
            return Err(format!(
                "`{}` is organisation `{}` and `{}` is `{}`: a series is one organisation",
                first.path,
                first.org.as_deref().unwrap_or_default(),
                other.path,
                other.org.as_deref().unwrap_or_default()
            ));
        }
    }
    for (i, s) in samples.iter().enumerate() {
        if let Some(&j) = by_id.get(s.sprint.id.as_str()) {
            return Err(format!(
                "`{}` and `{}` are both sprint `{}`: a series has one snapshot per sprint",
                &samples[j].path, &s.path, &s.sprint.id
            ));
        }
        by_id.insert(&s.sprint.id, i);
        // The loaders refuse a snapshot whose dates are not calendar dates.
        let day = |d: &str| crate::instant::parse_date(d).unwrap_or(i64::MIN);
        let dates = day(&s.sprint.start);
        if let Some(&j) = by_dates.get(&dates) {
            return Err(format!(
                "`{}` (sprint `{}`) and `{}` (sprint `{}`) both start on {}: \
                 a series has one snapshot per sprint",
                &samples[j].path, &samples[j].sprint.id, &s.path, &s.sprint.id, &s.sprint.start
            ));
        }
        by_dates.insert(dates, i);
    }
    Ok(by_dates.into_values().collect())
}
