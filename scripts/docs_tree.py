"""Draw the source tree for docs/architecture.md, or rewrite the drawing there (``--write``).

Each package is one line, indented by depth, followed by its Python modules (without ``.py``);
folders of data and templates are left out. ``tests/test_docs.py`` fails when the drawing in
docs/architecture.md and the tree under src/ disagree; ``make docs`` redraws it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "longcheng"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- tree:begin -->", "<!-- tree:end -->"
WIDTH = 100


def _packages(base: Path) -> list[Path]:
    found = [p.parent for p in base.rglob("__init__.py") if "migrations" not in p.relative_to(base).parts[:1]]
    return sorted(found, key=lambda p: p.relative_to(base.parent).parts)


def _line(pkg: Path) -> list[str]:
    rel = pkg.relative_to(SRC.parent)
    indent = "    " * (len(rel.parts) - 1)
    mods = sorted(p.stem for p in pkg.glob("*.py") if p.name != "__init__.py")
    head = f"{indent}{rel.parts[-1]}/"
    lines, current = [], head.ljust(len(indent) + 22)
    for name in mods:
        if len(current) + len(name) + 1 > WIDTH:
            lines.append(current.rstrip())
            current = " " * (len(indent) + 22)
        current += name + " "
    lines.append(current.rstrip())
    return lines


def drawing() -> str:
    lines = [line for pkg in _packages(SRC) for line in _line(pkg)]
    lines.append("    migrations/           env, versions/ (one Alembic branch per module)")
    return "```\n" + "\n".join(lines) + "\n```"


def current() -> str:
    text = DOC.read_text("utf-8")
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def main() -> int:
    if "--write" in sys.argv:
        text = DOC.read_text("utf-8")
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        DOC.write_text(f"{head}{BEGIN}\n{drawing()}\n{END}{tail}", "utf-8")
        return 0
    sys.stdout.write(drawing() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
