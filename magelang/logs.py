"""Log formats: one JSON object per line for production, plain text for a developer.

``logging_config`` builds Django's LOGGING; the Celery worker and beat use it too
(``magelang.celery``), and each gunicorn worker hands its access lines to it once Django is
loaded, so web, worker and beat write the same kind of line. To stderr, as Python's logging does
by default: a management command's stdout is its output (a token, a schema, dumpdata), which log
lines must not mix into; a container or honcho collects both streams alike.
"""

from __future__ import annotations

from typing import Any

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["levelname", "name", "message", "request_id"]

# gunicorn's access record carries its atoms as the record's args (see gunicorn.glogging).
GUNICORN_ATOMS = {
    "remote_addr": "h",
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "duration_ms": "M",
    "user_agent": "a",
}


class PortalJsonFormatter(JsonFormatter):
    """JSON lines; gunicorn's access lines also get their request's fields one by one."""

    def add_fields(
        self, log_data: dict[str, Any], record: Any, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for field, atom in GUNICORN_ATOMS.items():
                value = record.args.get(atom)
                if isinstance(value, str):  # gunicorn escaped its quotes for its text format
                    value = value.replace('\\"', '"')
                log_data[field] = value
            if isinstance(log_data["status"], str) and log_data["status"].isdigit():
                log_data["status"] = int(log_data["status"])


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: everything to stderr through one handler that adds the request id."""
    formatter: dict[str, Any]
    if log_format == "json":
        formatter = {
            "()": PortalJsonFormatter,
            "fmt": JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        }
    else:
        formatter = {"()": "logging.Formatter", "fmt": TEXT_FORMAT, "defaults": {"request_id": "-"}}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "magelang.request_id.RequestIdFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "filters": ["request_id"],
                "formatter": "portal",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own console handler (DEBUG only) would print its lines a second time.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # Only in a gunicorn worker started with --access-logfile: its access lines go
            # through the handler above instead of gunicorn's own (no line twice).
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
