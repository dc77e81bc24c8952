"""Help, generated from the use cases' docstrings."""

from __future__ import annotations

from handlers.base import REGISTRY, Args, Context, UserError, command, reply


@command("help", needs_group=False)
def show_help(ctx: Context, args: Args):
    """List the commands, or explain one.

    help [<command...>]

    Example: help member add
    """
    if args.rest:
        wanted = " ".join(args.rest.lower().split())
        spec = REGISTRY.get(wanted)
        if spec is None:
            family = [s for name, s in sorted(REGISTRY.items()) if name.split()[0] == wanted]
            if not family:
                raise UserError(f"There is no command `{wanted[:40]}`. Type `help` for the list.")
            return reply("\n".join(_line(s) for s in family), private=True)
        body = spec.doc.split("\n\n", 2)
        text = f"{spec.summary}\nUsage: `{spec.usage}`"
        if len(body) > 2:
            text += "\n" + body[2]
        if spec.facilitator_only:
            text += "\nOnly the facilitator can do this."
        return reply(text, private=True)
    lines = [
        f"Commands (type them after {ctx.slash_command}, or to me directly; "
        "`help <command>` explains one):"
    ]
    lines += [_line(spec) for _, spec in sorted(REGISTRY.items())]
    return reply("\n".join(lines), private=True)


def _line(spec) -> str:
    mark = " (facilitator)" if spec.facilitator_only else ""
    return f"  {spec.usage.split(' [')[0] if len(spec.usage) > 60 else spec.usage} — {spec.summary}{mark}"
