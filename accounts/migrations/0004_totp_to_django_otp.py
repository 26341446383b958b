"""Move authenticators to django-otp's TOTPDevice, keeping every user's key and replay guard.

API tokens of users who have an authenticator are revoked: until now the
token endpoint gave them out for the password alone.
"""

import base64

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Old = apps.get_model("accounts", "TOTPDevice")
    New = apps.get_model("otp_totp", "TOTPDevice")
    Token = apps.get_model("authtoken", "Token")
    for old in Old.objects.all():
        key = base64.b32decode(old.secret + "=" * (-len(old.secret) % 8), casefold=True).hex()
        New.objects.create(
            user_id=old.user_id,
            name="authenticator",
            key=key,
            confirmed=old.confirmed_at is not None,
            last_t=old.last_used_step or -1,
        )
        if old.confirmed_at is not None:
            Token.objects.filter(user_id=old.user_id).delete()


def backwards(apps, schema_editor):
    Old = apps.get_model("accounts", "TOTPDevice")
    New = apps.get_model("otp_totp", "TOTPDevice")
    for new in New.objects.order_by("user_id", "-confirmed", "pk"):
        if Old.objects.filter(user_id=new.user_id).exists():
            continue
        Old.objects.create(
            user_id=new.user_id,
            secret=base64.b32encode(bytes.fromhex(new.key)).decode("ascii"),
            confirmed_at=(new.created_at or timezone.now()) if new.confirmed else None,
            last_used_step=max(new.last_t, 0),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_totp_device"),
        ("otp_totp", "0003_add_timestamps"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="TOTPDevice"),
    ]
