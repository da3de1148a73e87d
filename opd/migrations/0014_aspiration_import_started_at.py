from django.db import migrations, models


class Migration(migrations.Migration):
    """When a worker claimed an aspiration import: one running long since has lost its worker."""

    dependencies = [
        ("opd", "0013_beneficiary_lists_and_contribution_evidence"),
    ]

    operations = [
        migrations.AddField(
            model_name="aspirationimport",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
    ]
