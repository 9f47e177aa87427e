//! Decimal digits without the `fmt` machinery, for the values written once per run of a
//! million-run file.

const PAIRS: &[u8; 200] = b"00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899";

/// Writes `n` (below 100) as two digits at `text[at..at + 2]`.
pub(super) fn two(text: &mut [u8], at: usize, n: usize) {
    text[at..at + 2].copy_from_slice(&PAIRS[2 * n..2 * n + 2]);
}

/// Writes `n` in decimal, zero-padded to `width`, at the end of `text` (which must hold
/// 20 digits and `width`); returns where the digits start.
pub(super) fn right_aligned(text: &mut [u8], mut n: u64, width: usize) -> usize {
    let mut at = text.len();
    while n >= 100 {
        at -= 2;
        two(text, at, (n % 100) as usize);
        n /= 100;
    }
    if n >= 10 {
        at -= 2;
        two(text, at, n as usize);
    } else {
        at -= 1;
        text[at] = b'0' + n as u8;
    }
    let start = at.min(text.len() - width);
    text[start..at].fill(b'0');
    start
}

/// Appends `n` in decimal, zero-padded to `width` (at most 20).
pub(super) fn push_padded(line: &mut Vec<u8>, n: u64, width: usize) {
    let mut text = [0; 20];
    let start = right_aligned(&mut text, n, width);
    line.extend_from_slice(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_numbers_read_as_format_writes_them() {
        for n in [0, 7, 10, 99, 100, 12_345, 1_000_000, u64::MAX] {
            for width in [1, 7, 20] {
                let mut text = [b'x'; 24];
                let start = right_aligned(&mut text, n, width);
                assert_eq!(text[start..], *format!("{n:0width$}").as_bytes());
                let mut line = b"x".to_vec();
                push_padded(&mut line, n, width);
                assert_eq!(line[1..], text[start..]);
            }
        }
    }
}
