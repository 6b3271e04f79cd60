from datetime import time
from decimal import Decimal

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "id")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def agent(make_user):
    return make_user("service", first_name="Siri", last_name="Service")


@pytest.fixture
def queue(db):
    from samspill.helpdesk.models import Queue

    return Queue.objects.create(
        name="Support",
        email="support@firma.no",
        opens_at=time(8, 0),
        closes_at=time(16, 0),
        is_default=True,
    )


@pytest.fixture
def policy(queue):
    from samspill.helpdesk.models import SlaPolicy

    return SlaPolicy.objects.create(
        name="Standard", first_response_hours=Decimal("4"), resolution_hours=Decimal("16")
    )


@pytest.fixture
def customer(db):
    from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory

    party = OrganizationFactory(name="Fjordkaffe AS", is_customer=True)
    ContactPointFactory(
        party=party, value="post@fjordkaffe.no", normalized="post@fjordkaffe.no", is_primary=True
    )
    return party


@pytest.fixture
def ticket(queue, policy, customer, agent):
    from samspill.helpdesk import services

    return services.open_ticket(
        actor=agent,
        subject="The espresso machine leaks",
        body="Water on the floor every morning.",
        channel="phone",
        party=customer,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback that keeps what it receives: (port, [envelopes])."""
    from aiosmtpd.controller import Controller

    received = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


@pytest.fixture
def mail_gateway():
    """Samspill's own SMTP receiver (`samspill mail-gateway`) on a free loopback port."""
    from samspill.helpdesk.mail.gateway import controller

    port = free_port()
    smtp = controller("127.0.0.1", port)
    smtp.start()
    yield port
    smtp.stop()


@pytest.fixture
def dovecot():
    """A real IMAP server (Debian's dovecot) on a free loopback port, with its own config and
    one plain-text user: (host, port, user, password). Skips when dovecot is not installed
    (CI installs it: .ci/run)."""
    import shutil
    import subprocess
    import tempfile
    import time
    from pathlib import Path

    bash = shutil.which("bash")
    if not Path("/usr/sbin/dovecot").exists() or bash is None:
        pytest.skip("dovecot is not installed (apt-get install dovecot-imapd)")
    script = Path(__file__).resolve().parents[4] / "tests" / "support" / "dovecot.sh"
    # not under pytest's tmp_path: its parents are private (0700), and dovecot's auth and
    # mail processes run as unprivileged users that must reach the passwd file and maildirs
    directory = tempfile.mkdtemp(prefix="samspill-dovecot-")
    port = free_port()
    subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [bash, str(script), "start", str(directory), str(port), "agent", "secret"], check=True
    )
    try:
        from imapclient import IMAPClient

        for _ in range(50):
            try:
                IMAPClient("127.0.0.1", port=port, ssl=False, timeout=2).logout()
                break
            except OSError:
                time.sleep(0.1)
        yield "127.0.0.1", port, "agent", "secret"
    finally:
        subprocess.run([bash, str(script), "stop", str(directory)], check=False)  # noqa: S603
        shutil.rmtree(directory, ignore_errors=True)
