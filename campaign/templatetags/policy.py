"""The privacy policy's plain text, as the admin writes it, shown as headings, paragraphs and lists.

A line starting with "- " is a list item; a short line that does not end a sentence is a heading;
any other line is a paragraph.
"""

from dataclasses import dataclass, field

from django import template

register = template.Library()

HEADING_MAX_LENGTH = 60


@dataclass
class Block:
    kind: str  # "heading", "paragraph" or "list"
    text: str = ""
    items: list[str] = field(default_factory=list)


@register.filter
def policy_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        if line.startswith("- "):
            if not blocks or blocks[-1].kind != "list":
                blocks.append(Block("list"))
            blocks[-1].items.append(line[2:])
        elif len(line) <= HEADING_MAX_LENGTH and line[-1] not in ".:;!?)":
            blocks.append(Block("heading", line))
        else:
            blocks.append(Block("paragraph", line))
    return blocks
