"""A separate process that reserves stock for deliveries, started by test_concurrency.py
(`python -m samspill.inventory.tests.reserve_worker DIR ID [ID ...]`). It waits for the file
DIR/go so that every process starts reserving at the same moment."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def main(directory: Path, ids: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django

    django.setup()
    from samspill.inventory import services

    (directory / f"ready-{os.getpid()}").touch()
    deadline = time.monotonic() + 30
    while not (directory / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    for pk in ids:
        services.check_availability(actor=None, delivery=pk)


if __name__ == "__main__":
    main(Path(sys.argv[1]), [int(a) for a in sys.argv[2:]])
