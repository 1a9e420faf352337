"""Colours and sizes in one place.

Every colour that carries text passes WCAG AA (4.5:1) against white, in both directions: white text on a badge or
popup of that colour, and text of that colour on a white page (Quasar's stock warning yellow and info cyan do not).
"""

from nicegui import app, ui

BRAND = '#0f766e'  # teal 700: 5.5:1 on white
PAGE_WIDTH = 'max-w-4xl'
NOTIFY_SECONDS = 6
PALETTE = {
    'primary': BRAND,
    'secondary': '#475569',  # slate 600: 7.6:1
    'accent': '#0369a1',  # sky 700: 5.9:1
    'positive': '#15803d',  # green 700: 5.0:1
    'negative': '#b91c1c',  # red 700: 6.5:1
    'warning': '#b45309',  # amber 700: 5.0:1 (Quasar's #f2c037 is 1.7:1)
    'info': '#0369a1',  # sky 700: 5.9:1 (Quasar's #31ccec is 1.9:1)
    'slot': '#e0f2f1',
}
LINK = '#0f5e58'  # a darker teal than the brand: 7.6:1 on white, 6.6:1 on the light slot colour
FOCUS = '#1d4ed8'  # blue 700 outline, 6.7:1 against white: unmistakable next to the teal
CSS = f"""
a.nicegui-link {{ color: {LINK}; }}
@layer theme {{
  :focus-visible:not(input, textarea, .q-field__native, .q-select__focus-target, .q-menu, .q-dialog__inner,
                     .nicegui-layout) {{
    outline: 3px solid {FOCUS} !important;
    outline-offset: 2px !important;
  }}
  .q-header :focus-visible, .q-notification :focus-visible {{ outline-color: #ffffff !important; }}
}}
.q-dialog__backdrop {{ z-index: 0; }}
.q-dialog__inner {{ z-index: 1; }}
.q-date__calendar-weekdays > div {{ opacity: 0.75; }}
.q-date__calendar-item--out {{ opacity: 0.62; }}
"""
# - A clear focus ring on whatever the keyboard reached (a field shows it by its border instead). Quasar turns outlines
#   off with !important (`no-outline` on every button), which only an !important in an earlier layer overrides.
# - The dialog's backdrop stacks as before, but not at z-index -1, which axe-core takes for a layer above the dialog
#   (dequelabs/axe-core#3464).
# - Quasar's date picker greys its weekday names (0.38) and the days one cannot pick (0.18) below 4.5:1.


def apply_theme() -> None:
    """Set the clinic's colours, link and focus styles and button style for every page (call once at start-up)."""
    app.colors(**PALETTE)
    app.config.quasar_config['loadingBar']['aria-label'] = 'Loading'  # the bar shown while a request is under way
    ui.add_css(CSS, shared=True)
    ui.button.default_props('no-caps')  # sentence-case buttons read calmer than all-caps


LIST_ROW = 'w-full items-center gap-3 py-2 border-b border-gray-200'  # one appointment, period or doctor
