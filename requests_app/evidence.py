"""The evidence pack: one PDF that proves what the supporter did, for a regulator or a court.

It holds the letter as sent (shown, and attached to the PDF as `letter.txt`, byte for byte),
who it went to and from, its Message-ID, when it was sent and delivered, the legal deadline, the
answer the supporter reported, and the complaint when one is due. It is built from the request
on each download and never stored; once the request's personal data is erased there is nothing
left to build it from, which is why the status page asks supporters to download it before.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from requests_app.complaints import build_complaints, complaint_available
from requests_app.followup import request_timeline
from requests_app.models import LETTER_WENT_OUT, Status
from requests_app.sending import build_letter_message

LETTER_ATTACHMENT = "letter.txt"
_FONT = "evidence"
# Statuses a letter left in (a bounce is evidence too: it was sent).
EVIDENCE_STATUSES = {*LETTER_WENT_OUT, Status.BOUNCED}


def evidence_available(request) -> bool:
    return request.status in EVIDENCE_STATUSES and bool(request.letter_body) and request.sent_at is not None


def build_evidence_pack(request) -> bytes:
    """The PDF, in the supporter's language."""
    timeline = request_timeline(request)
    letter = build_letter_message(request)
    with translation.override(request.language):
        pdf = _new_pdf()
        pdf.set_title(_("Evidence of your data request"))
        _font(pdf, size=16)
        pdf.multi_cell(0, 9, _safe(pdf, _("Evidence of your data request")), new_x="LMARGIN", new_y="NEXT")
        _font(pdf, size=9)
        pdf.multi_cell(
            0,
            5,
            _safe(
                pdf,
                _(
                    "Made by %(sender)s on %(date)s from its records. The letter is attached to this PDF as "
                    "%(file)s, exactly as sent."
                )
                % {"sender": request.campaign.sender_name, "date": _when(timezone.now()), "file": LETTER_ATTACHMENT},
            ),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(3)
        rows = [
            (_("Law"), timeline.law_label),
            *_addresses(request, letter),
            (_("Subject"), _subject(request, letter)),
            (_("Message-ID"), request.sent_message_id or letter.extra_headers["Message-ID"]),
            (_("Sent on"), _when(request.sent_at)),
            (
                _("Delivered on"),
                _when(request.delivered_at) if request.delivered_at else _("no delivery report received"),
            ),
            (_("Legal deadline") if timeline.law.deadline_citation else _("Answer asked for by"), _deadline(timeline)),
            *_other_deadlines(timeline),
            (_("Answer reported"), _answer(request, timeline)),
        ]
        for label, value in rows:
            _font(pdf, size=10)
            line = _("%(label)s: %(value)s") % {"label": label, "value": value}
            pdf.multi_cell(0, 5.5, _safe(pdf, line), align="L", new_x="LMARGIN", new_y="NEXT")
        _section(pdf, _("The letter as sent"), request.letter_body)
        if complaint_available(request, timeline=timeline):
            for complaint in build_complaints(request, language=request.language):
                _section(pdf, _("Your complaint to the regulator"), complaint.text)
    pdf.embed_file(
        bytes=request.letter_body.encode(),
        basename=LETTER_ATTACHMENT,
        mime_type="text/plain",
        desc="The letter, byte for byte as sent (UTF-8)",
        modification_date=request.sent_at,
    )
    return bytes(pdf.output())


def _addresses(request, letter) -> list[tuple[str, str]]:
    """To, From, Cc and Reply-To as recorded when the letter went out. Letters sent before those
    were recorded get them rebuilt from today's settings, and the PDF says so."""
    if request.sent_from:
        return [
            (_("To"), request.sent_to),
            (_("From"), request.sent_from),
            (_("Cc"), request.sent_cc),
            (_("Reply-To"), request.sent_reply_to),
        ]
    return [
        (_("To"), request.sent_to),
        (_("From"), _reconstructed(letter.from_email)),
        (_("Cc"), _reconstructed(", ".join(letter.cc))),
        (_("Reply-To"), _reconstructed(", ".join(letter.reply_to))),
    ]


def _reconstructed(value: str) -> str:
    """A header rebuilt for a letter sent before it was recorded, marked as such."""
    return value + " " + _("(reconstructed from the current settings, not recorded when sent)")


def _subject(request, letter) -> str:
    """The Subject as sent; rebuilt (and said to be) for letters sent before it was recorded, since
    the campaign's test mode may have changed since."""
    return request.sent_subject or _reconstructed(letter.subject)


def _new_pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creator("Takeback")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if Path(settings.EVIDENCE_PDF_FONT).is_file():
        pdf.add_font(_FONT, fname=settings.EVIDENCE_PDF_FONT)
    return pdf


def _font(pdf: FPDF, *, size: float) -> None:
    # Without the TrueType font, a core font: Latin-1 only (letter.txt stays exact all the same).
    pdf.set_font(_FONT if _FONT in pdf.fonts else "helvetica", size=size)


def _safe(pdf: FPDF, text: str) -> str:
    if _FONT in pdf.fonts:
        return text
    return text.encode("latin-1", "replace").decode("latin-1")


def _section(pdf: FPDF, title: str, text: str) -> None:
    pdf.ln(4)
    _font(pdf, size=13)
    pdf.multi_cell(0, 7, _safe(pdf, title), new_x="LMARGIN", new_y="NEXT")
    _font(pdf, size=10)
    # Left-aligned: justified text would stretch the spaces of the letter as sent.
    pdf.multi_cell(0, 5, _safe(pdf, text), align="L", new_x="LMARGIN", new_y="NEXT")


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATE_FORMAT')} {local:%H:%M:%S %z} ({moment.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%SZ})"


def _deadline(timeline) -> str:
    if timeline.current_deadline is None:
        return ""
    text = date_format(timeline.current_deadline, "DATE_FORMAT")
    if timeline.was_extended:
        return text + " (" + _("extended from %(date)s") % {"date": date_format(timeline.deadline, "DATE_FORMAT")} + ")"
    citation = timeline.law.deadline_citation
    return f"{text} ({citation})" if citation else text


def _other_deadlines(timeline) -> list[tuple[str, str]]:
    """The CCPA's shorter period for opting out and limiting, and a province's own deadline beside PIPEDA."""
    rows = []
    if timeline.opt_out_deadline:
        when = date_format(timeline.opt_out_deadline, "DATE_FORMAT")
        rows.append((_("Opt-out and limit due by"), f"{when} ({timeline.law.opt_out_citation})"))
    if timeline.provincial and timeline.provincial_deadline:
        when = date_format(timeline.provincial_deadline, "DATE_FORMAT")
        label = _("Deadline under %(law)s") % {"law": timeline.provincial.short}
        rows.append((label, f"{when} ({timeline.provincial.deadline_citation})"))
    return rows


def _answer(request, timeline) -> str:
    text = str(request.get_outcome_display())
    if request.outcome_at:
        text += " (" + date_format(timezone.localtime(request.outcome_at), "DATE_FORMAT") + ")"
    if timeline.reply_received_on:
        text += "; " + _("a reply reached us on %(date)s") % {
            "date": date_format(timeline.reply_received_on, "DATE_FORMAT")
        }
    return text
