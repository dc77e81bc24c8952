"""The public website: the record's pages rendered with Jinja2 into a folder any web server
(or a browser, from the file system) can show, swapped in whole when it is rebuilt.

`OUT` is a symbolic link to the latest build in `.OUT.builds/` beside it: a build is written
in full to a new folder, then the link is replaced in one rename, so a reader never sees half
a site. The build before stays for readers in the middle of a page; older ones are removed.
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from handlers.site_pages import GroupSite, group_site
from handlers.timefmt import day, when

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates" / "site"
MARK = ".pnbot-site"  # in every build: a folder holding it is one of ours to replace
KEEP_BUILDS = 2


class SiteError(Exception):
    """The site cannot be built or served there; the message says why."""


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = when
    env.filters["day"] = day
    env.filters["iso"] = lambda moment: moment.isoformat()
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    env.filters["words"] = words
    return env


def words(label: str) -> str:
    """A vocabulary value as words: `private-sector` is private sector (non-binary stays)."""
    return label if label == "non-binary" else label.replace("-", " ")


def group_root(site: GroupSite) -> str:
    return f"g/{quote(site.name, safe='')}"


def pages(sites: list[GroupSite], base_url: str | None) -> list[Page]:
    """Every file of the site but the charts and the calendars, by its path in the site."""
    found = [Page("index.html", "groups.html.j2", {"sites": sites})]
    for site in sites:
        root = group_root(site)
        common = {"site": site, "group": root, "base_url": base_url}
        found += [
            Page(f"{root}/index.html", "home.html.j2", common),
            Page(f"{root}/composition/index.html", "composition.html.j2", common),
            Page(f"{root}/meetings/index.html", "meetings.html.j2", common),
            Page(f"{root}/decisions/index.html", "decisions.html.j2", common),
            Page(f"{root}/workplan/index.html", "workplan.html.j2", common),
            Page(f"{root}/outreach/index.html", "outreach.html.j2", common),
            Page(f"{root}/issues/index.html", "issues.html.j2", common),
            Page(f"{root}/feed.atom", "feed.atom.j2", common | {"entries": feed_entries(site)}),
        ]
        for m in site.meetings:
            found.append(
                Page(f"{root}/meetings/{m.slug}/index.html", "meeting.html.j2", common | {"m": m})
            )
        for d in site.decisions:
            found.append(
                Page(
                    f"{root}/decisions/{d.number}/index.html", "decision.html.j2", common | {"d": d}
                )
            )
    return found


def feed_entries(site: GroupSite) -> list[dict]:
    """The Atom feed's entries: each decision and each meeting held, newest first."""
    entries = []
    for d in site.decisions:
        updated = max([d.declared_at] + [e.amended_at for e in d.earlier])
        entries.append(
            {
                "id": f"decision:{d.number}",
                "title": f"Decision on poll {d.number}: {d.outcome}",
                "path": f"decisions/{d.number}/index.html",
                "updated": updated,
                "summary": f"{d.question} — {d.outcome}. {d.rationale}",
            }
        )
    for m in site.past:
        agenda = "; ".join(i.text for i in m.agenda)
        present = f"{m.attended} present, " if m.attended is not None else ""
        entries.append(
            {
                "id": f"meeting:{m.slug}",
                "title": f"{m.title}: the record",
                "path": f"meetings/{m.slug}/index.html",
                "updated": m.starts_at + timedelta(minutes=m.duration_minutes),
                "summary": f"{present}{m.apologies} apologies. Agenda: {agenda or 'none approved'}.",
            }
        )
    return sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)


def render(sites: list[GroupSite], base_url: str | None = None) -> dict[str, bytes]:
    """The whole site in memory: path → content."""
    from bot import site_charts  # matplotlib: loaded when a site is built, not at start

    env = environment()
    files: dict[str, bytes] = {MARK: b"pnbot public website\n"}
    for page in pages(sites, base_url):
        here = posixpath.dirname(page.path)

        def link(target: str, here: str = here) -> str:
            return posixpath.relpath(target, here or ".")

        text = env.get_template(page.template).render(
            **page.context, link=link, path=page.path, now=_now(sites)
        )
        files[page.path] = text.encode("utf-8")
    files["style.css"] = (TEMPLATES / "style.css").read_bytes()
    for site in sites:
        root = group_root(site)
        files[f"{root}/meetings.ics"] = site.calendar.encode("utf-8")
        files[f"{root}/charts/composition.svg"] = site_charts.composition(site).encode()
        if site.attendance:
            files[f"{root}/charts/attendance.svg"] = site_charts.attendance(site).encode()
        if site.turnout:
            files[f"{root}/charts/turnout.svg"] = site_charts.turnout(site).encode()
    return files


