"""The manual (Handleiding Toegangsbeheer eHealth v4), split into its numbered sections for Help."""

import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings

MANUAL = settings.BASE_DIR / "docs" / "handleiding-toegangsbeheer-ehealth-v4.txt"
HEADING = re.compile(r"^(\d+(?:\.\d+)*)\s+(\S.*)$")


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    text: str

    @property
    def anchor(self) -> str:
        return "h-" + self.number.replace(".", "-")

    @property
    def level(self) -> int:
        return self.number.count(".") + 1


@cache
def manual_sections() -> list[Section]:
    lines = MANUAL.read_text(encoding="utf-8").splitlines()
    body = lines[lines.index("1 INLEIDING") :] if "1 INLEIDING" in lines else lines
    sections, number, title, text = [], "0", "Handleiding", []
    for line in body:
        match = HEADING.match(line.strip())
        if match and len(match.group(2)) < 120 and not match.group(2)[0].isdigit():
            sections.append(Section(number, title, "\n".join(text).strip()))
            number, title, text = match.group(1), match.group(2).strip(), []
        else:
            text.append(line)
    sections.append(Section(number, title, "\n".join(text).strip()))
    return [section for section in sections if section.number != "0"]
