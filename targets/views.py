from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import headline_indicator, indicator_overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in home page: the headline indicator's targets and actuals, year by year."""
    indicator = headline_indicator()
    overview = indicator_overview(indicator=indicator) if indicator else None
    return render(request, "targets/home.html", {"overview": overview})
