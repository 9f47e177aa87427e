//! JSON text measured without parsing it, for the streaming scanner: where the value at
//! the start of some bytes ends, and how far bytes move a line and column.

/// Where a value ends, if the window holds all of it.
pub(super) enum Extent {
    Complete(usize),
    NeedMore,
}

/// Moves a document position (newlines before it, characters since the last) past
/// `bytes`, which are UTF-8.
pub(super) fn advance(lines: &mut usize, column: &mut usize, bytes: &[u8]) {
    let tail = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            *lines += bytes.iter().filter(|&&b| b == b'\n').count();
            *column = 0;
            &bytes[last + 1..]
        }
        None => bytes,
    };
    // Every byte but a continuation byte (0b10xx_xxxx) starts a character.
    *column += tail.iter().filter(|&&b| (b as i8) >= -0x40).count();
}

/// Where the JSON value at the start of `bytes` ends. Strings are skipped honouring
/// escapes; containers by depth. Whether the bytes are valid JSON is for serde to say.
pub(super) fn extent(bytes: &[u8], eof: bool) -> Extent {
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                loop {
                    if i >= bytes.len() {
                        return Extent::NeedMore;
                    }
                    match memchr2(b'"', b'\\', &bytes[i..]) {
                        None => return Extent::NeedMore,
                        Some(j) if bytes[i + j] == b'\\' => i += j + 2,
                        Some(j) => {
                            i += j + 1;
                            break;
                        }
                    }
                }
                if depth == 0 {
                    return Extent::Complete(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return Extent::Complete(i);
                }
                depth -= 1;
                if depth == 0 {
                    return Extent::Complete(i + 1);
                }
            }
            b',' | b' ' | b'\n' | b'\r' | b'\t' | b':' if depth == 0 => return Extent::Complete(i),
            _ => {}
        }
        i += 1;
    }
    // A number or literal that runs to the end of the input is complete only at EOF.
    if depth == 0 && eof && i > 0 {
        Extent::Complete(i)
    } else {
        Extent::NeedMore
    }
}

/// Position of the first `a` or `b` in `hay`.
fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == a || c == b)
}