def _now(sites: list[GroupSite]) -> datetime | None:
    return sites[0].now if sites else None


def read_sites(store, now: datetime, group: str | None = None) -> list[GroupSite]:
    with store() as uow:
        groups = [g for g in uow.groups.all() if group in (None, g.name)]
        if group is not None and not groups:
            raise SiteError(f"there is no group called {group}")
        return [group_site(uow, g, now) for g in groups]


def build(
    store, out: Path, now: datetime, group: str | None = None, base_url: str | None = None
) -> int:
    """Build the site into `out`, swapped in whole; returns how many files it has."""
    files = render(read_sites(store, now, group), base_url)
    publish(files, out)
    return len(files)


def publish(files: dict[str, bytes], out: Path) -> Path:
    """Write `files` to a new build folder and point `out` at it in one rename."""
    out = Path(os.path.abspath(out))
    _check_replaceable(out)
    builds = out.parent / f".{out.name}.builds"
    try:
        builds.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix="build-", dir=builds))
        os.chmod(fresh, 0o755)  # a web server running as another user reads it
        for path, content in files.items():
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        link = builds / f"link-{fresh.name}"
        os.symlink(os.path.relpath(fresh, out.parent), link)
        if out.is_dir() and not out.is_symlink():
            _set_aside(out, builds)
        os.replace(link, out)
    except OSError as error:
        raise SiteError(f"cannot write the site to {out}: {error.strerror or error}") from None
    _prune(builds, keep=fresh)
    return fresh


def _check_replaceable(out: Path) -> None:
    """Refuse to replace anything that is not a site built here: a file, or a folder with
    files of its own."""
    if out.is_symlink() or not out.exists():
        return
    if not out.is_dir():
        raise SiteError(f"{out} is a file; name a folder for the site")
    if any(out.iterdir()) and not (out / MARK).exists():
        raise SiteError(
            f"{out} is a folder with other files in it; name a new or empty folder for the site"
        )


def _set_aside(out: Path, builds: Path) -> None:
    """A real folder where the link goes (empty, or a site copied there): moved among the
    builds, to be pruned like them."""
    os.replace(out, builds / f"build-moved-{os.getpid()}-{datetime.now().timestamp():.0f}")


def _prune(builds: Path, keep: Path) -> None:
    done = sorted(
        (p for p in builds.iterdir() if p.is_dir() and not p.is_symlink() and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in done[KEEP_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


class Refresher:
    """Rebuilds the site at a scheduler tick when the record has changed since the last build
    (a few aggregate reads when it has not)."""

    def __init__(self, store, out: Path, base_url: str | None = None):
        self.store = store
        self.out = out
        self.base_url = base_url
        self.mark: tuple | None = None

    def refresh(self, now: datetime) -> bool:
        """Rebuild if anything was written, or a meeting started, since the last build."""
        with self.store() as uow:
            mark = uow.marks.at(now)
        if mark == self.mark:
            return False
        try:
            build(self.store, self.out, now, base_url=self.base_url)
        except SiteError as error:
            log.error("the public website was not rebuilt: %s", error)
            return False
        self.mark = mark
        log.info("rebuilt the public website in %s", self.out)
        return True


def serve(folder: Path, port: int, ready=None) -> None:
    """Serve `folder` on 127.0.0.1 until interrupted; `ready(server)` is told once it listens."""
    if not folder.is_dir():
        raise SiteError(
            f"{folder} is not a folder; build the site first: pnbot site build {folder}"
        )
    handler = partial(QuietHandler, directory=str(folder))
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as error:
        raise SiteError(f"cannot serve on 127.0.0.1:{port}: {error.strerror or error}") from None
    with server:
        if ready is not None:
            ready(server)
        server.serve_forever()


class QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".atom": "application/atom+xml",
        ".ics": "text/calendar",
        ".svg": "image/svg+xml",
    }

    def log_message(self, format, *args):  # noqa: A002  (the standard library's name)
        log.info("%s %s", self.address_string(), format % args)
