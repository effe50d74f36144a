"""The package's own import graph: acyclic, top-level imports only, cheap to import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import policyminer

PACKAGE = Path(policyminer.__file__).parent
# Function-level imports of the package's own modules that are allowed, each because the module
# it names imports spaCy (seconds at start-up) and is needed only by some operations.
LAZY_ALLOWED = {
    ("policyminer.ingest", "policyminer.enrich.actors"),
    ("policyminer.ingest", "policyminer.enrich.ner"),
    ("policyminer.library", "policyminer.enrich.actors"),
    ("policyminer.cli.actors", "policyminer.enrich.ner"),
    # Not spaCy: the web stack (uvicorn, Starlette, Jinja2) loads only for `serve`.
    ("policyminer.cli.serve", "policyminer.web.app"),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.Module, module: str) -> tuple[set[str], set[str]]:
    """(top-level imports, function-level imports) of policyminer modules; TYPE_CHECKING skipped."""
    top: set[str] = set()
    nested: set[str] = set()

    def names(node: ast.AST) -> set[str]:
        if isinstance(node, ast.Import):
            return {a.name for a in node.names}
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                base = ".".join([*module.split(".")[: -node.level], node.module])
            return {base}
        return set()

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            found = {n for n in names(child) if n.startswith("policyminer")}
            (nested if in_function else top).update(found)
            is_function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, in_function or is_function)

    visit(tree, False)
    return top, nested


def _graph() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    modules = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    top_graph, nested_graph = {}, {}
    for name, path in modules.items():
        top, nested = _imports(ast.parse(path.read_text(encoding="utf-8")), name)
        # "from policyminer.x import y" may name a submodule y: count the module that exists
        top_graph[name] = {m for m in top if m in modules and m != name}
        nested_graph[name] = {m for m in nested if m in modules and m != name}
    return top_graph, nested_graph


def test_the_import_graph_of_the_package_is_acyclic() -> None:
    top, nested = _graph()
    graph = {m: top[m] | nested[m] for m in top}
    graph["policyminer"] = set()  # the package's lazy exports are resolved on attribute access
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep) :], dep]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


def test_own_modules_are_imported_at_the_top_except_the_documented_spacy_ones() -> None:
    _, nested = _graph()
    found = {(m, dep) for m, deps in nested.items() for dep in deps}
    assert found <= LAZY_ALLOWED, sorted(found - LAZY_ALLOWED)


def test_every_module_imports_in_a_fresh_interpreter_in_sorted_order() -> None:
    top, _ = _graph()
    names = [m for m in sorted(top) if not m.endswith("__main__")]
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    run = subprocess.run(
        [sys.executable, "-c", code, *names], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-800:]


def test_importing_the_package_and_the_cli_loads_no_torch_or_spacy() -> None:
    code = (
        "import sys, policyminer, policyminer.cli\n"
        "from policyminer import Library, SearchResult\n"
        "print(sorted(m for m in ('torch', 'spacy', 'sentence_transformers', 'transformers')"
        " if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_help_shows_the_facade_and_its_records() -> None:
    code = (
        "import pydoc, policyminer; print(pydoc.render_doc(policyminer, renderer=pydoc.plaintext))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    for name in ("class Library", "class SearchResult", "class Answer", "class Document"):
        assert name in run.stdout, name
