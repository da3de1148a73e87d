"""Dates as the portal writes them in English too: ``31 October 2017`` (Django's own
English format is "Oct. 31, 2017"). Everything not set here is Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
