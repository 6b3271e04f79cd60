"""A real `samspill worker` process with one slow subscriber, started by
test_killed_worker.py (`python -m samspill.platform.tests.slow_worker DIR`).

The subscriber `testing.slow_effect` handles `testing.thing.happened`: inside its
transaction it writes its effect (an audit entry naming the event), then drops a file
`started-<pid>` in DIR and waits until a file `release` appears there. A worker killed while
it waits has written nothing that lasts; the next worker finds the event again once the
delivery lease has expired and handles it for good.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

SUBSCRIBER = "testing.slow_effect"
EVENT_TYPE = "testing.thing.happened"
EFFECT_REPR = "slow effect"


def main(directory: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django

    django.setup()

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from samspill.platform.events import subscribe
    from samspill.platform.models import AuditEntry, OutboxEvent

    @subscribe(EVENT_TYPE, name=SUBSCRIBER)
    def slow_effect(event) -> None:
        AuditEntry.objects.create(
            channel="system",
            action=AuditEntry.Action.UPDATE,
            content_type=ContentType.objects.get_for_model(OutboxEvent),
            object_id=str(event.pk),
            object_repr=EFFECT_REPR,
        )
        (directory / f"started-{os.getpid()}").touch()
        while not (directory / "release").exists():
            time.sleep(0.02)

    call_command("worker", sweep_interval=0.2, verbosity=0)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
