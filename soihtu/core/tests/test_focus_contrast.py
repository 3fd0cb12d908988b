"""The keyboard focus outline is clearly visible (WCAG 2.4.7 with 1.4.11's 3:1) on white and on
the header's grey: the colours declared in the stylesheet are checked, so the rule cannot regress.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "soihtu" / "soihtu.css"
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|var\((--[\w-]+)\)")
# The backgrounds a focused element sits on: the page and the header (and panels).
BACKGROUNDS = ["--bg", "--soft"]


def _rules() -> list[tuple[str, str]]:
    css = COMMENT.sub("", STYLESHEET.read_text(encoding="utf-8"))
    return [(selector.strip(), body) for selector, body in RULE.findall(css)]


def _variables() -> dict[str, str]:
    root = next(body for selector, body in _rules() if selector == ":root")
    return {name: value.strip() for name, value in VARIABLE.findall(root)}


def _resolve(token: str, variables: dict[str, str]) -> str:
    while token.startswith("var("):
        token = variables[token[4:-1]]
    return token


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _focus_outlines() -> list[tuple[str, str]]:
    """(selector, outline colour) of every rule that draws an outline on focus."""
    outlines = []
    for selector, body in _rules():
        declaration = re.search(r"(?:^|;)\s*outline\s*:\s*([^;]+)", body)
        if ":focus" in selector and declaration and declaration.group(1).strip() != "none":
            colour = COLOUR.search(declaration.group(1))
            assert colour is not None, f"{selector}: the outline names no colour"
            outlines.append((selector, colour.group(0)))
    return outlines


def test_contrast_is_computed_as_wcag_does() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffbf47", "#ffffff") == pytest.approx(1.64, abs=0.01)  # the old outline


def test_every_control_has_a_focus_outline() -> None:
    selectors = " ".join(selector for selector, _colour in _focus_outlines())
    for element in ["a", "button", "input", "select", "textarea", "summary", ".table-scroll"]:
        assert re.search(rf"(^|[\s,]){re.escape(element)}:focus", selectors), element


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_the_focus_outline_has_3_to_1_contrast(background: str) -> None:
    variables = _variables()
    ground = _resolve(f"var({background})", variables)
    for selector, colour in _focus_outlines():
        ratio = contrast(_resolve(colour, variables), ground)
        assert ratio >= 3, f"{selector}: {colour} on {background} {ground} is {ratio:.2f}:1"
