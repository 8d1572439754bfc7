"""The core must stay usable without Textual: scripts and the headless CLI rely on it."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "reader", "reader.models", "reader.errors", "reader.cli", "reader.sources",
    "reader.fetch", "reader.extract", "reader.plaintext", "reader.export",
    "reader.analysis", "reader.analysis.entities", "reader.analysis.quotes",
    "reader.analysis.facts", "reader.config", "reader.paths", "reader.db", "reader.feeds",
    "reader.feeds_cli", "reader.analysis.pool", "reader.state", "reader.store",
    "reader.anchors", "reader.library_cli", "reader.feed_reading",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""


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
