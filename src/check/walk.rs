//! The walk over one file's syntax tree, as written: it follows what each variable holds
//! where that is clear (`facts` is `Facts`, `for s in facts.squads` binds a `Squad`,
//! `facts.variant(k)` is a `Variant`, `decision(..)` a decision) and hands each field read
//! and each call of the decision API to the check that judges it.

use rhai::{AST, ASTFlags, ASTNode, Expr, FnCallExpr, Position, Stmt, StmtBlock};

use super::calls::{self, Arg};
use super::fields;
use super::operators;
use super::reads;
use super::site::Site;
use super::ty::{Literal, Ty};
use super::values;

/// A name in scope and what it holds.
#[derive(Clone)]
struct Binding {
    name: String,
    ty: Ty,
    /// The literal a constant was declared with.
    constant: Option<Literal>,
}

struct Walker<'s, 'a> {
    site: &'s mut Site<'a>,
    scope: Vec<Binding>,
}

/// Walks the top-level code of `ast`, then each function body (where only constants are
/// known, as in Rhai, functions see no outer variables).
pub fn file(site: &mut Site, ast: &AST, policy: bool) {
    let mut w = Walker {
        site,
        scope: Vec::new(),
    };
    if policy {
        w.bind("facts", Ty::Handle("Facts"), None);
    }
    for stmt in ast.statements() {
        w.stmt(stmt);
    }
    let constants: Vec<Binding> = w
        .scope
        .iter()
        .filter(|b| b.constant.is_some())
        .cloned()
        .collect();
    // Function bodies are reached through Rhai's own walk: each top-level statement of a
    // body comes with a path of one; a new body starts where the last one ended.
    let bodies = ast.clone_functions_only();
    let ends: Vec<_> = bodies
        .iter_fn_def()
        .map(|f| (f.body.start_position(), f.body.end_position()))
        .collect();
    let mut current = None;
    bodies.walk(&mut |path: &[ASTNode]| {
        if let [ASTNode::Stmt(stmt)] = path {
            let pos = stmt.position();
            let body = ends.iter().position(|(start, end)| {
                !pos.is_none()
                    && !start.is_none()
                    && *start <= pos
                    && (end.is_none() || pos <= *end)
            });
            if body != current || body.is_none() {
                current = body;
                w.scope.clone_from(&constants);
            }
            w.stmt(stmt);
        }
        true
    });
}

