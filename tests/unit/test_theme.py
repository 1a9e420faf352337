"""The clinic's colours: every one that carries text reads at WCAG AA (4.5:1) on white, both ways round."""

import pytest

from pages.components.theme import FOCUS, LINK, PALETTE

TEXT_COLOURS = {name: colour for name, colour in PALETTE.items() if name != 'slot'}  # slot is a background


def contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        red, green, blue = (int(colour.lstrip('#')[i : i + 2], 16) / 255 for i in (0, 2, 4))
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(('name', 'colour'), [*TEXT_COLOURS.items(), ('link', LINK), ('focus ring', FOCUS)])
def test_each_colour_reads_at_4_5_to_1_on_white(name, colour):
    assert contrast(colour, '#ffffff') >= 4.5, f'{name} {colour} on white: {contrast(colour, "#ffffff"):.2f}:1'
