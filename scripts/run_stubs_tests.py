"""Type-check every file in stubs-tests/ with mypy and basedpyright, and compare with markers.

A line that must be rejected ends with a marker comment: `# E: <mypy-code>` (optionally
followed by a pyright rule, `# E: arg-type reportArgumentType`). The run fails when a marked
line is accepted by either checker (or gets another mypy code), or when an unmarked line errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "stubs-tests"
BIN = Path(sys.executable).parent
MARKER = re.compile(r"#\s*E:\s*(?P<code>[\w-]+)(?:\s+(?P<rule>report\w+))?")
MYPY_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<msg>.*?)(?:\s+\[(?P<code>[\w-]+)\])?$"
)


@dataclass(frozen=True)
class Marker:
    code: str
    rule: str | None


def markers() -> dict[tuple[str, int], Marker]:
    found: dict[tuple[str, int], Marker] = {}
    for file in sorted(CASES.glob("*.py")):
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                found[(file.name, number)] = Marker(match["code"], match["rule"])
    return found


def mypy_errors() -> dict[tuple[str, int], list[tuple[str, str]]]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'demo'}"}
    result = subprocess.run(
        [
            str(BIN / "mypy"),
            "--no-error-summary",
            "--hide-error-context",
            "--no-pretty",
            str(CASES),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    errors: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for line in result.stdout.splitlines():
        match = MYPY_LINE.match(line)
        if match:
            key = (Path(match["file"]).name, int(match["line"]))
            errors[key].append((match["code"] or "misc", match["msg"]))
        elif ": note:" not in line and line.strip():
            errors[("<mypy>", 0)].append(("output", line))
    return errors


def pyright_errors() -> dict[tuple[str, int], list[tuple[str, str]]]:
    result = subprocess.run(
        [str(BIN / "basedpyright"), "--outputjson", str(CASES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    errors: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] != "error":
            continue
        key = (Path(diagnostic["file"]).name, diagnostic["range"]["start"]["line"] + 1)
        errors[key].append((diagnostic.get("rule", "error"), diagnostic["message"]))
    return errors


def main() -> int:
    expected = markers()
    from_mypy = mypy_errors()
    from_pyright = pyright_errors()
    failures: list[str] = []
    for (file, line), marker in sorted(expected.items()):
        codes = [code for code, _ in from_mypy.get((file, line), [])]
        if marker.code not in codes:
            failures.append(
                f"{file}:{line}: mypy accepted a line marked E: {marker.code} (got {codes})"
            )
        rules = [rule for rule, _ in from_pyright.get((file, line), [])]
        if not rules:
            failures.append(f"{file}:{line}: basedpyright accepted a line marked E: {marker.code}")
        elif marker.rule and marker.rule not in rules:
            failures.append(f"{file}:{line}: basedpyright gave {rules}, not {marker.rule}")
    for name, errors in (("mypy", from_mypy), ("basedpyright", from_pyright)):
        for (file, line), messages in sorted(errors.items()):
            if (file, line) not in expected:
                for code, message in messages:
                    failures.append(f"{file}:{line}: unexpected {name} error [{code}]: {message}")
    cases = len(list(CASES.glob("*.py")))
    if failures:
        print("\n".join(failures))
        print(f"stubs-tests: {len(failures)} failed, {cases} files, {len(expected)} marked lines")
        return 1
    print(f"stubs-tests: all {cases} files pass; {len(expected)} rejected lines confirmed by both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
