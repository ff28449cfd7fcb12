"""The words of a screen in their order, as the manual shows them (label tests)."""

import html
import re


def page_text(page: str) -> str:
    """The text of an HTML page: tags out, entities decoded, whitespace collapsed."""
    body = page.split("<body", 1)[-1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</?(a|span|strong|em|b|i|small|abbr|code)\b[^>]*>", "", body)  # inline: no word break
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def missing_in_order(page: str, words: list[str]) -> str | None:
    """The first of ``words`` that does not follow the previous ones in the page's text, or None."""
    text, position = page_text(page), 0
    for word in words:
        found = text.find(" ".join(word.split()), position)
        if found < 0:
            return word
        position = found + len(word)
    return None
