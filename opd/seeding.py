"""Loading Kota Magelang's seed facts and demo data, idempotently and all-or-nothing.

Every seeded row is looked up by its natural key. A missing row is created; a
row that holds exactly the seed's values is left alone; a row whose values
differ is a conflict. Conflicts are collected over the whole seed and then
reported together, and the transaction is rolled back, so the database is
never half-seeded and never silently overwritten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import models, transaction
from django.utils.translation import gettext as _

from opd import seed_magelang as opd_seed
from opd.aspirations.demo import load_demo_aspirations
from opd.beneficiaries.demo import load_demo_beneficiaries
from opd.engine import marking
from opd.models import (
    AchievedContribution,
    Activity,
    AreaStaff,
    BappedaRole,
    ExpectedContribution,
    Opd,
    OpdMembership,
    Program,
    Realisation,
    WorkPlan,
)
from opd.nomenclature.demo import load_demo_nomenclature
from opd.renstra.demo import load_demo_renstras
from targets import seed_magelang as facts
from targets.models import (
    Actual,
    Goal,
    Indicator,
    Kecamatan,
    Kelurahan,
    Mission,
    Objective,
    Plan,
    Population,
    PovertyFigure,
    Region,
    Target,
)

M = TypeVar("M", bound=models.Model)

# Demo work plans were submitted, and approved, before the 2018 budget year; fixed times keep
# reruns identical.
DEMO_SUBMITTED_AT = datetime(2017, 9, 15, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
DEMO_REVIEWED_AT = datetime(2017, 10, 16, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created)


class SeedConflict(Exception):
    """The database holds data that contradicts the seed; nothing was changed."""

    def __init__(self, conflicts: list[str]) -> None:
        super().__init__("\n".join(conflicts))
        self.conflicts = conflicts


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(wanted, models.Model) or isinstance(current, models.Model):
        return getattr(current, "pk", None) == getattr(wanted, "pk", None)
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        return current is not None and wanted is not None and Decimal(current) == Decimal(wanted)
    return bool(current == wanted)


class _Seeder:
    def __init__(self) -> None:
        self.report = SeedReport()

    def ensure(self, model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
        """Return the row with ``lookup``, creating it with ``values`` when missing."""
        label = str(model._meta.verbose_name)
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.report.created[label] += 1
            return obj
        differences = [
            _("%(field)s is %(current)r in the database but %(wanted)r in the seed")
            % {"field": name, "current": _plain(getattr(obj, name)), "wanted": _plain(wanted)}
            for name, wanted in values.items()
            if not _same(getattr(obj, name), wanted)
        ]
        if differences:
            key = ", ".join(f"{name}={_plain(value)}" for name, value in lookup.items())
            self.report.conflicts.append(f"{label} ({key}): " + "; ".join(differences))
        else:
            self.report.unchanged[label] += 1
        return obj


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def load_magelang(*, demo: bool = False) -> SeedReport:
    """Load the seed facts (and the demo data with ``demo``); raise SeedConflict on conflicts."""
    seeder = _Seeder()
    with transaction.atomic():
        region, indicator = _load_facts(seeder)
        opds = _load_opds(seeder, region)
        _load_reviewer_group(seeder)
        if demo:
            _load_demo(seeder, region, indicator, opds)
        if seeder.report.conflicts:
            transaction.set_rollback(True)
        elif seeder.report.changed_anything:
            marking.mark_indicator_dirty(indicator)
    if seeder.report.conflicts:
        raise SeedConflict(seeder.report.conflicts)
    return seeder.report


def _load_facts(seeder: _Seeder) -> tuple[Region, Indicator]:
    province = seeder.ensure(
        Region,
        {"code": facts.PROVINCE["code"]},
        {"name": facts.PROVINCE["name"], "kind": facts.PROVINCE["kind"]},
    )
    region = seeder.ensure(
        Region,
        {"code": facts.REGION["code"]},
        {"name": facts.REGION["name"], "kind": facts.REGION["kind"]},
    )
    # A database seeded before regions had parents gets its province now; another parent is
    # a conflict like any other difference.
    if region.parent_id is None:
        region.parent = province
        region.save(update_fields=["parent"])
        seeder.report.created[str(_("parent region link"))] += 1
    elif region.parent_id != province.pk:
        seeder.report.conflicts.append(
            _("%(region)s lies under %(parent)s in the database but under %(wanted)s in the seed")
            % {"region": region, "parent": region.parent, "wanted": province}
        )
    for kecamatan_fact in facts.KECAMATAN:
        kecamatan = seeder.ensure(
            Kecamatan,
            {"code": kecamatan_fact["code"]},
            {"region": region, "name": kecamatan_fact["name"]},
        )
        for number, name in enumerate(kecamatan_fact["kelurahan"], start=1):
            seeder.ensure(
                Kelurahan,
                {"code": f"{kecamatan_fact['code']}.{1000 + number}"},
                {"kecamatan": kecamatan, "name": name},
            )
    plan_values = {k: v for k, v in facts.PLAN.items() if k != "first_year"}
    plan = seeder.ensure(
        Plan, {"region": region, "first_year": facts.PLAN["first_year"]}, plan_values
    )
    mission = seeder.ensure(
        Mission, {"plan": plan, "number": facts.MISSION["number"]}, {"text": facts.MISSION["text"]}
    )
    goal = seeder.ensure(
        Goal, {"mission": mission, "number": facts.GOAL["number"]}, {"text": facts.GOAL["text"]}
    )
    objective = seeder.ensure(
        Objective,
        {"goal": goal, "number": facts.OBJECTIVE["number"]},
        {"text": facts.OBJECTIVE["text"]},
    )
    indicator_values = {k: v for k, v in facts.POVERTY.items() if k != "code"}
    indicator_values["baseline_value"] = Decimal(facts.POVERTY["baseline_value"])
    indicator = seeder.ensure(
        Indicator,
        {"plan": plan, "code": facts.POVERTY["code"]},
        {**indicator_values, "objective": objective},
    )
    for year, value in facts.POVERTY_TARGETS.items():
        seeder.ensure(
            Target,
            {"indicator": indicator, "year": year},
            {"value": Decimal(value), "source": facts.TARGET_SOURCE},
        )
    for year, value in facts.POVERTY_ACTUALS.items():
        seeder.ensure(
            Actual,
            {"indicator": indicator, "year": year, "kecamatan": None, "kelurahan": None},
            {"value": Decimal(value), "source": facts.POVERTY_SOURCE},
        )
    # The indicator reads its actuals from the region's poverty record (issue 14): set where
    # still empty, so a database seeded before does not conflict with the seed.
    if not indicator.record_measure:
        indicator.record_measure = facts.POVERTY_RECORD_MEASURE
        indicator.save(update_fields=["record_measure"])
    for year, measure, value, source in facts.POVERTY_RECORD:
        seeder.ensure(
            PovertyFigure,
            {"region": region, "year": year, "measure": measure},
            {"value": Decimal(value), "source": source},
        )
    for figure in facts.POPULATION:
        seeder.ensure(
            Population,
            {"region": region, "year": figure["year"]},
            {"value": figure["value"], "source": figure["source"]},
        )
    return region, indicator


def _load_opds(seeder: _Seeder, region: Region) -> dict[str, Opd]:
    return {
        code: seeder.ensure(
            Opd,
            {"region": region, "code": code},
            {"name": name, "short_name": short, "kind": kind, "is_illustrative": True},
        )
        for code, name, short, kind in opd_seed.OPDS
    }


def _load_reviewer_group(seeder: _Seeder) -> Group:
    group = seeder.ensure(Group, {"name": opd_seed.REVIEWER_GROUP}, {})
    wanted = Permission.objects.filter(
        content_type__app_label__in=["opd", "targets"], codename__startswith="view_"
    ) | Permission.objects.filter(content_type__app_label="opd", codename="review_workplan")
    missing = set(wanted) - set(group.permissions.all())
    if missing:
        group.permissions.add(*missing)
        seeder.report.created[str(_("permission of the reviewer group"))] += len(missing)
    return group


def _load_demo(seeder: _Seeder, region: Region, indicator: Indicator, opds: dict[str, Opd]) -> None:
    users = _load_demo_users(seeder, opds, region)
    kelurahan = {k.name: k for k in Kelurahan.objects.filter(kecamatan__region=region)}
    activities: dict[str, Activity] = {}
    for plan_fact in opd_seed.DEMO_WORK_PLANS:
        _check_demo_workflow(plan_fact)
        opd = opds[plan_fact["opd"]]
        head = users.get(f"head:{plan_fact['opd']}")
        submitted = plan_fact["status"] != WorkPlan.Status.DRAFT
        approved = plan_fact["status"] == WorkPlan.Status.APPROVED
        work_plan = seeder.ensure(
            WorkPlan,
            {"opd": opd, "year": opd_seed.DEMO_YEAR},
            {
                "plan": indicator.plan,
                "status": plan_fact["status"],
                "submitted_at": DEMO_SUBMITTED_AT if submitted else None,
                "submitted_by": head if submitted else None,
                "reviewed_at": DEMO_REVIEWED_AT if approved else None,
                "reviewed_by": users["reviewer"] if approved else None,
                "is_demo": True,
            },
        )
        for program_fact in plan_fact["programs"]:
            program = seeder.ensure(
                Program,
                {"work_plan": work_plan, "code": program_fact["code"]},
                {
                    "name": program_fact["name"],
                    "outcome_indicator": program_fact["outcome_indicator"],
                },
            )
            # Added after the first demo loads (migration 0007): filled where still empty, so
            # a database seeded before does not conflict with the seed.
            if program.outcome_target is None and not program.outcome_unit:
                program.outcome_target = Decimal(program_fact["outcome_target"])
                program.outcome_unit = program_fact["outcome_unit"]
                program.save(update_fields=["outcome_target", "outcome_unit"])
            for fact in program_fact["activities"]:
                activities[fact["code"]] = _load_demo_activity(
                    seeder, program, fact, indicator, kelurahan
                )
    load_demo_aspirations(
        seeder,
        region=region,
        kelurahan=kelurahan,
        opds=opds,
        activities=activities,
        users=users,
        approved_at=DEMO_REVIEWED_AT,
    )
    load_demo_beneficiaries(
        seeder, region=region, indicator=indicator, activities=activities, users=users
    )
    load_demo_renstras(seeder, year=opd_seed.DEMO_YEAR, indicator=indicator, users=users)
    load_demo_nomenclature(seeder, work_plans=opd_seed.DEMO_WORK_PLANS)


def _check_demo_workflow(plan_fact: dict[str, Any]) -> None:
    """The demo data obeys the portal's workflow: realisations only on an approved plan.

    A mistake in ``seed_magelang`` (not in the database), so it stops the seed outright.
    """
    if plan_fact["status"] == WorkPlan.Status.APPROVED:
        return
    for program in plan_fact["programs"]:
        for activity in program["activities"]:
            if activity["achieved"]:
                raise ValueError(
                    f"Demo activity {activity['code']} has realisations but its work plan is "
                    f"{plan_fact['status']}: only an approved plan reports realisation."
                )


def _load_demo_activity(
    seeder: _Seeder,
    program: Program,
    fact: dict[str, Any],
    indicator: Indicator,
    kelurahan: dict[str, Kelurahan],
) -> Activity:
    budget = Decimal(fact["budget"])
    activity = seeder.ensure(
        Activity,
        {"program": program, "code": fact["code"]},
        {
            "name": fact["name"],
            "output_indicator": fact["output_indicator"],
            "output_target": Decimal(fact["output_target"]),
            "output_unit": fact["output_unit"],
            "budget": budget,
            "funding_source": fact["funding_source"],
            "kelurahan": kelurahan[fact["kelurahan"]],
            "target_group": fact["target_group"],
        },
    )
    if "persons" in fact:
        seeder.ensure(
            ExpectedContribution,
            {"activity": activity, "indicator": indicator},
            {"amount": Decimal(fact["persons"])},
        )
    output_target = Decimal(fact["output_target"])
    for quarter, persons in fact["achieved"].items():
        realisation = seeder.ensure(
            Realisation,
            {"activity": activity, "quarter": quarter},
            {"budget_spent": budget / 4, "output_achieved": output_target / 4},
        )
        seeder.ensure(
            AchievedContribution,
            {"realisation": realisation, "indicator": indicator},
            {"amount": Decimal(persons)},
        )
    return activity


def _load_demo_users(seeder: _Seeder, opds: dict[str, Opd], region: Region) -> dict[str, Any]:
    """Create the demo logins; an existing user's password is never reset."""
    user_model = get_user_model()
    reviewers = Group.objects.get(name=opd_seed.REVIEWER_GROUP)
    users: dict[str, Any] = {}
    for username, full_name, role in opd_seed.DEMO_USERS:
        first, _sep, last = full_name.partition(" ")
        is_admin = role == "admin"
        existing = user_model.objects.filter(username=username).exists()
        user = seeder.ensure(
            user_model,
            {"username": username},
            {
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{opd_seed.DEMO_EMAIL_DOMAIN}",
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if not existing:
            user.set_password(opd_seed.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role.startswith("reviewer"):
            if not user.groups.filter(pk=reviewers.pk).exists():
                user.groups.add(reviewers)
                seeder.report.created[str(_("reviewer group membership"))] += 1
            # "reviewer" works for the city; "reviewer:<code>" for that region (the province).
            code = role.partition(":")[2] or region.code
            seeder.ensure(BappedaRole, {"user": user}, {"region": Region.objects.get(code=code)})
        elif role.startswith("area:"):
            seeder.ensure(
                AreaStaff,
                {
                    "user": user,
                    "kelurahan": Kelurahan.objects.get(
                        name=role.removeprefix("area:"), kecamatan__region=region
                    ),
                },
                {"kecamatan": None},
            )
        elif role.startswith("head:"):
            seeder.ensure(
                OpdMembership,
                {"opd": opds[role.removeprefix("head:")], "user": user},
                {"role": OpdMembership.Role.HEAD},
            )
        users[role] = user
    return users
