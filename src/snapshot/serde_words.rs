//! serde's errors from reading a JSON tree, in the author's words and at the value's
//! JSON Pointer: serde names Rust types (`expected u32`) and, reading a tree, no place at
//! all. The schema and the rules say nearly everything first; this is what is left.

use serde_json::Value;

use crate::problem::Problem;

/// The problem serde's `error` describes in `doc`: its message with Rust's type names
/// replaced, at the pointer of the value it quotes (the first such value, in document
/// order), or at the document when it quotes none.
pub fn problem(doc: &Value, error: &serde_json::Error) -> Problem {
    problem_under(doc, "", error)
}

/// [`problem`] for `doc` found at the pointer `base` of its document.
pub fn problem_under(doc: &Value, base: &str, error: &serde_json::Error) -> Problem {
    let text = error.to_string();
    let at = culprit(doc, &text).unwrap_or_default();
    Problem::new(format!("{base}{at}"), words(&text))
}

/// The message with Rust's words replaced: `invalid type: floating point `1.0`, expected
/// u32` reads `invalid type: the number `1.0`, expected a whole number`.
pub fn words(message: &str) -> String {
    const WORDS: &[(&str, &str)] = &[
        ("floating point `", "the number `"),
        ("integer `", "the number `"),
        ("boolean `", "`"),
        ("a borrowed string", "a string"),
        ("a sequence", "a list"),
        ("a map", "an object"),
        ("unit value", "null"),
    ];
    let mut text = message.to_owned();
    for (rust, author) in WORDS {
        text = text.replace(rust, author);
    }
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_end_matches([',', '.', ';']);
        let rest = &word[bare.len()..];
        let author = match bare {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number of 0 or more",
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
            "f32" | "f64" => "a number",
            "struct" | "tuple" => "an object",
            "enum" => "one of the names allowed",
            "char" => "a single character",
            other => other,
        };
        out.push_str(author);
        out.push_str(rest);
    }
    // `expected an object Foo`: the Rust name of the struct says nothing to an author.
    let out = match out.find("expected an object ") {
        Some(i) => {
            let tail = &out[i + "expected an object ".len()..];
            let end = tail.find([',', ' ']).unwrap_or(tail.len());
            format!("{}expected an object{}", &out[..i], &tail[end..])
        }
        None => out,
    };
    let out = match out.find("expected one of the names allowed ") {
        Some(i) => {
            let tail = &out[i + "expected one of the names allowed ".len()..];
            let end = tail.find([',', ' ']).unwrap_or(tail.len());
            format!(
                "{}expected one of the names allowed{}",
                &out[..i],
                &tail[end..]
            )
        }
        None => out,
    };
    crate::text::lowercase_first(&out)
}

/// The pointer of the value serde's message quotes: a number or a string it shows in
/// backticks or quotes, or a key it calls unknown.
fn culprit(doc: &Value, message: &str) -> Option<String> {
    if let Some(key) = between(message, "unknown field `", "`") {
        return find(doc, "", &|v| {
            v.as_object().is_some_and(|o| o.contains_key(key))
        })
        .map(|at| format!("{at}/{}", escape(key)));
    }
    if let Some(text) = between(message, "string \"", "\"") {
        return find(doc, "", &|v| v.as_str() == Some(text));
    }
    let quoted = between(message, "`", "`")?;
    find(doc, "", &|v| match v {
        Value::Number(n) => n.to_string() == quoted,
        Value::Bool(b) => b.to_string() == quoted,
        _ => false,
    })
}

fn between<'m>(message: &'m str, open: &str, close: &str) -> Option<&'m str> {
    let start = message.find(open)? + open.len();
    let len = message[start..].find(close)?;
    Some(&message[start..start + len])
}

/// The first value in document order (depth first) that `hit` accepts, by pointer.
fn find(doc: &Value, at: &str, hit: &dyn Fn(&Value) -> bool) -> Option<String> {
    if hit(doc) {
        return Some(at.to_owned());
    }
    match doc {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find(v, &format!("{at}/{i}"), hit)),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| find(v, &format!("{at}/{}", escape(k)), hit)),
        _ => None,
    }
}

/// A key as one JSON Pointer token (RFC 6901).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rust_type_name_is_left() {
        let e = serde_json::from_value::<u32>(serde_json::json!(1.5)).unwrap_err();
        assert_eq!(
            words(&e.to_string()),
            "invalid type: the number `1.5`, expected a whole number of 0 or more"
        );
    }

    #[test]
    fn the_quoted_value_is_located() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            a: Vec<u32>,
        }
        let doc = serde_json::json!({"a": [1, 2.5]});
        let e = Doc::deserialize(&doc).unwrap_err();
        let p = problem(&doc, &e);
        assert_eq!(p.pointer, "/a/1");
        assert!(!p.message.contains("u32"), "{}", p.message);
    }

    use serde::Deserialize;
}
