#!/usr/bin/env python3
"""Checks src/ for import cycles: between top-level modules, and between the
modules of one folder (a parent that merely declares `mod child` does not count
as importing it). Prints each cycle; exits 1 if there is one."""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def module_of(rel):
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


files = {}
for root, _, names in os.walk(SRC):
    for n in names:
        if n.endswith(".rs"):
            path = os.path.join(root, n)
            rel = os.path.relpath(path, SRC)
            files[module_of(rel)] = path


# A module compiled for tests only (`#[cfg(test)] mod tests;` in a file of its own, its
# `#[path]` or its folder) is no part of the layering: like the suite, a unit test may use
# any module, as the inline `#[cfg(test)] mod tests` cut off below may.
def test_modules():
    out = set()
    for m, path in files.items():
        text = open(path, encoding="utf-8").read()
        for attrs, name in re.findall(
            r"#\[cfg\(test\)\]\s*((?:#\[[^\]]*\]\s*)*)mod\s+(\w+)\s*;", text
        ):
            at = re.search(r'#\[path\s*=\s*"([^"]+)"\]', attrs)
            if at:
                file = os.path.normpath(os.path.join(os.path.dirname(path), at.group(1)))
                out.add(module_of(os.path.relpath(file, SRC)))
            else:
                out.add(m + (name,))
    return out


tests_only = test_modules()
files = {m: p for m, p in files.items() if not any(m[: len(t)] == t for t in tests_only)}
mods = set(files)


def strip_comments(text):
    # A `#[cfg(test)] mod tests` (always last) sees its own file through `super`.
    text = text.split("#[cfg(test)]\nmod tests")[0]
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def resolve(path):
    """The longest known module that is a prefix of `path`."""
    for i in range(len(path), -1, -1):
        if tuple(path[:i]) in mods:
            return tuple(path[:i])
    return ()


def expand_use(body):
    """`a::{b, c::{d}}` -> [[a,b], [a,c,d]] (enough of use-tree syntax for paths)."""
    body = re.sub(r"\s+", "", body)
    out = []

    def walk(prefix, s):
        if "{" not in s:
            for item in split_top(s):
                if item:
                    out.append(prefix + [p for p in item.split("as")[0].split("::") if p])
            return
        for item in split_top(s):
            if "{" in item:
                head, rest = item.split("{", 1)
                walk(prefix + [p for p in head.split("::") if p], rest[:-1])
            elif item:
                out.append(prefix + [p for p in item.split("::") if p])

    walk([], body)
    return out


def split_top(s):
    depth, cur, items = 0, "", []
    for ch in s:
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    items.append(cur)
    return items


# What each module re-exports (`pub use child::Name`): a path through the parent
# to such a name is an edge to the child that defines it, not to the parent.
reexports = {m: {} for m in mods}
for m, path in files.items():
    text = strip_comments(open(path, encoding="utf-8").read())
    for body in re.findall(r"\bpub(?:\([^)]*\))?\s+use\s+([^;]+);", text):
        for p in expand_use(body):
            if not p:
                continue
            if p[0] == "crate":
                full = p[1:]
            elif p[0] == "self":
                full = list(m) + p[1:]
            else:
                full = list(m) + p
            target = resolve(full)
            if target and target != m:
                reexports[m][p[-1]] = target


def through(target, path):
    rest = path[len(target):]
    if rest and rest[0] in reexports.get(target, {}):
        return reexports[target][rest[0]]
    return target


edges = {m: set() for m in mods}
for m, path in files.items():
    text = strip_comments(open(path, encoding="utf-8").read())
    is_dir_mod = os.path.basename(path) in ("mod.rs", "lib.rs", "main.rs")
    here = m if is_dir_mod else m  # module itself
    base_for_super = m[:-1]
    declared = set(re.findall(r"^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text, re.M))
    paths = []
    # A re-export (`pub use child::X`) is the folder's facade, not an import: a path
    # through it is followed to the module that defines X (see `through`).
    for body in re.findall(r"(?<!pub )(?<!\) )\buse\s+([^;]+);", text):
        paths += expand_use(body)
    no_use = re.sub(r"\buse\s+[^;]+;", "", text)
    paths += [p.split("::") for p in re.findall(r"\b(?:crate|super|self)(?:::\w+)+", no_use)]
    for p in paths:
        if not p:
            continue
        if p[0] == "crate":
            if m and m[0] == "main" or (m and m[0] == "cli") or m == ("main",):
                target = resolve(["cli"] + p[1:]) if m and m[0] == "cli" and p[1:2] == ["cli"] else resolve(p[1:])
            else:
                target = resolve(p[1:])
        elif p[0] == "super":
            base = list(base_for_super)
            rest = p[1:]
            while rest and rest[0] == "super":
                base, rest = base[:-1], rest[1:]
            target = resolve(base + rest)
        elif p[0] == "self":
            target = resolve(list(m) + p[1:])
        elif p[0] in declared:
            target = resolve(list(m) + p)
        else:
            continue
        full = None
        if target:
            edges_path = {"crate": p[1:]}.get(p[0])
            if p[0] == "crate":
                full = p[1:]
            elif p[0] == "super":
                base, rest = list(base_for_super), p[1:]
                while rest and rest[0] == "super":
                    base, rest = base[:-1], rest[1:]
                full = base + rest
            elif p[0] == "self":
                full = list(m) + p[1:]
            else:
                full = list(m) + p
            if target != m:
                target = through(target, full)
        if target and target != m:
            edges[m].add(target)


def sccs(graph):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "crate"


found = []
# Between top-level modules (the library's layers; cli is one of them).
top = {}
for a, bs in edges.items():
    for b in bs:
        if a[:1] != b[:1] and a[:1] and b[:1]:
            top.setdefault(a[:1], set()).add(b[:1])
for comp in sccs(top):
    found.append(("top-level", comp, top))
# Within each folder: the folder module and its direct children, siblings collapsed.
parents = {m[:-1] for m in mods if len(m) >= 1}
for parent in sorted(parents):
    local = {}
    for a, bs in edges.items():
        if a[: len(parent)] != parent:
            continue
        for b in bs:
            if b[: len(parent)] != parent:
                continue
            ka, kb = a[: len(parent) + 1], b[: len(parent) + 1]
            if ka != kb:
                local.setdefault(ka, set()).add(kb)
    for comp in sccs(local):
        found.append(("in " + name(parent), comp, local))

for where, comp, graph in found:
    print(f"cycle {where}: " + ", ".join(name(c) for c in comp))
    for a in comp:
        for b in sorted(graph.get(a, ())):
            if b in comp:
                print(f"  {name(a)} -> {name(b)}")
sys.exit(1 if found else 0)
