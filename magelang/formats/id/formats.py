"""Dates as the portal writes them everywhere, the admin included: ``31 Oktober 2017``
(Django's own Indonesian format abbreviates the month: "31 Okt. 2017"). Everything not
set here is Django's (``django/conf/locale/id/formats.py``); see ``targets.formats``."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
