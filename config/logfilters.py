"""Keeping supporters' addresses and names out of the logs.

The filter sits on every handler that writes logs (settings.LOGGING's root handler, and the Celery
worker's handlers through the signals in campaign/celery.py), so a message, its arguments and its
traceback are masked before anything is written, whichever library logged them.
"""

import logging
import re

MASKED_EMAIL = "<email>"
MASKED_NAME = "<name>"

# Anything shaped like an address (mail servers, SQL parameters and exceptions quote them), also
# URL-encoded (%40); the local part may hold an apostrophe (o'brien@...). The domain needs a dot, as
# the form requires, so that Celery node names (celery@host) stay readable.
EMAIL_PATTERN = re.compile(r"[^\s<>()\[\],;:\"@%]+(?:@|%40)[^\s<>()\[\],;:\"'@.]+(?:\.[^\s<>()\[\],;:\"'@.]+)+")
# The From display name of a letter is "First Last via <campaign>": up to four words before "via".
DISPLAY_NAME_PATTERN = re.compile(r"(?:[^\W\d_][\w'’.-]*\s+){0,3}[^\W\d_][\w'’.-]*(?=\s+via\b)")


def mask_personal_data(text: str) -> str:
    text = EMAIL_PATTERN.sub(MASKED_EMAIL, text)
    return DISPLAY_NAME_PATTERN.sub(MASKED_NAME, text)


class MaskPersonalData(logging.Filter):
    """Rewrites the record in place (never drops it): the formatted message, then any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # A message whose arguments do not match: keep what can be shown, masked.
            message = f"{record.msg} {record.args}"
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


def mask_handlers_of(logger: logging.Logger, **_signal_kwargs) -> None:
    """Receiver for Celery's after_setup_logger signals: the worker replaces the root handlers
    that settings.LOGGING configured, so its own handlers get the same mask."""
    for handler in logger.handlers:
        if not any(isinstance(existing, MaskPersonalData) for existing in handler.filters):
            handler.addFilter(MaskPersonalData())
