"""Database expressions the models' indexes and the lists share: the severity as its rank (see Incident.Meta.indexes, migration 0016)."""

from django.db.models import F, Func, IntegerField

from incidents.vocabulary import SEVERITY_RANK


class SeverityRank(Func):
    """The severity as its rank (low 0 .. critical 3), written with literal constants so the expression
    index ``incident_severity_rank_newest`` matches it on SQLite and PostgreSQL alike (SQLite cannot
    match an indexed expression against bound parameters, which Case/When would send)."""

    template = (
        "CASE %(expressions)s "
        + " ".join(
            f"WHEN '{value}' THEN {rank}" for value, rank in sorted(SEVERITY_RANK.items(), key=lambda item: -item[1])
        )
        + " ELSE 0 END"
    )
    output_field = IntegerField()

    def __init__(self, field: str = "severity", **extra):
        super().__init__(F(field), **extra)
