//! Type names in a policy author's words: Rhai speaks of `i64`, `f64`, `()`,
//! `ImmutableString`, `Array` and the host's type names (`Topup`); an author writes
//! integers, numbers, nothing, strings, lists and top-ups.

/// One type name as an author would say it (`i64` -> `integer`, `Topup` -> `top-up`);
/// a name it does not know comes back as given.
pub fn type_word(name: &str) -> &str {
    let name = name.trim();
    let short = name.rsplit("::").next().unwrap_or(name);
    match short {
        "i64" | "i32" | "INT" | "u64" | "usize" => "integer",
        "f64" | "f32" | "FLOAT" => "number",
        "&str"
        | "str"
        | "String"
        | "string"
        | "ImmutableString"
        | "&str | ImmutableString | String" => "string",
        "char" => "character",
        "bool" => "boolean",
        "()" => "nothing",
        "Array" | "array" | "Vec<Dynamic>" => "list",
        "Map" | "map" | "BTreeMap<SmartString, Dynamic>" => "map",
        "Fn" | "FnPtr" => "function",
        "Blob" | "blob" => "blob",
        "range" | "range=" | "Range<i64>" | "RangeInclusive<i64>" => "range",
        "Dynamic" => "value",
        "Facts" => "facts",
        "Variant" => "variant",
        "Squad" => "squad",
        "Family" => "family",
        "Topup" => "top-up",
        "CatalogEntry" => "catalog entry",
        "Run" => "run",
        "Runs" => "runs",
        "Decision" => "decision",
        _ => short,
    }
}

/// A type with its article, as a message says it: `an integer`, `a top-up`, `nothing`
/// (an absent value), `the facts`.
pub fn a_type(name: &str) -> String {
    // Rhai's parser already says some in words (`a boolean expression`).
    if name.starts_with("a ") || name.starts_with("an ") {
        return name.to_owned();
    }
    match type_word(name) {
        "nothing" => "nothing (an absent value)".to_owned(),
        word @ ("facts" | "runs") => format!("the {word}"),
        word if word.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("an {word}"),
        word => format!("a {word}"),
    }
}

/// The argument types of a Rhai call signature (`check (Decision, &str | ImmutableString
/// | String, i64)`), in words: `decision, string, integer`.
pub fn argument_types(list: &str) -> String {
    let mut words = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in list.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c == ',' && depth == 0 {
            words.push(type_word(&current).to_owned());
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        words.push(type_word(&current).to_owned());
    }
    words.join(", ")
}

/// `has` or `have`, to agree with [`a_type`]'s words (`the facts have`).
pub fn has(subject: &str) -> &'static str {
    if subject.starts_with("the ") {
        "have"
    } else {
        "has"
    }
}
