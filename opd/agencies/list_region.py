"""The region a list page (the Renja list, the Renstra list, the cascade) shows, with its picker.

The region is :func:`opd.agencies.picker.chosen_region`'s: ``?wilayah=<code>`` when the user
may see it (a 404 otherwise), else the user's own. A province's (or the country's) Bappeda
starts on the province itself, which usually has no OPDs of its own: the lists then say so and
point at the picker, rather than guessing a region under it (a guess would cost a query and
change with the data). A signed-in user of no role sees no region: the pages fall back to the
deployment's region and show nothing of it (``region`` None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.http import HttpRequest

from opd.agencies import picker
from targets.models import Region


@dataclass(frozen=True)
class ListRegion:
    """The region shown (None: the user may see none) and the picker offering the others."""

    region: Region | None
    picker: picker.RegionPicker | None

    @property
    def code(self) -> str:
        """The region's code, for links and forms that keep it (empty when none)."""
        return self.region.code if self.region is not None else ""


def list_region(request: HttpRequest, keep: Iterable[str] = ()) -> ListRegion:
    """The region the list shows ``request.user`` and its picker, keeping the parameters
    ``keep``: one query (the regions offered, cached for the request)."""
    regions = picker.regions_for(request.user)
    if not regions and not request.GET.get(picker.PARAM, "").strip():
        return ListRegion(None, None)
    region = picker.choose(request, regions)
    return ListRegion(region, picker.offer(request, region, regions, keep=keep))
