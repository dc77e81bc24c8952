"""`pnbot site build` renders the record as a static website: a page per group, meeting and
decision at stable addresses, every link resolving, the charts drawn, an Atom feed and an
iCalendar file; rebuilt whole and swapped in one rename."""

import os
import posixpath
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MONTH_END
from support import clean_env, run_pnbot

from bot import site

GROUP = "g/pn-ai"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def internal_links(files: dict[str, bytes]) -> list[tuple[str, str]]:
    """(page, target in the site) for every relative link of every page."""
    found = []
    for path, body in files.items():
        if not path.endswith(".html"):
            continue
        parser = Links()
        parser.feed(body.decode("utf-8"))
        for href in parser.found:
            if re.match(r"^[a-z]+:", href) or href.startswith("#"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href))
            found.append((path, target))
    return found


def test_every_page_of_the_month_is_there_at_its_stable_address(month_site):
    files = month_site.files()
    for path in (
        "index.html",
        "style.css",
        f"{GROUP}/index.html",
        f"{GROUP}/composition/index.html",
        f"{GROUP}/meetings/index.html",
        f"{GROUP}/meetings/2026-12-08/index.html",
        f"{GROUP}/decisions/index.html",
        f"{GROUP}/decisions/1/index.html",
        f"{GROUP}/outreach/index.html",
        f"{GROUP}/issues/index.html",
        f"{GROUP}/workplan/index.html",
        f"{GROUP}/feed.atom",
        f"{GROUP}/meetings.ics",
        f"{GROUP}/charts/composition.svg",
        f"{GROUP}/charts/attendance.svg",
        f"{GROUP}/charts/turnout.svg",
    ):
        assert path in files, path
    home = files[f"{GROUP}/index.html"].decode()
    assert '<html lang="en">' in home
    assert "Tue 12 Jan 2027, 12:00 UTC" in home  # the next meeting, in UTC
    assert 'href="meetings.ics"' in home
    assert "<strong>no consensus</strong>" in home  # the latest decision

    minuted = files[f"{GROUP}/meetings/2026-12-18/index.html"].decode()
    assert "<h2>Minutes</h2>" in minuted and "<h3>Outreach after RightsCon</h3>" in minuted
    assert "<strong>Agreed:</strong> Amina presents the group&#39;s work at LACIGF" in minuted
    assert "<strong>Action:</strong> Draft the LACIGF talk" in minuted
    assert 'href="https://example.org/pn-ai/outreach-plan"' in minuted
    assert "a line kemi takes back" not in minuted  # undone
    assert "@" not in minuted.split("<h2>Minutes</h2>")[1].split("</main>")[0]  # no handles

    meeting = files[f"{GROUP}/meetings/2026-12-08/index.html"].decode()
    assert "Review the outline of the annual output" in meeting  # the approved agenda
    assert "<dt>Apologies</dt><dd>3</dd>" in meeting
    assert "<dt>Present</dt><dd>16 members</dd>" in meeting

    decision = files[f"{GROUP}/decisions/1/index.html"].decode()
    assert "Bruno&#39;s block on the sponsor conflict stands" in decision  # the rationale
    assert (
        '<tr><th scope="row">technical community</th><td>4</td><td>2</td><td>0</td>'
        "<td>0</td><td>1</td></tr>" in decision
    )
    assert (
        '<tr><th scope="row">Bruno Costa</th><td>block</td>'
        "<td>the sponsor is a vendor our recommendations assess</td></tr>" in decision
    )
    outreach = files[f"{GROUP}/outreach/index.html"].decode()
    assert "EuroDIG 2027" in outreach and "RightsCon" not in outreach  # cleared only
    composition = files[f"{GROUP}/composition/index.html"].decode()
    assert "Marco Rossi" in composition and "Andris Ozols" in composition  # former and new
    assert "Bruno Costa" in composition.split("<h2>Co-moderators</h2>")[1].split("<h2>")[0]
    issues = files[f"{GROUP}/issues/index.html"].decode()
    assert (
        "Data localisation bills" in issues and 'href="../meetings/2026-12-08/index.html"' in issues
    )


def test_every_internal_link_resolves_to_a_file_of_the_site(month_site):
    files = month_site.files()
    links = internal_links(files)
    assert len(links) > 100
    missing = sorted({(page, target) for page, target in links if target not in files})
    assert missing == []


