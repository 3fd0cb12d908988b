from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("learning", "0002_learning_search_index")]

    operations = [
        migrations.AddIndex(
            model_name="learning",
            index=models.Index(fields=["-created_at", "-id"], name="learning_newest_first"),
        ),
    ]
