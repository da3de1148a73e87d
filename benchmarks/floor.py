"""The raw SQL floor of the full recomputation: the same rows summed by three GROUP BY queries.

What any recomputation must at least do is read every expected and achieved contribution and
every activity's budget once, grouped by (year, work plan, indicator). These three statements
do only that, fetching every group into Python, and no more (no targets, lists, persons or
writes): the recomputation's time is reported as a multiple of theirs. The statements are built
from the models' own table and column names (S608 below), never from input.
"""

from __future__ import annotations

import time

QUERIES = 3


def statements() -> list[str]:
    from opd.models import (
        AchievedContribution,
        Activity,
        ExpectedContribution,
        Program,
        Realisation,
        WorkPlan,
    )

    def table(model: type) -> str:
        return model._meta.db_table  # type: ignore[attr-defined, no-any-return]

    def column(model: type, name: str) -> str:
        return model._meta.get_field(name).column  # type: ignore[attr-defined, no-any-return]

    activity, program, plan = table(Activity), table(Program), table(WorkPlan)
    joins = (
        f'JOIN "{program}" p ON p.id = a."{column(Activity, "program")}" '
        f'JOIN "{plan}" w ON w.id = p."{column(Program, "work_plan")}"'
    )
    work_plan = f'p."{column(Program, "work_plan")}"'
    budget = f'a."{column(Activity, "budget")}"'
    ec, ac = ExpectedContribution, AchievedContribution
    return [
        f'SELECT w."year", {work_plan}, e."{column(ec, "indicator")}", '  # noqa: S608
        f'SUM(e."{column(ec, "amount")}"), '
        f'SUM({budget}) FILTER (WHERE e."{column(ec, "amount")}" > 0) '
        f'FROM "{table(ec)}" e JOIN "{activity}" a ON a.id = e."{column(ec, "activity")}" '
        f"{joins} GROUP BY 1, 2, 3",
        f'SELECT w."year", {work_plan}, c."{column(ac, "indicator")}", '  # noqa: S608
        f'SUM(c."{column(ac, "amount")}") '
        f'FROM "{table(ac)}" c '
        f'JOIN "{table(Realisation)}" r ON r.id = c."{column(ac, "realisation")}" '
        f'JOIN "{activity}" a ON a.id = r."{column(Realisation, "activity")}" '
        f"{joins} GROUP BY 1, 2, 3",
        f'SELECT {work_plan}, SUM({budget}) FROM "{activity}" a '  # noqa: S608
        f'JOIN "{program}" p ON p.id = a."{column(Activity, "program")}" GROUP BY 1',
    ]


def run_floor() -> float:
    """Seconds to run the three statements and fetch every group."""
    from django.db import connection

    sql = statements()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
            cursor.fetchall()
    return time.perf_counter() - start
