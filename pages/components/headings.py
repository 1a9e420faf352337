"""Real headings (h1, h2, ...), so screen readers can outline each page and name its dialogs."""

from nicegui.elements.mixins.text_element import TextElement


def heading(text: str, level: int = 2) -> TextElement:
    """A heading element of this level holding `text` (style it with classes like any label)."""
    return TextElement(tag=f'h{level}', text=text)
