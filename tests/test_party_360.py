"""The 360-degree view: one party's timeline gathers what several domains published about it,
in the UI and the API, without any of them knowing the view exists."""

import pytest

from samspill.crm import services as crm
from samspill.platform import chatter

pytestmark = pytest.mark.django_db


def test_the_party_timeline_shows_events_from_several_domains(make_user, login, api):
    seller = make_user("sales", username="kari")
    lead = crm.create_lead(
        actor=seller, name="Ola Havbris", company_name="Havbris AS", email="ola@havbris.example"
    )
    party = crm.convert_lead(lead, actor=seller).party  # parties + crm
    chatter.add_comment(f"parties.party:{party.pk}", "Ring dem fredag", actor=seller)  # comments

    entries = api(seller).get(f"/api/v1/parties/{party.pk}/timeline").json()
    domains = {entry["domain"] for entry in entries}
    assert {"parties", "crm", "platform"} <= domains
    assert {"parties.party.created", "crm.opportunity.created", "platform.comment.added"} <= {
        entry["type"] for entry in entries
    }

    page = login(seller).get(f"/parties/{party.pk}/").content.decode()
    for domain in ("parties", "crm", "platform"):
        assert f'data-domain="{domain}"' in page
    assert 'data-event-type="platform.comment.added"' in page
