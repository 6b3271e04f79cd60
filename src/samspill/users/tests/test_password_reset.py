import re

import pytest
from django.core import mail

from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_password_reset_email_has_a_working_link(make_user, client):
    user = make_user(username="kari", email="kari@example.no", language="nb", first_name="Kari")
    response = client.post("/password/reset/", {"email": "kari@example.no"})
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kari@example.no"]
    assert "\n" not in message.subject
    # Written in the user's own language.
    assert "Hei Kari" in message.body
    assert "kari" in message.body
    link = re.search(r"https?://[^/\s]+(/password/reset/\S+/)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "nytt-sikkert-passord", "new_password2": "nytt-sikkert-passord"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password("nytt-sikkert-passord")
    event = OutboxEvent.objects.get(type="users.user.password_changed")
    assert event.payload["by_reset"] is True

    # The link works once.
    response = client.get(link, follow=True)
    assert response.context["validlink"] is False


def test_password_reset_in_english_for_english_users(make_user, client):
    make_user(email="en@example.no", language="en", first_name="Ann")
    client.post("/password/reset/", {"email": "en@example.no"})
    assert "Hello Ann" in mail.outbox[0].body


def test_unknown_email_sends_nothing_but_looks_the_same(client, make_user):
    response = client.post("/password/reset/", {"email": "nobody@example.no"})
    assert response.status_code == 302
    assert mail.outbox == []
