"""The manual (Handleiding Toegangsbeheer eHealth v4) as Help shows it.

Its source is the cleaned Markdown of ``docs/handleiding/`` (one file per chapter; the conventions are
in ``docs/handleiding/README.md``). markdown-it-py renders it once per process, with raw HTML off
(the source's ``<`` is text, never markup) and the result passed through nh3's allow-list as well.
Every numbered heading starts a section with the anchor ``h-<number with dashes>``: the anchors every
"Help" and "Handleiding x.y" link of the portal points at.

Beside Markdown's own blocks the source knows a few containers (``::: name``): ``figuur`` (a numbered
figure of the manual), ``scherm`` (a screenshot of the manual, described by its labels), ``voetnoot``,
``tip`` and ``simulator`` (a note of this simulator, not of the manual). Links go to a section of the
manual (``#h-3-2``) or to a page of the simulator (``route:<url name>``, ``route:<url name>/<arg>``,
with an optional ``?query``): the places the manual sends people are simulated, so the manual never
links out of the portal.
"""

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import nh3
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

MANUAL_DIR = settings.BASE_DIR / "docs" / "handleiding"
CHAPTER_FILES = "[0-9][0-9]-*.md"
NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s+(\S.*)$")
SNIPPET_RADIUS = 70

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption", "aside", "div", "span", "code", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "td": {"data-label"}, "*": {"class"}}


def manual_anchor(number: str) -> str:
    """The Help page's anchor of a manual section: "3.6.2" → "h-3-6-2"."""
    return "h-" + str(number).replace(".", "-")


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    html: SafeString  # the section's own text, without its subsections' (they are sections too)
    text: str  # the same as plain text, for search
    # Its heading on the Help page, under the page's h1: a chapter is h2, "3.6.2" h4; never more than
    # one level below the heading before it (5.1.1 follows chapter 5, which has no 5.1: h3, not h4).
    heading_level: int = 2

    @property
    def anchor(self) -> str:
        return manual_anchor(self.number)

    @property
    def level(self) -> int:
        return self.number.count(".") + 1

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"


# --- Rendering ------------------------------------------------------------------------------------


def _params(token) -> str:
    """The words after the container's name: ``::: figuur Figuur 1 …`` → "Figuur 1 …"."""
    parts = token.info.strip().split(" ", 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _figure(kind: str, tag: str):
    def render(self, tokens, idx, options, env):
        token = tokens[idx]
        if token.nesting == -1:
            return "</div></figure>\n"
        caption = escape(_params(token))
        if kind == "scherm":
            caption = f'<span class="manual-screen-tag">{escape(tag)}</span> {caption}'
        return f'<figure class="manual-{kind}"><figcaption>{caption}</figcaption><div class="manual-screen">'

    return render


def _aside(kind: str, label: str = ""):
    def render(self, tokens, idx, options, env):
        if tokens[idx].nesting == -1:
            return "</aside>\n"
        heading = f'<span class="manual-aside-label">{escape(label)}</span> ' if label else ""
        return f'<aside class="manual-{kind}">{heading}'

    return render


def _href(target: str) -> str:
    """A link of the source as the portal serves it (see the module's docstring)."""
    if re.fullmatch(r"#h-\d+(?:-\d+)*", target):
        return target
    if target.startswith("route:"):
        route, _, query = target.removeprefix("route:").partition("?")
        name, *args = route.split("/")
        return reverse(name, args=args) + (f"?{query}" if query else "")
    raise ValueError(f"The manual may link to its own sections or to the simulator's pages only: {target!r}")


def _label_cells(state) -> None:
    """Each table cell carries its column's header (``data-label``), so that a narrow screen can show
    the table row by row, every value with its label."""
    headers: list[str] = []
    column = 0
    for index, token in enumerate(state.tokens):
        if token.type == "thead_open":
            headers = []
        elif token.type == "th_open":
            inline = state.tokens[index + 1]
            headers.append(inline.content.strip())
            if not inline.content.strip():
                # The screenshots' selection column has no header text; a screen reader gets one.
                label = Token("html_inline", "", 0, content='<span class="visually-hidden">Selecteren</span>')
                inline.children = [label]
        elif token.type == "tr_open":
            column = 0
        elif token.type == "td_open":
            label = headers[column] if column < len(headers) else ""
            if label:
                token.attrSet("data-label", label)
            column += 1


def _resolve_links(state) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", _href(child.attrGet("href") or ""))


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(container_plugin, name="figuur", render=_figure("figuur", ""))
    md.use(container_plugin, name="scherm", render=_figure("scherm", "Scherm"))
    md.use(container_plugin, name="voetnoot", render=_aside("voetnoot"))
    md.use(container_plugin, name="tip", render=_aside("tip"))
    md.use(container_plugin, name="simulator", render=_aside("simulator", "In de simulator:"))
    md.core.ruler.push("simulator_links", _resolve_links)
    md.core.ruler.push("table_labels", _label_cells)
    return md


def _clean(rendered: str) -> SafeString:
    cleaned = nh3.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)
    return mark_safe(cleaned)  # noqa: S308 - passed through nh3's allow-list just above


