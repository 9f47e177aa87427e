//! The sites of a compiled policy that coverage counts (`if`s, loops, `d.check` and
//! `d.record` calls), found by walking its AST, and the nodes whose visits prove each was
//! reached or went one way: the `if` or loop statement itself, and the first statement of
//! each of its blocks. Nodes are told apart by address in the compiled AST, never by
//! position, so two nodes on one line are never confused.

use std::collections::HashMap;

use rhai::{ASTNode, Expr, Position, Stmt, StmtBlock};

use super::policy::Policy;

/// What kind of place in a policy a site is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Construct {
    /// `if`: its condition as written.
    If { condition: String },
    /// `for`, `while`, `loop` or `do`: the keyword, and what it iterates or tests.
    Loop { keyword: &'static str, over: String },
    /// `d.check(...)`: its label when written as a string literal.
    Check { label: Option<String> },
    /// `d.record(...)`: its outcome label when written as a string literal.
    Record { outcome: Option<String> },
}

/// Which part of an enclosing `if` or loop a site sits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The `if`'s first block, or the loop's body.
    Then,
    /// The `if`'s `else` block.
    Else,
    /// The condition or the iterated expression: reached whenever the site is.
    Head,
}

/// One counted place in a policy, with how often the cases got there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub construct: Construct,
    pub line: usize,
    pub column: usize,
    /// The innermost `if` or loop around it (an index into the same list), and where.
    pub inside: Option<(usize, Part)>,
    /// Times the statement or call was reached (for checks: passed + failed).
    pub reached: u64,
    /// `if`: times true; loop: times its body ran; check: times it passed.
    pub yes: u64,
    /// `if`: times false; check: times it failed; 0 otherwise.
    pub no: u64,
    /// Whether `yes` and `no` can be told apart: an `if` with two empty blocks cannot.
    pub measured: bool,
    /// What `// coverage: ...` comments on its line or right above it say (the text
    /// after `coverage:`), for items the author marks as never exercised.
    pub marks: Vec<String>,
    /// For an `if` with an empty first block, its `else` block is what was watched.
    pub(super) watched_else: bool,
}

/// Which count a probed node adds to.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot {
    Reached,
    Yes,
    No,
}

/// A node of the compiled AST, as the debugger callback sees it.
pub(super) type NodeKey = (usize, bool);

/// The counts each watched node adds to: one node may count for two sites (a loop's
/// body that starts with an `if`).
pub(super) type Probes = HashMap<NodeKey, Vec<(usize, Slot)>>;

pub(super) fn key(node: ASTNode) -> NodeKey {
    match node {
        ASTNode::Stmt(s) => (s as *const Stmt as usize, true),
        ASTNode::Expr(e) => (e as *const Expr as usize, false),
        // No other kind of node exists in this Rhai; 0 is no node's address.
        _ => (0, false),
    }
}

/// The node the debugger reports first when a block is entered: its first statement, or
/// for an expression statement the expression (Rhai reports that, not the wrapper).
fn entry(block: &StmtBlock) -> Option<NodeKey> {
    let first = block.statements().first()?;
    match first {
        Stmt::Expr(e) => match &**e {
            Expr::Stmt(inner) => entry(inner),
            e => Some((e as *const Expr as usize, false)),
        },
        s => Some((s as *const Stmt as usize, true)),
    }
}

fn line_col(pos: Position) -> (usize, usize) {
    (pos.line().unwrap_or(0), pos.position().unwrap_or(0))
}

/// Where a block's braces are, as (line, column) of each.
type Braces = ((usize, usize), (usize, usize));

fn braces(block: &StmtBlock) -> Option<Braces> {
    let span = block.span();
    (!span.is_none()).then(|| (line_col(span.start()), line_col(span.end())))
}

fn in_block(block: Option<Braces>, pos: Position) -> bool {
    let at = line_col(pos);
    block.is_some_and(|(start, end)| start <= at && at <= end)
}

