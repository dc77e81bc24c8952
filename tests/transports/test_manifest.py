"""slack/manifest.yml asks Slack for exactly what the transport uses, so one paste creates a
working app."""

from __future__ import annotations

from pathlib import Path

from bot.transports import slack

MANIFEST = Path(__file__).parent.parent.parent / "slack" / "manifest.yml"


def listed_under(key: str) -> set[str]:
    """The `- item` lines right under `key:` (the manifest is plain YAML; no parser needed)."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"{key}:")
    items = set()
    for line in lines[start + 1 :]:
        if not line.strip().startswith("- "):
            break
        items.add(line.strip()[2:].strip())
    return items


def settings_of() -> dict[str, str]:
    found = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().lstrip("- ").partition(":")
        if sep and value.strip() and not line.lstrip().startswith("#"):
            found.setdefault(key, value.strip())
    return found


def test_the_manifest_asks_for_exactly_the_scopes_the_bot_uses():
    assert listed_under("bot") == slack.SCOPES


def test_the_manifest_subscribes_to_exactly_the_events_the_bot_listens_to():
    assert listed_under("bot_events") == slack.BOT_EVENTS


def test_the_manifest_declares_the_slash_command_interactivity_home_and_socket_mode():
    found = settings_of()
    assert found["command"] == slack.COMMAND
    assert found["should_escape"] == "true"  # so `<@U...>` mentions reach `member add`
    assert found["is_enabled"] == "true"  # interactivity: the buttons
    assert found["home_tab_enabled"] == "true"
    assert found["socket_mode_enabled"] == "true"
