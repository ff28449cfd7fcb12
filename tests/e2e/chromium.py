"""The Chromium the browser journeys launch, and ``python -m tests.e2e.chromium``, which `make test`
runs first to get one on a fresh machine.

Where to find one, in order: ``CHROMIUM_PATH``; a ``chromium`` on the PATH (Debian's package);
Playwright's own download (``playwright install chromium``). Where none is found, the command first
asks Playwright to download its browser (the internet may refuse), then, as root, installs Debian's
``chromium`` package with apt-get; it says what it did, and fails with what to do otherwise.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

PLAYWRIGHT_DOWNLOAD_SECONDS = 180
APT_PACKAGES = ["chromium", "fonts-dejavu-core"]


def playwright_cache() -> Path:
    return Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright")


def find_chromium() -> str | None:
    """The Chromium to launch; '' means Playwright's own download; None means none at all."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if any(playwright_cache().glob("chromium-*/chrome-linux*/chrome")):
        return ""
    return None


def _run(command: list[str], timeout: int | None = None) -> bool:
    print("  $", " ".join(command), flush=True)
    try:
        return subprocess.run(command, timeout=timeout, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"  {error}", flush=True)
        return False


def _playwright_download() -> bool:
    playwright = Path(sys.executable).with_name("playwright")
    if not playwright.exists():
        return False
    print("No Chromium found: asking Playwright to download its own browser.", flush=True)
    return _run([str(playwright), "install", "chromium"], timeout=PLAYWRIGHT_DOWNLOAD_SECONDS)


def _apt_install() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print("Installing Debian's chromium package with apt-get (running as root).", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    update = subprocess.run(["apt-get", "update", "-q"], env=env, check=False)
    if update.returncode != 0:
        return False
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *APT_PACKAGES]
    return subprocess.run(install, env=env, check=False).returncode == 0


def ensure() -> int:
    found = find_chromium()
    if found is not None:
        print(f"Chromium for the browser journeys: {found or "Playwright's own download"}", flush=True)
        return 0
    for attempt in (_playwright_download, _apt_install):
        if attempt() and find_chromium() is not None:
            print(f"Chromium installed: {find_chromium() or "Playwright's own download"}", flush=True)
            return 0
    print(
        "No Chromium for the browser journeys, and none could be installed. Install Debian's package "
        "(`sudo apt-get install chromium`), or where the internet allows `.venv/bin/playwright install "
        "chromium`; or point CHROMIUM_PATH at a Chromium binary.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(ensure())
