"""The core must stay usable without Textual: scripts and the headless CLI rely on it."""

from __future__ import annotations

import subprocess
import sys

# Walks the installed package, so a module added tomorrow is checked without editing this.
WALK_CORE = """
import importlib, pkgutil, sys
import reader
names = ["reader"]
for info in pkgutil.walk_packages(reader.__path__, "reader."):
    if info.name == "reader.tui" or info.name.startswith("reader.tui."):
        continue
    if info.name == "reader.__main__":
        continue  # runs the CLI when imported
    importlib.import_module(info.name)
    names.append(info.name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(len(names))
print(",".join(loaded))
"""


def test_no_core_module_imports_textual() -> None:
    """Every module outside reader.tui, found by walking the package, in a fresh process."""
    result = subprocess.run([sys.executable, "-c", WALK_CORE], capture_output=True,
                            text=True, check=True)
    count, loaded = [*result.stdout.splitlines(), "", ""][:2]
    assert int(count) >= 30  # the walk really found the core, not an empty package
    assert loaded == "", f"textual loaded by the core: {loaded}"


def test_the_walk_would_notice_textual() -> None:
    """The check above can fail: a core module that imports Textual is caught."""
    code = WALK_CORE.replace("import reader\n", "import reader, textual\n", 1)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines()[1].startswith("textual")


def test_headless_extract_does_not_import_textual(tmp_path: object) -> None:
    code = (
        "import sys\n"
        "from reader.cli import main\n"
        "from reader.sources import demo_sources\n"
        "main(['extract', '--format', 'json', sys.argv[1]])\n"
        "assert not any(m.startswith('textual') for m in sys.modules), 'textual loaded'\n"
    )
    from reader.sources import demo_sources, read_demo

    demo = demo_sources()[0]
    path = tmp_path / demo.location  # type: ignore[operator]
    path.write_bytes(read_demo(demo.location))
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert '"title"' in result.stdout
