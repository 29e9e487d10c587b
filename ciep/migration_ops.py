"""Migration operations shared by the apps."""

from django.db import migrations


def trigram_search_indexes(app_label: str, model_name: str, columns: list[str]):
    """Indexes for ``icontains`` searches on PostgreSQL (other databases skip them).

    ``icontains`` compiles to ``UPPER(col::text) LIKE UPPER('%term%')``: an index on the plain
    column is never used, so each index is a trigram GIN index on that exact expression.
    """

    def names(apps):
        table = apps.get_model(app_label, model_name)._meta.db_table
        return table, [(column, f"{table[:40]}_{column[:14]}_trgm") for column in columns]

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table, indexes = names(apps)
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for column, index in indexes:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
                f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        _table, indexes = names(apps)
        for _column, index in indexes:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index}"')

    return migrations.RunPython(forwards, backwards)
