"""Mailbox passwords were stored in plain text: they are now encrypted at rest with Fernet
(samspill.helpdesk.crypto, key from SAMSPILL_SECRET_KEY or SECRET_KEY). The column is
renamed to password_encrypted and every existing password is encrypted; going back
decrypts them again."""

from django.db import migrations, models


def encrypt_existing(apps, schema_editor):
    from samspill.helpdesk.crypto import encrypt, is_encrypted

    Mailbox = apps.get_model("helpdesk", "Mailbox")
    for mailbox in Mailbox.objects.all().only("pk", "password_encrypted"):
        if mailbox.password_encrypted and not is_encrypted(mailbox.password_encrypted):
            Mailbox.objects.filter(pk=mailbox.pk).update(
                password_encrypted=encrypt(mailbox.password_encrypted)
            )


def decrypt_existing(apps, schema_editor):
    from samspill.helpdesk.crypto import decrypt, is_encrypted

    Mailbox = apps.get_model("helpdesk", "Mailbox")
    for mailbox in Mailbox.objects.all().only("pk", "password_encrypted"):
        if is_encrypted(mailbox.password_encrypted):
            Mailbox.objects.filter(pk=mailbox.pk).update(
                password_encrypted=decrypt(mailbox.password_encrypted)[:200]
            )


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_numbers_in_platform")]

    operations = [
        migrations.RenameField("mailbox", "password", "password_encrypted"),
        migrations.AlterField(
            model_name="mailbox",
            name="password_encrypted",
            field=models.TextField(blank=True, verbose_name="password"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
