"""Outgoing messages rendered with Python's modern email API (email.policy.SMTP).

Django 5.2 still renders with the legacy API. Here every header goes through the modern header
registry: long or accented display names become valid RFC 2047 words, folded at 78 characters, and
non-ASCII subjects parse back without a stray space; the body is always quoted-printable, so lines
stay under 78 characters on the wire while paragraphs are kept whole (soft line breaks), whatever
the letter's language. Django's backends and Anymail's read the same attributes as before
(subject, from_email, to, cc, reply_to, extra_headers, body, attachments), so only the MIME text
changes.
"""

import email.message
import textwrap
from email import policy
from email.header import Header
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

WIRE_POLICY = policy.SMTP
# Headers that message() writes itself from the message's attributes.
_OWN_HEADERS = {"from", "to", "cc", "reply-to", "subject", "date", "message-id"}


def sending_domain() -> str:
    """The campaign's sending domain: every Message-ID we make is on it."""
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]


def new_message_id() -> str:
    return make_msgid(domain=sending_domain())


class UriListHeader(str):
    """A header made of <uri> items (List-Unsubscribe, RFC 2369), written to the wire as given.

    The modern folder would turn a long URL into RFC 2047 words to fit 78 characters, and no mail
    client decodes those in this header; an item goes on a line of its own instead (under the 998
    characters RFC 5322 allows)."""

    def __new__(cls, name: str, uris: list[str]):
        header = super().__new__(cls, ", ".join(f"<{uri}>" for uri in uris))
        header.name = name
        header.uris = list(uris)
        return header

    def __getnewargs__(self):
        # Mail backends copy messages (the test outbox deep-copies them).
        return (self.name, self.uris)

    def fold(self, *, policy) -> str:
        items = [f"<{uri}>" for uri in self.uris]
        return f"{self.name}: " + ("," + policy.linesep + " ").join(items) + policy.linesep


class SubjectHeader(str):
    """The Subject, folded so that it parses back exactly as written.

    The modern folder moves a subject that does not fit beside `Subject: ` whole to the next
    line, and parsers then read it with a leading space. Here an ASCII subject is wrapped between
    its words from the first line on, and any other is written as RFC 2047 words throughout,
    whose joins decoders drop."""

    name = "Subject"

    def fold(self, *, policy) -> str:
        text = str(self)
        if text.isascii():
            lines = textwrap.wrap(
                text,
                width=policy.max_line_length,
                initial_indent="Subject: ",
                subsequent_indent=" ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            return policy.linesep.join(lines or ["Subject: "]) + policy.linesep
        encoded = Header(text, "utf-8", header_name="Subject").encode(linesep=policy.linesep)
        return f"Subject: {encoded}{policy.linesep}"


class _WireMessage(email.message.EmailMessage):
    """Takes the `linesep` argument Django's backends pass to as_bytes()/as_string()."""

    def as_bytes(self, unixfrom=False, policy=None, linesep=None):
        policy = policy or self.policy
        return super().as_bytes(unixfrom, policy=policy.clone(linesep=linesep) if linesep else policy)

    def as_string(self, unixfrom=False, maxheaderlen=None, policy=None, linesep=None):
        policy = policy or self.policy
        return super().as_string(unixfrom, maxheaderlen, policy.clone(linesep=linesep) if linesep else policy)


class ModernEmailMessage(EmailMessage):
    def message(self) -> email.message.EmailMessage:
        message = _WireMessage(policy=WIRE_POLICY)
        headers = {name.lower(): (name, value) for name, value in self.extra_headers.items()}
        message["From"] = headers.get("from", ("From", self.from_email))[1]
        if self.to:
            message["To"] = ", ".join(self.to)
        if self.cc:
            message["Cc"] = ", ".join(self.cc)
        reply_to = headers.get("reply-to", ("Reply-To", ", ".join(self.reply_to)))[1]
        if reply_to:
            message["Reply-To"] = reply_to
        message["Subject"] = SubjectHeader(self.subject)
        message["Date"] = headers.get("date", ("Date", format_datetime(timezone.now())))[1]
        message["Message-ID"] = headers.get("message-id", ("Message-ID", new_message_id()))[1]
        for lower_name, (name, value) in headers.items():
            if lower_name not in _OWN_HEADERS:
                message[name] = value
        message.set_content(self.body, subtype=self.content_subtype, charset="utf-8", cte="quoted-printable")
        for filename, content, mimetype in self.attachments:
            content = content.encode() if isinstance(content, str) else content
            maintype, _, subtype = (mimetype or "application/octet-stream").partition("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        return message