/// The text from after `keyword` at `at` to the block that opens at `open`, on one line.
fn head_text(source: &str, at: Position, keyword: &str, open: Position) -> String {
    let (Some(from), Some(to)) = (offset(source, at), offset(source, open)) else {
        return String::new();
    };
    let text = source.get(from + keyword.len()..to).unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// The `// coverage: ...` comments that apply to line `line`: a comment ending that line,
/// and the comment lines directly above it.
fn marks(source: &str, line: usize) -> Vec<String> {
    let lines: Vec<&str> = source.lines().collect();
    let mut comments = Vec::new();
    if let Some(text) = line.checked_sub(1).and_then(|i| lines.get(i)) {
        if let Some(at) = text.find("//") {
            comments.push(&text[at + 2..]);
        }
    }
    for text in lines[..line.saturating_sub(1).min(lines.len())]
        .iter()
        .rev()
    {
        match text.trim_start().strip_prefix("//") {
            Some(comment) => comments.push(comment),
            None => break,
        }
    }
    comments
        .into_iter()
        .filter_map(|c| c.trim().strip_prefix("coverage:"))
        .map(|c| c.trim().to_owned())
        .collect()
}

/// Byte offset of a position (line and column in characters, from 1).
fn offset(source: &str, pos: Position) -> Option<usize> {
    let (line, col) = (pos.line()?, pos.position()?);
    let start: usize = source
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let text = source.get(start..)?;
    Some(
        start
            + text
                .char_indices()
                .nth(col - 1)
                .map_or(text.len(), |(i, _)| i),
    )
}

/// The sites of a policy in source order, and the nodes whose visits count for them.
// long: one `AST::walk` callback, one arm per construct coverage counts (if, loops,
// checks and records), all pushing into the same sites and probes it owns
pub(super) fn walk(policy: &Policy) -> (Vec<Site>, Probes) {
    struct Found {
        site: Site,
        /// The blocks a nested site may sit in: (then or body, else).
        blocks: Option<(Option<Braces>, Option<Braces>)>,
    }
    let source = &*policy.source;
    let mut found: Vec<Found> = Vec::new();
    let mut probes: Vec<(NodeKey, usize, Slot)> = Vec::new();
    // Blocks of `found` by the address of their statement, to find the enclosing site.
    let mut by_stmt: HashMap<usize, usize> = HashMap::new();
    policy.ast.walk(&mut |path: &[ASTNode]| {
        let Some(&node) = path.last() else {
            return true;
        };
        let inside = path[..path.len() - 1].iter().rev().find_map(|a| {
            let ASTNode::Stmt(s) = a else { return None };
            let index = *by_stmt.get(&(*s as *const Stmt as usize))?;
            let (then, other) = found[index].blocks?;
            let pos = node.position();
            let part = if in_block(then, pos) {
                Part::Then
            } else if in_block(other, pos) {
                Part::Else
            } else {
                Part::Head
            };
            Some((index, part))
        });
        let (line, column) = line_col(node.position());
        let site = |construct| Site {
            construct,
            line,
            column,
            inside,
            reached: 0,
            yes: 0,
            no: 0,
            measured: true,
            marks: marks(source, line),
            watched_else: false,
        };
        let index = found.len();
        let new = match node {
            ASTNode::Stmt(stmt @ Stmt::If(x, pos)) => {
                let condition = head_text(source, *pos, "if", x.body.position());
                let mut s = site(Construct::If { condition });
                probes.push((key(node), index, Slot::Reached));
                match (entry(&x.body), entry(&x.branch)) {
                    (Some(then), _) => probes.push((then, index, Slot::Yes)),
                    (None, Some(other)) => {
                        probes.push((other, index, Slot::No));
                        s.watched_else = true;
                    }
                    (None, None) => s.measured = false,
                }
                by_stmt.insert(stmt as *const Stmt as usize, index);
                Some(Found {
                    site: s,
                    blocks: Some((braces(&x.body), braces(&x.branch))),
                })
            }
            ASTNode::Stmt(stmt @ (Stmt::While(x, pos) | Stmt::Do(x, _, pos))) => {
                let keyword = match stmt {
                    Stmt::Do(..) => "do",
                    _ if matches!(x.expr, Expr::Unit(..)) => "loop",
                    _ => "while",
                };
                let over = match keyword {
                    "while" => head_text(source, *pos, "while", x.body.position()),
                    _ => String::new(),
                };
                let mut s = site(Construct::Loop { keyword, over });
                s.measured = loop_site(&mut probes, node, index, &x.body);
                by_stmt.insert(stmt as *const Stmt as usize, index);
                Some(Found {
                    site: s,
                    blocks: Some((braces(&x.body), None)),
                })
            }
            ASTNode::Stmt(stmt @ Stmt::For(x, pos)) => {
                let body = &x.2.body;
                let over = head_text(source, *pos, "for", body.position());
                let mut s = site(Construct::Loop {
                    keyword: "for",
                    over,
                });
                s.measured = loop_site(&mut probes, node, index, body);
                by_stmt.insert(stmt as *const Stmt as usize, index);
                Some(Found {
                    site: s,
                    blocks: Some((braces(body), None)),
                })
            }
            ASTNode::Expr(Expr::MethodCall(f, _))
            | ASTNode::Expr(Expr::FnCall(f, _))
            | ASTNode::Stmt(Stmt::FnCall(f, _))
                if f.namespace.is_empty() && matches!(f.name.as_str(), "check" | "record") =>
            {
                // As a method the label is the first argument; as a function, the second.
                let nth = usize::from(!matches!(node, ASTNode::Expr(Expr::MethodCall(..))));
                let literal = match f.args.get(nth) {
                    Some(Expr::StringConstant(s, _)) => Some(s.to_string()),
                    _ => None,
                };
                let construct = if f.name == "check" {
                    Construct::Check { label: literal }
                } else {
                    Construct::Record { outcome: literal }
                };
                Some(Found {
                    site: site(construct),
                    blocks: None,
                })
            }
            _ => None,
        };
        if let Some(new) = new {
            found.push(new);
        }
        true
    });
    let mut nodes = Probes::new();
    for (node, site, slot) in probes {
        nodes.entry(node).or_default().push((site, slot));
    }
    (found.into_iter().map(|f| f.site).collect(), nodes)
}

/// Probes a loop's statement and its body's first statement; false for an empty body,
/// which has nothing to run.
fn loop_site(
    probes: &mut Vec<(NodeKey, usize, Slot)>,
    node: ASTNode,
    index: usize,
    body: &StmtBlock,
) -> bool {
    probes.push((key(node), index, Slot::Reached));
    let first = entry(body);
    if let Some(first) = first {
        probes.push((first, index, Slot::Yes));
    }
    first.is_some()
}
