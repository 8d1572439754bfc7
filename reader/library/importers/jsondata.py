"""JSON from an export, parsed once and checked for shape before any field is read."""

from __future__ import annotations

import json
from typing import Any

from reader.errors import ReaderError
from reader.library.imports import check_shape


def load_json(data: bytes, what: str) -> Any:
    try:
        value = json.loads(data)
    except RecursionError:
        raise ReaderError(f"{what}: nested too deeply to be an export") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ReaderError(f"{what} is not JSON ({error})") from None
    check_shape(value, what)
    return value


def text_of(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def truthy(value: object) -> bool:
    """wallabag writes 0/1, other tools true/false or "1"."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return bool(value) if isinstance(value, int | float | bool) else False
