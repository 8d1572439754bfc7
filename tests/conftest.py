"""Shared test set-up: an isolated READER_HOME so no test touches the user's files."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "reader-home"
    home.mkdir()
    monkeypatch.setenv("READER_HOME", str(home))
    return home


PUBLIC_TEST_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def hermetic_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may look a name up on the network: every name but ``localhost`` resolves to
    one public address (the fetch checks the address of each host before connecting).
    IP literals pass through, so servers on 127.0.0.1 are reached as usual."""
    import ipaddress
    import socket

    real = socket.getaddrinfo

    def fake(host: object, port: object, *args: object, **kwargs: object) -> object:
        name = host.decode() if isinstance(host, bytes) else str(host)
        try:
            ipaddress.ip_address(name.strip("[]"))
        except ValueError:
            if name != "localhost":
                return [(socket.AF_INET, socket.SOCK_STREAM, 6, "",
                         (PUBLIC_TEST_ADDRESS, port or 80))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
