"""PostgreSQL: statistics for the columns 0005 added.

Every report counts the responses dated by a period of collection through the partial
index ``response_period_time`` (reports.selectors.responses_dated_by_period). Until the
table is analysed, PostgreSQL knows nothing of the new columns and guesses that most rows
have a period, so it reads every response of the report's period instead of the index:
0.4 s of each report of a year at 1,000,000 responses (bench/report.py), and autovacuum
analyses the table again only after a tenth of its rows have changed. SQLite picks the
partial index from the query alone: nothing to do there.
"""

from django.db import migrations


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ANALYZE responses_response")


class Migration(migrations.Migration):
    dependencies = [("responses", "0005_response_period")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
