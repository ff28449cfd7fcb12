"""Lays the chain's map (history.chainmap) out as SVG boxes and lines, drawn by
templates/history/_map.svg.html: one column per level, each box centred on what hangs under it, text
cut to the box with the whole text in its tooltip and beside the picture. No script, no external
resource, presentation attributes only (the Content-Security-Policy holds; it prints as it shows)."""

import textwrap
from dataclasses import dataclass, field

COLUMNS = [10, 280, 550, 820, 1090]
WIDTH = 250
LINE = 15
PAD = 8
GAP = 12
CHARS = 34


@dataclass
class Box:
    x: int
    y: int
    w: int
    h: int
    title: str
    lines: list  # (text, kind): kind "label", "detail" or "flag"
    url: str
    red: bool
    key: str


@dataclass
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int
    red: bool = False

    @property
    def path(self) -> str:
        middle = (self.x1 + self.x2) // 2
        return f"M{self.x1},{self.y1} C{middle},{self.y1} {middle},{self.y2} {self.x2},{self.y2}"


@dataclass
class Drawing:
    width: int
    height: int
    boxes: list[Box] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


def _cut(text: str, chars: int = CHARS) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def _lines(node) -> list:
    lines = [(_cut(node.label), "label")]
    if node.detail:
        lines += [(_cut(line), "detail") for line in textwrap.wrap(node.detail, CHARS)[:3]]
    for flag in node.flags:
        lines += [(_cut(line), "flag") for line in textwrap.wrap("⚠ " + flag, CHARS)]
    if node.extra:
        lines.append((f"+ {node.extra}", "detail"))
    return lines


def _height(node) -> int:
    return len(_lines(node)) * LINE + 2 * PAD


def draw(chain_map) -> Drawing:
    drawing = Drawing(width=COLUMNS[-1] + WIDTH + 10, height=0)

    def box(node, column: int, y: int) -> Box:
        lines = _lines(node)
        title = " — ".join(part for part in [node.label, node.detail, *node.flags] if part)
        result = Box(
            COLUMNS[column], y, WIDTH, _height(node), title, lines, node.url, bool(node.flags), node.key
        )
        drawing.boxes.append(result)
        return result

    def place(node, column: int, top: int) -> tuple[Box, int]:
        """Place a node and its subtree from ``top``; returns its box and the bottom of the subtree."""
        if not node.children:
            placed = box(node, column, top)
            return placed, top + placed.h + GAP
        child_boxes, bottom = [], top
        for child in node.children:
            child_box, bottom = place(child, column + 1, bottom)
            child_boxes.append(child_box)
        height = _height(node)
        centre = (child_boxes[0].y + child_boxes[-1].y + child_boxes[-1].h) // 2
        placed = box(node, column, max(top, centre - height // 2))
        for child_box in child_boxes:
            drawing.edges.append(
                Edge(
                    placed.x + placed.w,
                    placed.y + placed.h // 2,
                    child_box.x,
                    child_box.y + child_box.h // 2,
                    child_box.red,
                )
            )
        return placed, max(bottom, placed.y + placed.h + GAP)

    bottom = 10
    activation_boxes = []
    for activation in chain_map.activations:
        placed, bottom = place(activation, 2, bottom)
        activation_boxes.append(placed)
    top = 10
    manager_boxes = []
    for node in chain_map.managers:
        placed = box(node, 1, top)
        top += placed.h + GAP
        manager_boxes.append(placed)
    top = 10
    for node in chain_map.representatives:
        placed = box(node, 0, top)
        top += placed.h + GAP
        if manager_boxes:
            htb = manager_boxes[0]
            drawing.edges.append(
                Edge(placed.x + placed.w, placed.y + placed.h // 2, htb.x, htb.y + htb.h // 2, htb.red)
            )
    if manager_boxes:
        htb = manager_boxes[0]
        for target in activation_boxes:
            drawing.edges.append(
                Edge(htb.x + htb.w, htb.y + htb.h // 2, target.x, target.y + target.h // 2, target.red)
            )
    drawing.height = max([b.y + b.h for b in drawing.boxes] + [40]) + 10
    return drawing
