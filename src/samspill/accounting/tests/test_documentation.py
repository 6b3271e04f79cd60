"""Documentation of vouchers: files attached through the chatter; a posted voucher's files
cannot be deleted, a draft's can, and deleting a draft deletes its files."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samspill.accounting import services
from samspill.platform import chatter
from samspill.platform.errors import Conflict
from samspill.platform.models import Attachment, OutboxEvent
from samspill.platform.records import ref

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def receipt(name="kvittering.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def entry(post):
    return services.create_entry(
        actor=None,
        journal="GEN",
        date=date(2026, 3, 12),
        description="Kontorrekvisita",
        lines=[{"account": "6800", "debit": "100"}, {"account": "1920", "credit": "100"}],
        post=post,
    )


def test_a_posted_vouchers_documentation_cannot_be_deleted(ledger, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finance, admin = make_user("finance"), make_user("admin")
    voucher = entry(post=True)
    attachment = chatter.add_attachment(ref(voucher), receipt(), actor=finance)
    assert attachment.name == "kvittering.pdf"
    events = OutboxEvent.objects.count()
    for actor in (finance, admin):
        with pytest.raises(Conflict) as caught:
            chatter.delete_attachment(attachment.pk, actor=actor)
        assert caught.value.code == "attachment_locked"
        assert "GEN 2026-1 is posted" in str(caught.value.message)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert OutboxEvent.objects.count() == events


def test_a_drafts_files_can_be_deleted_and_go_with_the_draft(ledger, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finance = make_user("finance")
    draft = entry(post=False)
    first = chatter.add_attachment(ref(draft), receipt(), actor=finance)
    chatter.delete_attachment(first.pk, actor=finance)
    assert not Attachment.objects.exists()
    chatter.add_attachment(ref(draft), receipt("faktura.pdf"), actor=finance)
    services.delete_entry(draft, actor=finance)
    assert not Attachment.objects.exists()


def test_voucher_page_attaches_and_refuses_deleting_posted_documentation(
    ledger, make_user, login, settings, tmp_path
):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path
    finance = make_user("finance")
    voucher = entry(post=True)
    client = login(finance)
    page = client.get(reverse("accounting:entry_detail", args=[voucher.pk])).content.decode()
    assert 'data-testid="documentation"' in page and "kan ikke slettes" in page
    response = client.post(
        reverse("platform:attachment_add", args=["accounting.journalentry", voucher.pk]),
        {"file": receipt()},
    )
    assert response.status_code in (200, 302)
    attachment = Attachment.objects.get()
    page = client.get(reverse("accounting:entry_detail", args=[voucher.pk])).content.decode()
    assert "kvittering.pdf" in page
    assert reverse("platform:attachment_delete", args=[attachment.pk]) not in page
    response = client.post(reverse("platform:attachment_delete", args=[attachment.pk]))
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_api_refuses_deleting_posted_documentation(ledger, make_user, api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finance = make_user("finance")
    voucher = entry(post=True)
    attachment = chatter.add_attachment(ref(voucher), receipt(), actor=finance)
    response = api(finance).delete(f"/api/v1/platform/attachments/{attachment.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "attachment_locked"
    assert Attachment.objects.filter(pk=attachment.pk).exists()
