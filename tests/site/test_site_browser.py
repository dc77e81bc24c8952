"""The example month's website in a real browser: headless Chromium (Debian's package) driven
by Playwright, over HTTP from `pnbot site serve`'s server on 127.0.0.1 and from the file
system. Every page loads with no console error, every link resolves, the charts are drawn,
axe-core finds no serious or critical accessibility violation, and the home, composition,
decision and workplan pages are saved as screenshots (tests/site/artifacts/)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from bot import site

CHROMIUM = Path(os.environ.get("PNBOT_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
REQUIRE = os.environ.get("PNBOT_REQUIRE_BROWSER") == "1"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GROUP = "g/pn-ai"
AXE_INSTALL = "npm install --prefix tests/site/.axe axe-core@4"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


def _need(problem: str | None) -> None:
    if problem:
        if REQUIRE:
            pytest.fail(problem + " (PNBOT_REQUIRE_BROWSER=1: CI must run the browser tests)")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def browser():
    _need(_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context (a profile) for the module's pages."""
    opened = browser.new_context(viewport={"width": 1100, "height": 900})
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def served(month_site):
    """The month's site over HTTP on 127.0.0.1, as `pnbot site serve` serves it."""
    started = threading.Event()
    servers = []

    def ready(server):
        servers.append(server)
        started.set()

    thread = threading.Thread(
        target=site.serve, args=(month_site.out, 0, ready), name="site-serve", daemon=True
    )
    thread.start()
    assert started.wait(10)
    host, port = servers[0].server_address[:2]
    yield f"http://{host}:{port}/"
    servers[0].shutdown()
    thread.join(5)


class Visit:
    """A page loaded with every console error, page error and failed request noted; `load`
    reuses the tab for the next page (a crawl opens one tab, not one per page)."""

    def __init__(self, context, url: str | None = None):
        self.context = context
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on(
            "response",
            lambda r: self.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
        )
        self.response = None
        if url is not None:
            self.load(url)

    def load(self, url: str) -> None:
        """Go to `url`, noting only its own problems."""
        self.problems = []
        self.response = self.page.goto(url, wait_until="load")

    def links(self) -> list[str]:
        return self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")

    def close(self) -> None:
        self.page.close()


def crawl(context, start: str) -> dict[str, list[str]]:
    """Every page reachable from `start` on its own origin (or folder): url → problems."""
    seen: dict[str, list[str]] = {}
    queue = [start]
    base = urlparse(start)
    visit = Visit(context)
    while queue and len(seen) < 200:
        url = queue.pop(0)
        if url in seen:
            continue
        visit.load(url)
        ok = visit.response is None or visit.response.ok  # file:// answers with no response
        seen[url] = visit.problems + ([] if ok else [f"status {visit.response.status}"])
        for link in visit.links():
            link = urldefrag(link)[0]
            target = urlparse(link)
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue
            if link.endswith((".html", "/")) and link not in seen:
                queue.append(link)
            elif link not in seen:  # the feed, the calendar: fetched, not rendered
                seen[link] = [] if _fetch_ok(visit, link) else [f"cannot fetch {link}"]
    visit.close()
    return seen


def _fetch_ok(visit: Visit, url: str) -> bool:
    if url.startswith("file://"):
        return Path(urlparse(url).path).is_file()
    return visit.context.request.get(url).ok


def html_pages(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*.html")}


def test_every_page_loads_without_error_and_every_link_resolves(context, served, month_site):
    seen = crawl(context, served + "index.html")
    problems = {url: p for url, p in seen.items() if p}
    assert problems == {}
    visited = {urlparse(u).path.lstrip("/") for u in seen}
    assert html_pages(month_site.out) <= visited  # every page is reached by a link
    assert {f"{GROUP}/feed.atom", f"{GROUP}/meetings.ics"} <= visited


def test_the_site_works_from_the_file_system_too(context, month_site):
    start = (month_site.out / "index.html").resolve().as_uri()
    seen = crawl(context, start)
    assert {u: p for u, p in seen.items() if p} == {}
    assert len([u for u in seen if u.endswith(".html")]) == len(html_pages(month_site.out))


@pytest.mark.parametrize(
    "page, charts",
    [
        ("composition/index.html", ["composition.svg"]),
        ("meetings/index.html", ["attendance.svg"]),
        ("decisions/index.html", ["turnout.svg"]),
    ],
)
def test_the_charts_are_drawn_with_a_text_alternative(context, served, page, charts):
    visit = Visit(context, f"{served}{GROUP}/{page}")
    images = visit.page.eval_on_selector_all(
        "figure img",
        """els => els.map(e => ({src: e.getAttribute('src'), alt: e.alt,
            width: e.getBoundingClientRect().width, height: e.getBoundingClientRect().height,
            decoded: e.complete && e.naturalWidth > 0}))""",
    )
    visit.close()
    assert [i["src"].rsplit("/", 1)[1] for i in images] == charts
    for image in images:
        assert image["decoded"] and image["width"] > 300 and image["height"] > 100, image
        assert "the same numbers are in the table" in image["alt"]
    assert visit.problems == []


def one_page_per_template(folder: Path) -> list[str]:
    """The pages to check: each template once (one meeting of fourteen, say)."""
    chosen: dict[str, str] = {}
    for path in sorted(html_pages(folder)):
        kind = "/".join("*" if part[0].isdigit() else part for part in path.split("/"))
        chosen.setdefault(kind, path)
    return sorted(chosen.values())


def axe_installed() -> None:
    _need(None if AXE.exists() else f"axe-core is not installed at {AXE} ({AXE_INSTALL})")


def axe(page) -> dict:
    """axe-core's results on the loaded page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return result


def test_axe_reports_a_serious_violation_where_there_is_one(context):
    axe_installed()
    page = context.new_page()
    page.set_content(
        "<!DOCTYPE html><html><head><title>t</title></head><body><main>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )
    found = {v["id"]: v["impact"] for v in axe(page)["violations"]}
    page.close()
    assert found["image-alt"] == "critical"
    assert found["color-contrast"] == "serious"
    assert found["html-has-lang"] == "serious"


def test_axe_finds_no_serious_violation_and_screenshots_are_kept(context, served, month_site):
    axe_installed()
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        f"{GROUP}/index.html": "home.png",
        f"{GROUP}/composition/index.html": "composition.png",
        f"{GROUP}/decisions/1/index.html": "decision.png",
        f"{GROUP}/workplan/index.html": "workplan.png",
    }
    report, serious = {}, {}
    for path in one_page_per_template(month_site.out):
        visit = Visit(context, served + path)
        result = axe(visit.page)
        found = [
            {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
            for v in result["violations"]
        ]
        report[path] = {"violations": found, "passes": len(result["passes"])}
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        if bad:
            serious[path] = bad
        if path in shots:
            visit.page.screenshot(path=str(ARTIFACTS / shots[path]), full_page=True)
        visit.close()
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=2, sort_keys=True))
    assert serious == {}
    assert len(report) == 10  # the groups, and each of a group's nine kinds of page
    assert all(r["passes"] > 10 for r in report.values())  # axe really ran on each page
    for name in shots.values():
        assert (ARTIFACTS / name).stat().st_size > 10_000
