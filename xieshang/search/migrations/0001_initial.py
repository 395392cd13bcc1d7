
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisation', '0003_alter_leader_title'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('object_id', models.PositiveBigIntegerField(verbose_name='object id')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('title_tokens', models.TextField(blank=True)),
                ('tokens', models.TextField(blank=True)),
                ('size', models.PositiveIntegerField(default=0)),
                ('session_id', models.PositiveBigIntegerField(blank=True, null=True)),
                ('status', models.CharField(blank=True, max_length=20, verbose_name='status')),
                ('unit_ids', models.CharField(blank=True, max_length=400)),
                ('category', models.CharField(blank=True, max_length=30, verbose_name='category')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('data', models.JSONField(blank=True, default=dict)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('committee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.committee', verbose_name='committee')),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
                'indexes': [models.Index(fields=['committee', 'kind'], name='search_sear_committ_2d4738_idx'), models.Index(fields=['committee', 'size'], name='search_sear_committ_61b414_idx')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='searchdocument_unique_object')],
            },
        ),
    ]
