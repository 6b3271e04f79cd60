import pytest

from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.users import demo
from samspill.users.models import User

pytestmark = pytest.mark.django_db


def test_demo_users_one_per_role_idempotent(client):
    users = demo.load()
    assert [u.username for u in users] == list(demo.DEMO_USERS)
    for user in users:
        assert user.role_names == [user.username]
        assert user.language == "nb"
        assert user.check_password(demo.DEMO_PASSWORD)
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert User.objects.get(username="sales").get_full_name() == "Ingrid Berg"

    counts = (User.objects.count(), OutboxEvent.objects.count(), AuditEntry.objects.count())
    demo.load()
    assert (User.objects.count(), OutboxEvent.objects.count(), AuditEntry.objects.count()) == counts

    response = client.post("/login/", {"username": "sales", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