def test_the_feed_and_the_calendar_are_well_formed(month_site):
    files = month_site.files()
    atom = ET.fromstring(files[f"{GROUP}/feed.atom"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    titles = [e.find("a:title", ns).text for e in entries]
    assert titles == [
        "Meeting of 18 December 2026: the record",
        "Decision on poll 1: no consensus",
        "Meeting of 8 December 2026: the record",
    ]
    ids = [e.find("a:id", ns).text for e in entries]
    assert ids == [
        "tag:pnbot,2026:pn-ai:meeting:2026-12-18",
        "tag:pnbot,2026:pn-ai:decision:1",
        "tag:pnbot,2026:pn-ai:meeting:2026-12-08",
    ]
    for e in entries:
        assert e.find("a:link", ns).get("href") in {p.removeprefix(f"{GROUP}/") for p in files}
    ics = files[f"{GROUP}/meetings.ics"].decode()
    assert "BEGIN:VCALENDAR" in ics and "RRULE:FREQ=MONTHLY" in ics
    for name in ("composition", "attendance", "turnout"):
        svg = ET.fromstring(files[f"{GROUP}/charts/{name}.svg"])
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_a_rebuild_of_the_same_record_is_the_same_bytes(month_site, tmp_path):
    again = tmp_path / "again"
    site.build(month_site.app.store, again, MONTH_END)
    first = month_site.files()
    second = {
        str(p.relative_to(again)): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()
    }
    assert second == first


def test_a_build_is_swapped_in_whole_and_older_builds_are_removed(month_site, tmp_path):
    out = tmp_path / "public"
    targets = []
    for _ in range(4):
        site.build(month_site.app.store, out, MONTH_END)
        assert out.is_symlink()
        targets.append(os.readlink(out))
    assert len(set(targets)) == 4  # each build a folder of its own, the link moved each time
    kept = sorted(p.name for p in (tmp_path / ".public.builds").iterdir())
    # the current build and the one before (for a reader in the middle of a page)
    assert kept == sorted(posixpath.basename(t) for t in targets[-2:])
    assert (out / GROUP / "index.html").is_file()


def test_an_empty_folder_is_taken_and_a_folder_of_other_files_is_refused(month_site, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    site.build(month_site.app.store, empty, MONTH_END)
    assert empty.is_symlink() and (empty / "index.html").is_file()

    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(site.SiteError, match="a folder with other files in it"):
        site.build(month_site.app.store, other, MONTH_END)
    assert (other / "notes.txt").read_text() == "mine" and not other.is_symlink()


def pnbot(*args: str, db: str) -> subprocess.CompletedProcess:
    """`pnbot --database DB ARGS…` as the shell runs it (in this process: see run_pnbot)."""
    return run_pnbot(Path.cwd(), ["--database", db, *args])


def test_the_command_builds_and_says_so_and_refuses_clearly(month_site, tmp_path):
    db = str(month_site.app.engine.url)
    out = tmp_path / "public"
    done = pnbot("site", "build", str(out), "--at", "2026-12-22T09:00:00+00:00", db=db)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"built the website in {out}: 31 files\n"
    assert (out / GROUP / "decisions" / "1" / "index.html").read_bytes() == (
        month_site.out / GROUP / "decisions" / "1" / "index.html"
    ).read_bytes()

    for args, error in (
        (["--group", "nope"], "pnbot: there is no group called nope\n"),
        (
            ["--at", "soon"],
            "pnbot: --at: 'soon' is not an ISO date-time such as 2026-12-01T09:00:00+00:00\n",
        ),
    ):
        refused = pnbot("site", "build", str(tmp_path / "x"), *args, db=db)
        assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", error)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    refused = pnbot("site", "build", str(a_file), db=db)
    assert (refused.returncode, refused.stderr) == (
        2,
        f"pnbot: {a_file} is a file; name a folder for the site\n",
    )
    assert not (tmp_path / "x").exists()


def test_serve_answers_on_the_loopback_only_and_refuses_a_missing_folder(month_site, tmp_path):
    import urllib.request

    db = str(month_site.app.engine.url)
    refused = pnbot("site", "serve", db=db)
    assert (refused.returncode, refused.stderr) == (
        2,
        "pnbot: say which folder to serve: pnbot site serve DIR (or set PNBOT_SITE_DIR)\n",
    )
    refused = pnbot("site", "serve", str(tmp_path / "nowhere"), db=db)
    assert refused.returncode == 2
    assert refused.stderr == (
        f"pnbot: {tmp_path / 'nowhere'} is not a folder; build the site first: "
        f"pnbot site build {tmp_path / 'nowhere'}\n"
    )

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "--database",
            db,
            "site",
            "serve",
            str(month_site.out),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        line = server.stdout.readline()
        match = re.fullmatch(r"serving \S+ on (http://127\.0\.0\.1:\d+/) \(Ctrl-C stops\)\n", line)
        assert match, line
        with urllib.request.urlopen(match[1] + f"{GROUP}/decisions/1/", timeout=10) as answer:
            assert answer.status == 200 and b"Decision on poll 1" in answer.read()
        with urllib.request.urlopen(match[1] + f"{GROUP}/feed.atom", timeout=10) as answer:
            assert answer.headers["Content-Type"] == "application/atom+xml"
    finally:
        server.terminate()
        server.wait(10)
