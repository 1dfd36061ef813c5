from django.db import migrations


def fill(apps, schema_editor):
    """Every commitment's folded search texts again: they now hold the Japanese and Hindi
    texts too, and keep Devanagari's vowel signs (commitments/search.py)."""
    from commitments import search

    search.refresh_all(apps.get_model("commitments", "Commitment"))


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0012_translations"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
