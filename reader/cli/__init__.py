"""The ``reader`` command: the TUI by default, headless subcommands for scripts.

One module per command group — :mod:`.read` (extract, annotate), :mod:`.compare`,
:mod:`.library` (save, library, export, import), :mod:`.feeds` (feeds …), :mod:`.stories`
(stories), :mod:`.tui` (the reader itself) — and :mod:`.args` for what they share. Only the
TUI path imports Textual, so the headless commands start fast and work where no terminal is
attached.

Options that come before a command apply to it (``reader --library X save story.txt``).
Every :class:`reader.errors.ReaderError` ends the command with one line on stderr,
``reader: error: …``, and exit status 1.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from reader.errors import ReaderError
from reader.textutil import clean_inline

COMMANDS = ("extract", "annotate", "compare", "feeds", "stories", "save", "library",
            "export", "import")
# Global options with a value, which may stand before the command name.
_GLOBAL_WITH_VALUE = ("--library",)


def split_global_options(argv: Sequence[str]) -> tuple[list[str], str | None, list[str]]:
    """(options before the command, the command or None, the command's own arguments)."""
    before: list[str] = []
    rest = list(argv)
    while rest:
        head = rest[0]
        if head in _GLOBAL_WITH_VALUE and len(rest) >= 2:
            before += rest[:2]
            rest = rest[2:]
        elif head.startswith(tuple(f"{name}=" for name in _GLOBAL_WITH_VALUE)):
            before.append(head)
            rest = rest[1:]
        else:
            break
    if rest and rest[0] in COMMANDS:
        return before, rest[0], rest[1:]
    return [], None, list(argv)


def _runner(command: str) -> Callable[[list[str]], int]:
    if command == "extract":
        from reader.cli.read import run_extract

        return run_extract
    if command == "annotate":
        from reader.cli.read import run_annotate

        return run_annotate
    if command == "feeds":
        from reader.cli.feeds import run_feeds

        return run_feeds
    if command == "stories":
        from reader.cli.stories import run_stories

        return run_stories
    if command == "compare":
        from reader.cli.compare import run_compare

        return run_compare
    from reader.cli import library

    run: Callable[[list[str]], int] = getattr(library, f"run_{command}")
    return run


def _dispatch(argv: Sequence[str]) -> int:
    before, command, rest = split_global_options(argv)
    if command is None:
        from reader.cli.tui import run_tui

        return run_tui(rest)
    if command in ("extract", "annotate"):
        return _runner(command)(rest)  # they read no library: --library is moot
    if command == "feeds":  # ``reader feeds`` takes --library before its subcommand
        return _runner(command)([*before, *rest])
    return _runner(command)([*rest, *before])


def _report_config_problems() -> None:
    """Say once, on one line, what was wrong in config.toml (those keys use defaults);
    the TUI shows the same line as a notification."""
    from reader.config import load_config

    settings = load_config()
    if settings.problems:
        sys.stderr.write(f"reader: config.toml: {clean_inline('; '.join(settings.problems))}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if split_global_options(args_list)[1] is not None:
            _report_config_problems()
        return _dispatch(args_list)
    except ReaderError as exc:
        sys.stderr.write(f"reader: error: {clean_inline(str(exc))}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("reader: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
