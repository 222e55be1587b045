"""The campaign's pitch: a small, safe subset of Markdown, edited in the admin.

Headings (`## `, `### `), paragraphs (a blank line between), lists (`- ` or `1. `), links
(`[text](https://…)`), emphasis (`**strong**`), and numbered sources: `[^1]` in the text points at
the line `[^1]: Where it comes from, [link](https://…)`, listed under "Sources" at the end.

Everything is escaped first and only these forms become markup, so an admin's typo (or a pasted
`<script>`) shows as text and can never become HTML. Links must be http(s) or mailto.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

HEADING = re.compile(r"(#{2,3}) +(.+)")
BULLET = re.compile(r"[-*] +(.+)")
NUMBERED = re.compile(r"\d{1,3}[.)] +(.+)")
SOURCE = re.compile(r"\[\^(\d{1,3})\]: *(.+)")
# Applied to escaped text: the link's text and address cannot contain a raw < > or quote.
LINK = re.compile(r"\[([^\[\]]+)\]\(((?:https?://|mailto:)[^\s()]+)\)")
REFERENCE = re.compile(r"\[\^(\d{1,3})\]")
STRONG = re.compile(r"\*\*([^*]+)\*\*")
MARKUP = re.compile(r"\[\^\d{1,3}\]|\*\*|^#{2,3} +|\[([^\[\]]+)\]\([^\s()]+\)", re.MULTILINE)


def render_pitch(text: str) -> SafeString:
    """The pitch as HTML for the campaign page."""
    blocks, sources = [], []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(SOURCE.fullmatch(line) for line in lines):
            sources.extend(SOURCE.fullmatch(line).groups() for line in lines)
        elif len(lines) == 1 and (heading := HEADING.fullmatch(lines[0])):
            level = len(heading.group(1))
            blocks.append(f"<h{level} class='h{level + 2}'>{_inline(heading.group(2))}</h{level}>")
        elif all(BULLET.fullmatch(line) for line in lines):
            items = "".join(f"<li>{_inline(BULLET.fullmatch(line).group(1))}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif all(NUMBERED.fullmatch(line) for line in lines):
            items = "".join(f"<li>{_inline(NUMBERED.fullmatch(line).group(1))}</li>" for line in lines)
            blocks.append(f"<ol>{items}</ol>")
        else:
            blocks.append(f"<p>{'<br>'.join(_inline(line) for line in lines)}</p>")
    if sources:
        items = "".join(f"<li id='source-{number}'>{_inline(source)}</li>" for number, source in sources)
        heading = escape(_("Sources"))
        blocks.append(f"<h2 class='h5'>{heading}</h2><ol class='sources small'>{items}</ol>")
    return mark_safe("\n".join(blocks))  # noqa: S308 - built from escaped text only, above


def pitch_summary(text: str, *, length: int = 200) -> str:
    """The pitch as plain text, cut at a word: the page's meta description and social cards."""
    words = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if SOURCE.fullmatch(line.strip()):
            continue
        line = line.strip()
        item = BULLET.fullmatch(line) or NUMBERED.fullmatch(line)
        line = item.group(1) if item else line
        words.extend(MARKUP.sub(lambda match: match.group(1) or "", line).split())
    summary = " ".join(words)
    if len(summary) <= length:
        return summary
    return summary[: length - 1].rsplit(" ", 1)[0] + "…"


def _inline(text: str) -> str:
    html = escape(text)
    html = LINK.sub(r"<a href='\2'>\1</a>", html)
    html = REFERENCE.sub(r"<sup><a href='#source-\1' aria-label='" + escape(_("source")) + r" \1'>[\1]</a></sup>", html)
    return STRONG.sub(r"<strong>\1</strong>", html)
