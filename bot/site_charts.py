"""The website's pictures, drawn at build time as SVG with matplotlib.

matplotlib's SVG backend needs no browser or renderer process, and with a fixed hash salt and
no date in the metadata the same record draws the same bytes, so a rebuild that changes
nothing changes no file. Text stays text (`svg.fonttype: none`): small files, and words a
screen reader or a search can find. Each chart has a data table beside it on its page.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure

from handlers.site_pages import GroupSite

STYLE = {
    "svg.hashsalt": "pnbot",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
BAR = "#1f5f99"  # 7:1 against white
TARGET = "#b8410b"
SECOND = "#8c8c8c"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height), dpi=96)


MIN_SLOTS = 6  # a year's first meetings or polls are not drawn as wide as the chart


def _room_for(ax, n: int) -> None:
    ax.set_xlim(-0.6, max(n, MIN_SLOTS) - 0.4)
    if n > 8:  # a year of monthly meetings: dates slanted to fit
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")


def composition(site: GroupSite) -> str:
    """Members per stakeholder group, region and gender against the equal share."""
    c = site.composition
    panels = [
        ("Stakeholder groups", c.stakeholder_groups),
        ("Regions", c.regions),
        ("Gender (parity: as many women as men)", c.genders),
    ]
    with matplotlib.rc_context(STYLE):
        figure = _figure(7.5, 7.2)
        axes = figure.subplots(3, 1, gridspec_kw={"height_ratios": [5, 5, 4]})
        top = max(
            [x.count for _, xs in panels for x in xs]
            + [x.target for _, xs in panels for x in xs]
            + [1]
        )
        for ax, (title, counts) in zip(axes, panels, strict=True):
            labels = [x.label for x in counts][::-1]
            values = [x.count for x in counts][::-1]
            targets = [x.target for x in counts][::-1]
            ys = range(len(labels))
            ax.barh(ys, values, color=BAR, height=0.6, label="members")
            for y, target in zip(ys, targets, strict=True):
                if target:
                    ax.plot([target, target], [y - 0.4, y + 0.4], color=TARGET, linewidth=2.5)
            for y, value in zip(ys, values, strict=True):
                ax.text(value + top * 0.01, y, str(value), va="center")
            ax.set_yticks(list(ys), labels)
            ax.set_xlim(0, top * 1.15)
            ax.set_title(title, loc="left", fontweight="bold")
            ax.xaxis.get_major_locator().set_params(integer=True)
        axes[0].plot([], [], color=TARGET, linewidth=2.5, label="equal share")
        axes[0].legend(loc="lower right", frameon=False)
        figure.tight_layout()
        return _svg(figure)


def attendance(site: GroupSite) -> str:
    """Members present and apologies at each meeting held."""
    meetings = site.attendance
    with matplotlib.rc_context(STYLE):
        figure = _figure(7.5, 3.4)
        ax = figure.subplots()
        xs = list(range(len(meetings)))
        ax.bar(
            [x - 0.2 for x in xs], [m.attended for m in meetings], 0.4, color=BAR, label="present"
        )
        ax.bar(
            [x + 0.2 for x in xs],
            [m.apologies for m in meetings],
            0.4,
            color=SECOND,
            label="apologies",
        )
        ax.axhline(site.composition.total, color=TARGET, linewidth=1.5, label="members now")
        ax.set_xticks(xs, [f"{m.starts_at:%-d %b %Y}" for m in meetings])
        _room_for(ax, len(meetings))
        ax.set_ylabel("people")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_title("Attendance per meeting", loc="left", fontweight="bold")
        figure.tight_layout()
        return _svg(figure)


def turnout(site: GroupSite) -> str:
    """Members who voted, of those eligible, at each poll's close."""
    polls = site.turnout
    with matplotlib.rc_context(STYLE):
        figure = _figure(7.5, 3.4)
        ax = figure.subplots()
        xs = list(range(len(polls)))
        ax.bar(
            xs, [p.eligible for p in polls], 0.6, color="#dce6f0", edgecolor=BAR, label="eligible"
        )
        ax.bar(xs, [p.voted for p in polls], 0.6, color=BAR, label="voted")
        for x, p in zip(xs, polls, strict=True):
            share = f"{p.voted / p.eligible:.0%}" if p.eligible else "-"
            ax.text(x, p.voted, share, ha="center", va="bottom")
        ax.set_xticks(xs, [f"poll {p.number}" for p in polls])
        _room_for(ax, len(polls))
        ax.set_ylabel("members")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
        ax.set_title("Turnout per poll", loc="left", fontweight="bold")
        figure.tight_layout()
        return _svg(figure)
