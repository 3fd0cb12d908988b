"""Reviews of restricted objectives in retrospectives not yet completed keep their learnings
inside the team, as new reviews now do by default; the team can still choose to share them.
Completed retrospectives (learnings already published or kept) are left as they are."""

from django.db import migrations


def keep_inside(apps, schema_editor):
    ObjectiveReview = apps.get_model("retrospectives", "ObjectiveReview")
    ObjectiveReview.objects.filter(
        retrospective__completed_at__isnull=True,
        objective__visibility="restricted",
        internal=False,
    ).update(internal=True)


class Migration(migrations.Migration):
    dependencies = [
        ("retrospectives", "0001_retrospective_reviews_scores"),
        ("okrs", "0001_initial"),
    ]

    operations = [migrations.RunPython(keep_inside, migrations.RunPython.noop)]