def _plain(rendered: str) -> str:
    return " ".join(html.unescape(strip_tags(rendered.replace("<", " <"))).split())


def _render(md: MarkdownIt, tokens, env) -> tuple[SafeString, str]:
    rendered = md.renderer.render(tokens, md.options, env)
    return _clean(rendered), _plain(rendered)


@cache
def manual_sections() -> tuple[Section, ...]:
    """Every numbered section of the manual, in order, rendered once per process."""
    md = _markdown()
    sections: list[Section] = []
    for path in sorted(MANUAL_DIR.glob(CHAPTER_FILES)):
        env: dict = {}
        tokens = md.parse(path.read_text(encoding="utf-8"), env)
        heads = [i for i, token in enumerate(tokens) if token.type == "heading_open"]
        for position, start in enumerate(heads):
            match = NUMBERED.match(tokens[start + 1].content.strip())
            if match is None:
                raise ValueError(f"{path.name}: a heading without its number: {tokens[start + 1].content!r}")
            end = heads[position + 1] if position + 1 < len(heads) else len(tokens)
            body, text = _render(md, tokens[start + 3 : end], env)
            number = match.group(1)
            level = min(number.count(".") + 2, sections[-1].heading_level + 1 if sections else 2, 6)
            sections.append(Section(number, match.group(2), body, text, heading_level=level))
    return tuple(sections)


@cache
def _by_number() -> dict[str, Section]:
    return {section.number: section for section in manual_sections()}


def manual_section(number: str) -> Section | None:
    return _by_number().get(str(number))


def manual_anchors() -> set[str]:
    return {section.anchor for section in manual_sections()}


# --- Search ---------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, one character per character (positions stay those of ``text``)."""
    return "".join(unicodedata.normalize("NFD", ch)[0].casefold()[:1] or " " for ch in text)


@dataclass(frozen=True)
class SearchHit:
    section: Section
    snippet: SafeString  # an escaped stretch of the section's text, the words found in <mark>


def _snippet(text: str, folded: str, words: list[str]) -> SafeString:
    first = min((folded.find(word) for word in words if word in folded), default=0)
    start = max(0, first - SNIPPET_RADIUS)
    end = min(len(text), first + SNIPPET_RADIUS * 2)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    piece, folded_piece = text[start:end], folded[start:end]
    marks = sorted(
        (match.start(), match.start() + len(word))
        for word in words
        for match in re.finditer(re.escape(word), folded_piece)
    )
    out, at = [], 0
    for begin, finish in marks:
        if begin < at:
            continue
        out.append(escape(piece[at:begin]))
        out.append(f"<mark>{escape(piece[begin:finish])}</mark>")
        at = finish
    out.append(escape(piece[at:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - every piece escaped above


def manual_search(query: str) -> list[SearchHit]:
    """The sections whose title or text holds every word of the query (case and accents ignored),
    in the manual's order, each with a stretch of its text around the first word found."""
    words = _fold(query).split()
    if not words:
        return []
    hits = []
    for section in manual_sections():
        haystack = _fold(f"{section.heading} {section.text}")
        if all(word in haystack for word in words):
            folded = _fold(section.text)
            hits.append(SearchHit(section, _snippet(section.text, folded, words)))
    return hits