impl Walker<'_, '_> {
    fn bind(&mut self, name: &str, ty: Ty, constant: Option<Literal>) {
        self.scope.push(Binding {
            name: name.to_owned(),
            ty,
            constant,
        });
    }

    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scope.iter().rev().find(|b| b.name == name)
    }

    fn block(&mut self, block: &StmtBlock) {
        let depth = self.scope.len();
        for stmt in block.iter() {
            self.stmt(stmt);
        }
        self.scope.truncate(depth);
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::If(flow, _) | Stmt::While(flow, _) | Stmt::Do(flow, ..) => {
                self.expr(&flow.expr);
                self.block(&flow.body);
                self.block(&flow.branch);
            }
            Stmt::TryCatch(flow, _) => {
                self.block(&flow.body);
                let depth = self.scope.len();
                if let Expr::Variable(v, ..) = &flow.expr {
                    self.bind(&v.1, Ty::Unknown, None);
                }
                self.block(&flow.branch);
                self.scope.truncate(depth);
            }
            Stmt::Switch(switch, _) => {
                self.expr(&switch.0);
                for case in &switch.1.expressions {
                    self.expr(&case.lhs);
                    self.expr(&case.rhs);
                }
            }
            Stmt::For(each, _) => {
                let (var, counter, flow) = &**each;
                let element = self.expr(&flow.expr).element();
                let depth = self.scope.len();
                self.bind(&var.name, element, None);
                if let Some(counter) = counter {
                    self.bind(&counter.name, Ty::Int, None);
                }
                self.block(&flow.body);
                self.scope.truncate(depth);
            }
            Stmt::Var(var, flags, _) => {
                let (name, value, _) = &**var;
                let ty = self.expr(value);
                let constant = if flags.intersects(ASTFlags::CONSTANT) {
                    Literal::of(value)
                } else {
                    None
                };
                self.bind(&name.name, ty, constant);
            }
            Stmt::Assignment(assign) => {
                let (_, target) = &**assign;
                let ty = self.expr(&target.rhs);
                match &target.lhs {
                    // A variable that may now hold something else is no longer followed.
                    Expr::Variable(v, ..) => {
                        let name = v.1.to_string();
                        if let Some(b) = self.scope.iter_mut().rev().find(|b| b.name == name) {
                            if b.ty != ty {
                                b.ty = Ty::Unknown;
                            }
                        }
                    }
                    other => {
                        self.expr(other);
                    }
                }
            }
            Stmt::FnCall(call, pos) => {
                self.call(call, *pos);
            }
            Stmt::Block(block) => self.block(block),
            Stmt::Expr(e) => {
                self.expr(e);
            }
            Stmt::BreakLoop(Some(e), ..) | Stmt::Return(Some(e), ..) => {
                self.expr(e);
            }
            Stmt::Import(import, _) => {
                self.expr(&import.0);
                self.bind(&import.1.name, Ty::Unknown, None);
            }
            _ => {}
        }
    }

    fn expr(&mut self, e: &Expr) -> Ty {
        match e {
            Expr::Variable(v, ..) => self.lookup(&v.1).map_or(Ty::Unknown, |b| b.ty.clone()),
            Expr::InterpolatedString(parts, _) => {
                for part in parts.iter() {
                    self.expr(part);
                }
                Ty::Str
            }
            Expr::Array(items, _) => {
                for item in items.iter() {
                    self.expr(item);
                }
                Ty::Array
            }
            Expr::Map(map, _) => {
                for (_, value) in &map.0 {
                    self.expr(value);
                }
                Ty::Map
            }
            Expr::Stmt(block) => {
                self.block(block);
                Ty::Unknown
            }
            Expr::FnCall(call, pos) => self.call(call, *pos),
            Expr::Dot(chain, ..) => {
                let on = self.expr(&chain.lhs);
                self.member(on, &chain.rhs)
            }
            Expr::Index(chain, flags, _) => {
                let on = self.expr(&chain.lhs);
                self.index(on, &chain.rhs, *flags)
            }
            Expr::And(items, _) | Expr::Or(items, _) => {
                for item in items.iter() {
                    self.expr(item);
                }
                Ty::Bool
            }
            Expr::Coalesce(items, _) => {
                let tys: Vec<Ty> = items.iter().map(|item| self.expr(item)).collect();
                tys.last().cloned().unwrap_or(Ty::Unknown)
            }
            other => Literal::of(other).map_or(Ty::Unknown, |l| l.ty()),
        }
    }

    /// What reading `e` on a value of type `on` gives, `e` being the right of a dot.
    fn member(&mut self, on: Ty, e: &Expr) -> Ty {
        match e {
            Expr::Property(p, pos) => match on {
                Ty::Handle(t) => fields::property(self.site, t, &p.2, *pos),
                Ty::Read(policy) if p.2 == "values" => Ty::Values(policy),
                Ty::Values(policy) => {
                    values::key(self.site, &policy, &p.2, *pos, p.2.chars().count());
                    Ty::Unknown
                }
                _ => Ty::Unknown,
            },
            Expr::MethodCall(call, _) => self.method(on, call),
            Expr::Dot(chain, ..) => {
                let next = self.member(on, &chain.lhs);
                self.member(next, &chain.rhs)
            }
            Expr::Index(chain, flags, _) => {
                let next = self.member(on, &chain.lhs);
                self.index(next, &chain.rhs, *flags)
            }
            other => {
                self.expr(other);
                Ty::Unknown
            }
        }
    }

    /// What indexing a value of type `on` gives. Rhai writes `a[i].b` as an index whose
    /// right side is `i` followed by the rest of the chain; `BREAK` marks an index that
    /// ends the chain, its right side being only the index.
    fn index(&mut self, on: Ty, rhs: &Expr, flags: ASTFlags) -> Ty {
        if flags.intersects(ASTFlags::BREAK) {
            if let (Ty::Values(policy), Expr::StringConstant(key, pos)) = (&on, rhs) {
                values::key(self.site, policy, key, *pos, key.chars().count() + 2);
                return Ty::Unknown;
            }
            self.expr(rhs);
            return on.element();
        }
        match rhs {
            Expr::Dot(rest, ..) => {
                self.expr(&rest.lhs);
                self.member(on.element(), &rest.rhs)
            }
            Expr::Index(rest, flags, _) => {
                self.expr(&rest.lhs);
                self.index(on.element(), &rest.rhs, *flags)
            }
            other => {
                self.expr(other);
                on.element()
            }
        }
    }

    fn args(&mut self, call: &FnCallExpr) -> Vec<Arg> {
        call.args
            .iter()
            .map(|e| {
                let ty = self.expr(e);
                let (mut literal, mut constant, mut text) = (Literal::of(e), None, None);
                if let Expr::Variable(v, ..) = e {
                    text = Some(v.1.to_string());
                    if let Some(b) = self.lookup(&v.1).filter(|b| b.constant.is_some()) {
                        literal.clone_from(&b.constant);
                        constant = Some(v.1.to_string());
                    }
                }
                if let Expr::Dot(chain, ..) = e {
                    if let (Expr::Variable(v, ..), Expr::Property(p, _)) = (&chain.lhs, &chain.rhs)
                    {
                        text = Some(format!("{}.{}", v.1, p.2));
                    }
                }
                let span = match (e, &literal, &text) {
                    (Expr::StringConstant(s, _), ..) => s.chars().count() + 2,
                    (Expr::Variable(..), _, Some(t)) => t.chars().count(),
                    (_, _, Some(t)) => t.chars().count(),
                    _ => 1,
                };
                Arg {
                    pos: e.start_position(),
                    span,
                    ty,
                    literal,
                    constant,
                    text,
                }
            })
            .collect()
    }

    fn method(&mut self, on: Ty, call: &FnCallExpr) -> Ty {
        let args = self.args(call);
        match (on, call.name.as_str(), args.len()) {
            (Ty::Handle(t), name, _) => fields::method(t, name),
            (Ty::Values(policy), "get", 1) => {
                if let Some(Literal::Str(key)) = &args[0].literal {
                    values::key(self.site, &policy, key, args[0].pos, args[0].span);
                }
                Ty::Unknown
            }
            (Ty::Decision | Ty::Unknown, "check", 4 | 5) => {
                calls::check(self.site, &args);
                Ty::Bool
            }
            (Ty::Decision | Ty::Unknown, "record", 2) => {
                calls::record(self.site, &args);
                Ty::Unknown
            }
            _ => Ty::Unknown,
        }
    }

    fn call(&mut self, call: &FnCallExpr, pos: Position) -> Ty {
        let args = self.args(call);
        if !call.namespace.is_empty() {
            return Ty::Unknown;
        }
        if call.is_operator_call() {
            if let Some(ty) = operators::binary(self.site, &call.name, pos, &args) {
                return ty;
            }
        }
        match (call.name.as_str(), args.as_slice()) {
            ("decision", [_]) => Ty::Decision,
            ("decisions", [read]) => {
                if let Some(Literal::Str(name)) = &read.literal {
                    reads::decisions(self.site, name, read.pos, read.span);
                    return Ty::Reads(name.clone());
                }
                Ty::Array
            }
            _ => Ty::Unknown,
        }
    }
}
