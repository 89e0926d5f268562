"""Saved searches move from accounts to market: a new table, the rows copied with their ids
(users' URLs keep working), the id sequence moved past them; accounts 0002 then drops the old
table."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations, models


def copy_saved_searches(apps, schema_editor):
    old = apps.get_model("accounts", "SavedSearch")
    new = apps.get_model("market", "SavedSearch")
    rows = [new(id=s.id, user_id=s.user_id, name=s.name, q=s.q, filters=s.filters,
                created_at=s.created_at, updated_at=s.updated_at)
            for s in old.objects.using(schema_editor.connection.alias).all()]
    new.objects.using(schema_editor.connection.alias).bulk_create(rows, batch_size=500)
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [new])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def copy_back(apps, schema_editor):
    old = apps.get_model("accounts", "SavedSearch")
    new = apps.get_model("market", "SavedSearch")
    old.objects.using(schema_editor.connection.alias).bulk_create(
        [old(id=s.id, user_id=s.user_id, name=s.name, q=s.q, filters=s.filters,
             created_at=s.created_at, updated_at=s.updated_at)
         for s in new.objects.using(schema_editor.connection.alias).all()], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("market", "0001_initial"),
        ("accounts", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("name", models.CharField(max_length=100)),
                ("q", models.CharField(blank=True, max_length=2000)),
                ("filters", models.JSONField(default=dict)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                           related_name="saved_searches",
                                           to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("user", "name"),
                                                        name="saved_search_unique_name")],
            },
        ),
        migrations.RunPython(copy_saved_searches, copy_back),
    ]
