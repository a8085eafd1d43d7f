"""JSON logs with the request id on every line and personal data scrubbed from every message."""

from __future__ import annotations

import logging
import logging.config
from typing import Any

from fangkong.core.masking import scrub_text


class PersonalDataFilter(logging.Filter):
    """Masks resident IDs and phone numbers in the rendered message, whatever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub_text(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        record.__dict__.pop("color_message", None)  # uvicorn's ANSI copy of the message
        return True


def logging_config(level: str = "INFO", *, json: bool = True) -> dict[str, Any]:
    fmt = "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s"
    formatter: dict[str, Any] = {"format": fmt}
    if json:
        formatter["()"] = "pythonjsonlogger.json.JsonFormatter"
        formatter["rename_fields"] = {"correlation_id": "request_id", "levelname": "level"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "asgi_correlation_id.CorrelationIdFilter", "default_value": "-"},
            "personal": {"()": PersonalDataFilter},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id", "personal"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {"uvicorn.access": {"level": level}, "uvicorn.error": {"level": level}},
    }


def configure(level: str = "INFO", *, json: bool = True) -> None:
    logging.config.dictConfig(logging_config(level, json=json))
