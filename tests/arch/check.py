#!/usr/bin/env python3
"""The house rules a reviewer would otherwise count by hand (issue 18):

- no source file over 600 lines, outside tests and generated code;
- no import circle between Rust modules or between TypeScript files.

A Rust circle is counted between siblings: when a file uses an item of
another module, both are lifted to the children of their closest common
module, so `backup/format.rs -> vault/mod.rs` is an edge backup -> vault,
while a child using its parent (`super::`) or a parent re-exporting its
child is not. Test modules (`#[cfg(test)] mod tests` at a file's end) are
left out: a test may reach anywhere.

Exit status 1 with one line per finding, so scripts/test fails on it.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_LINES = 600
RUST_CRATES = ["core/src", "cli/src", "src-tauri/src"]
TS_ROOT = "ui/src"
# Generated TypeScript: a bindings*.ts or generated*.ts file, or a .ts file
# in a bindings/ or generated/ folder (ui/src/bindings/, written by ts-rs).
GENERATED = re.compile(r"(^|/)(bindings|generated)([^/]*|/[^/]*)\.ts$")


def rust_files(src):
    for dirpath, _, names in os.walk(os.path.join(ROOT, src)):
        for n in names:
            if n.endswith(".rs"):
                yield os.path.join(dirpath, n)


def module_of(src, path):
    rel = os.path.relpath(path, os.path.join(ROOT, src))[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return tuple(rel)


def strip_tests(text):
    m = re.search(r"^#\[cfg\(test\)\]\s*\n\s*mod tests\b", text, re.M)
    return text[: m.start()] if m else text


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def expand(prefix, body):
    """Expands a `use` tree (`a::{b, c::{d}}`) into flat paths."""
    body = body.strip()
    if not body:
        return [prefix]
    i = body.find("{")
    if i < 0:
        return [prefix + [p for p in body.split("::") if p]]
    head = [p for p in body[:i].split("::") if p]
    inner = body[i + 1 : body.rfind("}")]
    parts, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        if p.strip():
            out += expand(prefix + head, p)
    return out


def rust_paths(text):
    paths = []
    for m in re.finditer(r"\buse\s+((?:crate|super|self)\b[^;]*);", text):
        paths += expand([], re.sub(r"\s+as\s+\w+", "", m.group(1)))
    for m in re.finditer(r"(?<![\w:])((?:crate|super)(?:::\w+)+)", text):
        paths.append(m.group(1).split("::"))
    return paths


def resolve(module, path, modules):
    """The module a path names: the longest prefix that is a module file."""
    cur = list(module)
    segs = list(path)
    if segs and segs[0] == "crate":
        cur, segs = [], segs[1:]
    while segs and segs[0] in ("super", "self"):
        if segs.pop(0) == "super":
            cur = cur[:-1]
    best = tuple(cur)
    for s in segs:
        cur = cur + [s.strip()]
        if tuple(cur) in modules:
            best = tuple(cur)
        else:
            break
    return best


def rust_edges(src):
    files = {module_of(src, f): f for f in rust_files(src)}
    edges = {}
    for mod, f in files.items():
        text = strip_comments(strip_tests(open(f, encoding="utf-8").read()))
        for path in rust_paths(text):
            target = resolve(mod, path, files)
            n = 0
            while n < min(len(mod), len(target)) and mod[n] == target[n]:
                n += 1
            if n == len(mod) or n == len(target):
                continue  # the same module, a parent or a child
            a, b = mod[: n + 1], target[: n + 1]
            edges.setdefault(a, {}).setdefault(b, (f, path))
    return edges


def ts_edges():
    edges = {}
    base = os.path.join(ROOT, TS_ROOT)
    for dirpath, _, names in os.walk(base):
        for n in names:
            if not n.endswith(".ts") or n.endswith(".test.ts") or n.endswith(".d.ts"):
                continue
            f = os.path.join(dirpath, n)
            text = open(f, encoding="utf-8").read()
            for m in re.finditer(r"""(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]""", text):
                if re.match(r"import\s+type\b", text[m.start():m.start() + 12]):
                    continue  # types vanish when compiled: no load-order circle
                t = os.path.normpath(os.path.join(dirpath, m.group(1)))
                t = t if t.endswith(".ts") else t + ".ts"
                key = lambda p: tuple(os.path.relpath(p, base).split(os.sep))
                edges.setdefault(key(f), {}).setdefault(key(t), (f, m.group(1)))
    return edges


def circles(edges):
    """Tarjan's strongly connected components of more than one node."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
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

    sys.setrecursionlimit(10000)
    for v in list(edges):
        if v not in index:
            visit(v)
    return out


def long_files():
    for src in RUST_CRATES + [TS_ROOT, "scripts"]:
        for dirpath, _, names in os.walk(os.path.join(ROOT, src)):
            if "node_modules" in dirpath:
                continue
            for n in names:
                f = os.path.join(dirpath, n)
                rel = os.path.relpath(f, ROOT)
                if n.endswith(".test.ts") or GENERATED.search(rel):
                    continue
                if not (n.endswith((".rs", ".ts", ".css", ".html")) or src == "scripts"):
                    continue
                lines = sum(1 for _ in open(f, encoding="utf-8", errors="replace"))
                if lines > MAX_LINES:
                    yield rel, lines


def self_test():
    """The checker finds what it must: a circle between siblings, and not
    a child using its parent."""
    import tempfile
    global ROOT
    saved = ROOT
    with tempfile.TemporaryDirectory() as d:
        ROOT = d
        src = os.path.join(d, "c", "src")
        os.makedirs(os.path.join(src, "a"))
        files = {
            "lib.rs": "mod a;\nmod b;\n",
            "a/mod.rs": "mod x;\nuse crate::b::B;\npub use x::X;\n",
            "a/x.rs": "use super::Y;\n",
            "b.rs": "use crate::a::x::X;\n",
        }
        for name, text in files.items():
            with open(os.path.join(src, name), "w") as f:
                f.write(text)
        found = circles(rust_edges("c/src"))
        assert found == [[("a",), ("b",)]], found
        with open(os.path.join(src, "b.rs"), "w") as f:
            f.write("// use crate::a::X; in a comment\n")
        assert circles(rust_edges("c/src")) == []
    ROOT = saved


def main():
    self_test()
    problems = []
    for rel, lines in long_files():
        problems.append(f"{rel}: {lines} lines (at most {MAX_LINES}): split it by workflow")
    for src in RUST_CRATES:
        edges = rust_edges(src)
        for comp in circles(edges):
            names = ["::".join(c) for c in comp]
            why = []
            for a in comp:
                for b in comp:
                    if b in edges.get(a, {}):
                        f, path = edges[a][b]
                        why.append(f"{os.path.relpath(f, ROOT)} uses {'::'.join(path)}")
            problems.append(f"{src}: import circle between {', '.join(names)} ({'; '.join(why)})")
    for comp in circles(ts_edges()):
        problems.append(f"{TS_ROOT}: import circle between {', '.join('/'.join(c) for c in comp)}")
    for p in problems:
        print(p)
    if problems:
        sys.exit(1)
    print("house rules: no file over 600 lines, no import circle")


if __name__ == "__main__":
    main()
