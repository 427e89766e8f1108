"""The 驾驶舱 wall screen's shell (docs/deployment.md, "驾驶舱 wall screen"): what app.py runs
instead of the sidebar and its filters when the page asked for is the wall.

The wall takes everything from its URL, never from widgets (nobody touches a wall):
  refresh=N  seconds between data refreshes (default 300, 30–1800)
  rotate=N   seconds each panel shows before the next (default 0: no rotation; 10–600)
  panel=P    pin one panel: overview, map, rankings, arrivals (default overview)
  asof, period, year, idx  the period, as the other pages' links give them (default: this year
             up to today, re-read on every refresh so an unattended screen follows the date)
  lang=en    English
A malformed or out-of-range value is ignored (the default applies), never an error. The server's
$XIAOAN_WALL_MIN_SECONDS (xiaoan.config.wall_min_seconds; tests/test_browser_wall.py sets it)
lowers the two floors to that many seconds; it never raises them.

Each refresh is a full run of the app over the open WebSocket — never a page reload — so
login.gate looks the user up again every time (a removed account leaves the screen at the
next refresh) and the login, which lasts as long as the tab's session, never lapses while
the screen is on. Rotation reruns only the panel area (st.fragment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import dataclass

import streamlit as st

from dashboard import filters, measures
from dashboard.filters import Selection
from dashboard.page import PageContext, publish
from xiaoan import config, periods

URL_PATH = "wall"
PANELS = ("overview", "map", "rankings", "arrivals")
REFRESH = (300, 30, 1800)  # default, lowest, highest (seconds)
ROTATE = (0, 10, 600)  # 0: no rotation

# Dark, high-contrast, for a projector or a large display seen from across the room.
BACKGROUND = "#0B1220"
PANEL = "#111B2E"
BORDER = "#23324D"
TEXT = "#F1F5FB"
MUTED = "#9FB0C8"
ACCENT = "#4FC3F7"
BAD = "#FF6B6B"
GOOD = "#5EE08A"

# Streamlit's chrome (header, toolbar, sidebar and its toggle, the running man) hidden, for
# this page only: the style is written by the wall's own run.
CHROME_CSS = f"""<style>
[data-testid=stSidebar], [data-testid=stSidebarCollapsedControl], [data-testid=stExpandSidebarButton],
[data-testid=stHeader], [data-testid=stToolbar], [data-testid=stDecoration], [data-testid=stStatusWidget],
[data-testid=stSidebarNav] {{ display: none !important; }}
html, body, .stApp, [data-testid=stApp], [data-testid=stAppViewContainer], [data-testid=stMain] {{
  background: {BACKGROUND} !important; color: {TEXT}; }}
[data-testid=stMainBlockContainer] {{ padding: 14px 26px 6px 26px !important; max-width: none !important; }}
[data-stale=true], .stale-element {{ opacity: 1 !important; transition: none !important; }}
[data-testid=stVerticalBlock] {{ gap: 12px; }}
</style>"""


@dataclass(frozen=True)
class WallOptions:
    refresh: int  # seconds
    rotate: int  # seconds; 0 = no rotation
    panel: str | None  # pinned panel, or None (rotate, or the overview)

    @property
    def panels(self) -> tuple[str, ...]:
        """The panels the screen shows in turn (one when pinned or not rotating)."""
        if self.panel:
            return (self.panel,)
        return PANELS if self.rotate else ("overview",)

    @property
    def tick(self) -> int:
        """Seconds between two runs of the panel area: the shorter of a rotation step and a refresh
        (a run turns the panel only when `rotate` seconds have passed since the last turn)."""
        return min(self.rotate, self.refresh) if len(self.panels) > 1 else self.refresh


def _seconds(text: object, default: int, low: int, high: int) -> int:
    value = str(text or "").strip()
    if not value.isdigit():
        return default
    n = int(value)
    if n == 0 and default == 0:  # rotate=0: no rotation
        return 0
    return n if low <= n <= high else default


def options(params) -> WallOptions:
    """The wall's options from the URL's query parameters (a mapping)."""
    panel = str(params.get("panel") or "").strip()
    floor = config.wall_min_seconds()
    (refresh, refresh_low, refresh_high), (rotate, rotate_low, rotate_high) = REFRESH, ROTATE
    if floor:
        refresh_low, rotate_low = min(refresh_low, floor), min(rotate_low, floor)
    return WallOptions(refresh=_seconds(params.get("refresh"), refresh, refresh_low, refresh_high),
                       rotate=_seconds(params.get("rotate"), rotate, rotate_low, rotate_high),
                       panel=panel if panel in PANELS else None)


def selection(params, today: dt.date, semesters: periods.Semesters) -> Selection:
    """The period and as-of date from the URL (as the sidebar reads them), else this year up to
    today. No town, school-type or category filter: the viewer's scope narrows what is shown."""
    kind = params.get("period")
    kind = kind if kind in periods.PERIOD_KINDS and kind != "custom" else "year"
    year_text = str(params.get("year") or "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today.year
    idx_text = str(params.get("idx") or "")
    if idx_text.isdigit() and int(idx_text) in periods.index_range(kind):
        index = int(idx_text)
    else:
        index = periods.current_index(kind, today, semesters)[1]
    window = periods.resolve(kind, year, index, None, filters.url_date(params.get("asof")), today, semesters)
    return Selection(window.as_of, window.start, window.end,
                     period_label=f"{window.start} – {window.end}")


TURN, TURNED, FULL_RUN, REFRESHED = "wall.turn", "wall.turned", "wall.full_run", "wall.refreshed"
SLACK = 1.0  # seconds: a timer may fire a little early


def full_run(state: MutableMapping, now: float) -> None:
    """A run of the whole app (the data read again): the panel area draws the current panel. The
    first one starts the rotation's clock; a refresh does not reset it."""
    state[FULL_RUN] = True
    state[REFRESHED] = now
    state.setdefault(TURNED, now)


def panel_now(state: MutableMapping, now: float, opts: WallOptions, panels: tuple[str, ...]) -> str | None:
    """The panel to draw on this run of the panel area, or None when the whole app must run
    again. A timed run (not part of a full run) turns to the next panel once `opts.rotate`
    seconds have passed since the last turn (a rotation slower than the refresh is not hurried
    by it), and asks for the full run once `opts.refresh` seconds have passed since the last one."""
    if not state.pop(FULL_RUN, False):
        if len(panels) > 1 and now - state.get(TURNED, 0.0) >= opts.rotate - SLACK:
            state[TURN] = state.get(TURN, 0) + 1
            state[TURNED] = now
        if now - state.get(REFRESHED, 0.0) >= opts.refresh - SLACK:
            return None
    return panels[state.get(TURN, 0) % len(panels)]


def run(current: st.Page, lang: str, scope, today: dt.date) -> None:
    """Draw the wall page: the chrome hidden, the context published from the URL, the page run."""
    st.html(CHROME_CSS)
    semesters = periods.Semesters.of(measures.rules())
    publish(PageContext(lang=lang, scope=scope, selection=selection(st.query_params, today, semesters)))
    current.run()
