"""Saved searches now live in market (market 0002 copied every row there first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
        ("market", "0002_savedsearch"),
    ]

    operations = [
        migrations.DeleteModel(name="SavedSearch"),
    ]
