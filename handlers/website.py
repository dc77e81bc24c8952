"""Where the group's public record is published (terms of reference I: open and transparent)."""

from __future__ import annotations

from urllib.parse import quote

from handlers.base import Args, Context, command, reply


@command("site", needs_group=False)
def show_site(ctx: Context, args: Args):
    """Tell where the public website of the group's record is.

    site

    Example: site
    """
    if not ctx.site_url:
        return reply(
            "This deployment publishes no website of the record yet. A facilitator can set "
            "PNBOT_SITE_DIR (the folder the bot keeps built) and PNBOT_SITE_URL (where a web "
            "server publishes it); the README's Public website section says how.",
            private=True,
        )
    if ctx.group is None:
        return reply(f"The public record of the working groups: {ctx.site_url}/", private=True)
    address = f"{ctx.site_url}/g/{quote(ctx.group.name, safe='')}/"
    return reply(
        f"The public record of {ctx.group.name} (composition, meetings, decisions, workplan, "
        f"outreach, emerging issues): {address}",
        private=True,
    )
