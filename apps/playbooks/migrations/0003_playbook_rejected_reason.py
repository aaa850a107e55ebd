# Rejecting a proposal keeps it for the record with the owner's reason. The status CHECK
# (playbook_status_valid, 0002) already allows 'rejected'; this adds the reason and makes the
# database refuse a rejected row without one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('playbooks', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='playbook',
            name='rejected_reason',
            field=models.TextField(blank=True, help_text='Why the owner rejected this proposal', null=True),
        ),
        migrations.AddConstraint(
            model_name='playbook',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('rejected_reason__isnull', False), models.Q(('rejected_reason', ''), _negated=True)), _connector='OR'), name='playbook_rejected_has_reason'),
        ),
    ]
