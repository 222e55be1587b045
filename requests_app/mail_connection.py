"""One connection to the mail server (or session with the provider's API) per worker process, kept
open from one message to the next: opening it (TCP, greeting, EHLO, STARTTLS, AUTH) takes longer
than sending a letter.

Keeping it never sends a message twice. Before each message the kept SMTP connection must answer
a NOOP, or it is replaced by a new one; nothing has been sent on it yet at that point. A message
whose sending fails is not tried again here: the caller records the failure (and retries later
with the same Message-ID, as on a new connection), and the connection it failed on is closed, so
the next message starts afresh.
"""

import contextlib
import os
import smtplib
import threading

from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.signals import setting_changed

# Per thread (a thread-pool worker sends from several at once), and per process: a connection
# inherited across a fork belongs to the parent.
_kept = threading.local()


def send_on_kept_connection(message: EmailMessage) -> None:
    connection = _kept_connection()
    try:
        connection.send_messages([message])
    except BaseException:
        close_kept_connection()
        raise


def close_kept_connection() -> None:
    connection = getattr(_kept, "connection", None)
    owned = getattr(_kept, "pid", None) == os.getpid()
    _kept.connection = _kept.pid = None
    if connection is not None and owned:
        # Closing says QUIT; a server that already hung up or answers oddly changes nothing here.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


def _kept_connection() -> BaseEmailBackend:
    connection = getattr(_kept, "connection", None)
    if connection is not None and (getattr(_kept, "pid", None) != os.getpid() or not _answers(connection)):
        close_kept_connection()
        connection = None
    if connection is None:
        connection = get_connection()
        connection.open()
        _kept.connection, _kept.pid = connection, os.getpid()
    return connection


def _answers(connection: BaseEmailBackend) -> bool:
    if not isinstance(connection, SmtpBackend):
        # Providers' HTTP sessions replace a dropped connection by themselves; the test backends
        # have none.
        return True
    if connection.connection is None:
        return False
    try:
        return connection.connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _close_when_mail_settings_change(*, setting: str, **signal_arguments) -> None:
    # Tests point the mail settings elsewhere; a connection made under the old ones must go.
    if setting.startswith("EMAIL_") or setting == "ANYMAIL":
        close_kept_connection()


setting_changed.connect(_close_when_mail_settings_change, dispatch_uid="requests_app.mail_connection")
