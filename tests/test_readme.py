"""The README's examples, run: the Python example and the worked example of adding an
article, each in a copy of the project, compared with the output the README shows.

In a README block a comment line right under a statement or command is its output:
``# [...]`` under a Python expression is the expression's repr; ``# ...`` lines under a
shell command are lines the command prints, in order (others may come between). "…"
stands for any text. Blocks that cannot run in a copied project (installing, starting
JupyterLab, changing user settings) are left out by their first command.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aidstats.build import build
from aidstats.paths import ProjectPaths
from support import RAW, ROOT

README = ROOT / "README.md"
#: Blocks whose first command cannot run in a copied project.
NOT_RUN = ("python3 -m venv", ". .venv/bin/activate")


def blocks(language: str) -> list[str]:
    """The README's fenced code blocks in ``language``."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected`` with each "…" standing for any text."""
    parts = [re.escape(p) for p in expected.split("…")]
    return re.fullmatch(".*".join(parts), actual, flags=re.S) is not None


def copied_project(tmp_path: Path) -> Path:
    """A copy of the project's raw data and the README's test article."""
    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(ROOT / "tests" / "data" / "byo", root / "tests" / "data" / "byo")
    return root


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "AIDSTATS_ROOT"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


# ---------------------------------------------------------------- Python


def python_steps(block: str) -> list[tuple[str, str | None]]:
    """(source, expected repr or None) for each top-level statement of a block."""
    lines = block.splitlines()
    steps = []
    for node in ast.parse(block).body:
        source = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        shown = []
        for line in lines[node.end_lineno :]:
            if not line.startswith("#"):
                break
            shown.append(line[1:].strip())
        expected = " ".join(shown) if shown and isinstance(node, ast.Expr) else None
        steps.append((source, expected))
    return steps


_RUNNER = """
import json, sys
steps = json.loads(sys.argv[1])
ns = {}
for source, expected in steps:
    if expected is None:
        exec(source, ns)
    else:
        print(json.dumps(repr(eval(source, ns)), ensure_ascii=False))
"""


def test_python_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    (block,) = blocks("python")
    steps = python_steps(block)
    shown = [e for _, e in steps if e is not None]
    assert shown, "the README's Python example shows no output to check"
    project = copied_project(tmp_path)
    build(ProjectPaths(project))  # set-up command 1 of the README builds before any example
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, json.dumps(steps)],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    printed = [json.loads(line) for line in done.stdout.splitlines()]
    for expected, actual in zip(shown, printed, strict=True):
        # the README wraps long output: compare with runs of spaces as one
        assert re.sub(r"\s+", " ", actual) == re.sub(r"\s+", " ", expected)


# ---------------------------------------------------------------- shell


def shell_steps(block: str) -> list[tuple[str, list[str]]]:
    """(command, lines it should print) for each command of a block; a command may
    continue over lines ending in a backslash."""
    steps: list[tuple[str, list[str]]] = []
    pending = ""
    for line in block.splitlines():
        if pending:
            pending += " " + line.strip()
        elif line.startswith("#"):
            if steps:  # a comment before any command describes the block
                steps[-1][1].append(line[1:].removeprefix(" "))
            continue
        else:
            pending = line.strip()
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        steps.append((pending.split(" #")[0].strip(), []))
        pending = ""
    return steps


def _run_aidstats(command: str, root: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split(command)
    assert args[0] == "aidstats", f"the README's example runs {args[0]}, not aidstats"
    main = "from aidstats.cli import console; console()"  # what the installed script runs
    return subprocess.run(
        [sys.executable, "-c", main, *args[1:]],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _in_order(expected: list[str], printed: list[str]) -> list[str]:
    """The expected lines not found, in order, among the printed ones."""
    missing, at = [], 0
    for want in expected:
        if want.strip() == "…":
            continue
        found = next((i for i in range(at, len(printed)) if matches(want, printed[i])), None)
        if found is None:
            missing.append(want)
        else:
            at = found + 1
    return missing


def _first_command(block: str) -> str:
    return next((ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")), "")


RUNNABLE = [b for b in blocks("bash") if not _first_command(b).startswith(NOT_RUN)]


def test_the_readme_has_a_worked_example() -> None:
    assert any("aidstats add" in b for b in RUNNABLE)


@pytest.mark.slow
@pytest.mark.parametrize("block", RUNNABLE, ids=[f"block{i}" for i in range(len(RUNNABLE))])
def test_shell_example_prints_what_the_readme_shows(block: str, tmp_path: Path) -> None:
    root = copied_project(tmp_path)
    for command, expected in shell_steps(block):
        done = _run_aidstats(command, root)
        assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
        printed = (done.stdout + done.stderr).splitlines()
        missing = _in_order(expected, printed)
        assert not missing, f"`{command}` did not print {missing}; it printed:\n{done.stdout}"


def test_matching_rules() -> None:
    """The comparison itself: "…" is any text, lines are found in order."""
    assert matches(
        "added x: …data/raw/a.txt (gb18030, …)", "added x: /tmp/p/data/raw/a.txt (gb18030, sha)"
    )
    assert not matches("blocks: 7", "blocks: 8")
    assert _in_order(["a", "…", "c"], ["a", "b", "c"]) == []
    assert _in_order(["c", "a"], ["a", "b", "c"]) == ["a"]
    steps = shell_steps("# about\naidstats add x \\\n    --id y\n# out\naidstats build  # note\n")
    assert steps == [("aidstats add x --id y", ["out"]), ("aidstats build", [])]
