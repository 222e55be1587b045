"""Keeping supporters' addresses and names, and the site's signed links, out of the logs.

The filter sits on every handler that writes logs (settings.LOGGING's root handler, Django's own
request and runserver loggers, the Celery worker's handlers through the signals in config/celery.py,
and gunicorn's access and error logs through config/gunicorn_logging.py), so a message, its
arguments and its traceback are masked before anything is written, whichever library logged them.
"""

import logging
import re

MASKED_EMAIL = "<email>"
MASKED_NAME = "<name>"
MASKED_TOKEN = "<token>"  # noqa: S105  (what a masked link shows, no secret)

# Characters that end an unquoted address on either side.
_STOP = r"\s<>()\[\],;:\"@%"
# A domain name whose last label starts with a letter (so a broker URL's 127.0.0.1 or a Celery
# node name such as celery@host stays readable), or an IP literal in brackets.
_DOMAIN = rf"(?:[^{_STOP}'.]+(?:\.[^{_STOP}'.]+)*\.[^\W\d_][^{_STOP}'.]*|\[[^\]\s]*\])"
_AT = r"(?:@|%40)"
# Anything shaped like an address (mail servers, SQL parameters and exceptions quote them), also
# URL-encoded (%40); the local part may hold an apostrophe (o'brien@...) or be quoted ("a b"@...,
# %22a b%22%40...).
EMAIL_PATTERN = re.compile(rf"(?:\"[^\"\r\n]*\"|%22.*?%22|[^{_STOP}]+){_AT}{_DOMAIN}")
# The From display name of a letter is "First Last via <campaign>"; a name may be many words
# ("Marie-Anne Louise de la Tour Dupont"). _mask_name masks the four words before "via", and
# further back up to the first capitalised word, so a long name goes whole while the text before
# a short one mostly stays readable.
DISPLAY_NAME_PATTERN = re.compile(r"(?:[^\W\d_][\w'’.-]*\s+){0,24}[^\W\d_][\w'’.-]*(?=\s+via\b)")
_WORD = re.compile(r"\S+")
# Always masked, however they are written: the words just before "via".
NAME_WORDS_ALWAYS_MASKED = 4
# A signed link's token (django.core.signing: value:timestamp:signature, colons maybe URL-encoded),
# and whatever follows the path of a page opened by one, whatever its shape.
SIGNED_TOKEN_PATTERN = re.compile(r"[\w-]+(?::|%3[Aa])[\w-]+(?::|%3[Aa])[\w-]{20,}")
SIGNED_PATH_PATTERN = re.compile(r"(/(?:confirm|thanks|status|delete|answer|complaint|unsubscribe)/)[^/\s?#\"']+")
# user:password@ inside a URL (the worker's banner shows the broker as redis://:**@host:port/0).
_URL_USERINFO = re.compile(r"//[^\s/@]*$")


def _mask_name(match: re.Match) -> str:
    words = list(_WORD.finditer(match.group(0)))
    capitalised = next((index for index, word in enumerate(words) if word.group(0)[0].isupper()), len(words))
    first = min(capitalised, max(len(words) - NAME_WORDS_ALWAYS_MASKED, 0))
    return match.group(0)[: words[first].start()] + MASKED_NAME


def _mask_address(match: re.Match) -> str:
    if _URL_USERINFO.search(match.string, 0, match.start()):
        return match.group(0)
    return MASKED_EMAIL


def mask_personal_data(text: str) -> str:
    text = SIGNED_PATH_PATTERN.sub(rf"\g<1>{MASKED_TOKEN}", text)
    text = SIGNED_TOKEN_PATTERN.sub(MASKED_TOKEN, text)
    text = EMAIL_PATTERN.sub(_mask_address, text)
    return DISPLAY_NAME_PATTERN.sub(_mask_name, text)


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
    that settings.LOGGING configured, so its own handlers get the same mask. gunicorn's logger
    class calls it for its access and error logs."""
    for handler in logger.handlers:
        if not any(isinstance(existing, MaskPersonalData) for existing in handler.filters):
            handler.addFilter(MaskPersonalData())
