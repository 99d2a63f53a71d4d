"""A real headless browser for the end-to-end tests: Debian's Chromium driven by Playwright.

The browser is installed by the project's own `scripts/install_browser.sh` the first time
a test needs it. In CI (CI=true) a browser that cannot be installed is a failure; on a
laptop the browser tests are skipped with the reason.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("SALES_INSIGHTS_CHROMIUM", "/usr/bin/chromium"))
ON_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str):
    message = f"the headless browser is not available: {reason}"
    if ON_CI:
        pytest.fail(message + " (CI=true: the browser tests must run)")
    pytest.skip(message)


@functools.cache
def _install_browser() -> str | None:
    """None when Chromium is there (installing it if needed), else why it is not."""
    if CHROMIUM.exists():
        return None
    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "install_browser.sh")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900,
    )
    if result.returncode != 0 or not CHROMIUM.exists():
        return f"scripts/install_browser.sh failed: {result.stdout[-2000:]}"
    return None


def require_chromium() -> Path:
    reason = _install_browser()
    if reason:
        _unavailable(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        _unavailable(f"Playwright is not installed ({error}); run the suite through scripts/test.sh")
    return CHROMIUM


@contextlib.contextmanager
def headless_page(width: int = 1400, height: int = 900):
    """A fresh page of a headless Chromium (Debian's, never a downloaded build)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable),
            headless=True,
            # /dev/shm is small in containers; the sandbox needs user namespaces we may not have
            args=["--disable-dev-shm-usage", "--no-sandbox"],
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


def save_readme_screenshot(screenshot: Path, destination: Path, max_bytes: int = 300_000) -> None:
    """Copy a screenshot into the docs as a palette PNG (a UI has few colours), small
    enough for the README; fails rather than commit an oversized image."""
    from PIL import Image

    destination.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(screenshot) as image:
        image.convert("RGB").quantize(colors=256).save(destination, optimize=True)
    size = destination.stat().st_size
    assert size <= max_bytes, f"{destination.name} is {size} bytes, over {max_bytes}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@contextlib.contextmanager
def serve_directory(directory: Path):
    """Serve a directory over HTTP on a free local port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
