"""One grammar for slash commands and chat commands: words, "quoted words" and key=value.

Only double quotes group words (typographic ones too), so "I can't" stays one word's worth
of text and never breaks the parse.
"""

from __future__ import annotations

import difflib
import re
import shlex

from handlers import lookalikes
from handlers.base import Args, Spec, UserError

_OPTION = re.compile(r"^([a-z][a-z_-]*)=(.*)$", re.DOTALL | re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SLACK_MENTION = re.compile(r"^<@([A-Za-z0-9._-]+)(?:\|[^>]*)?>$")
_SMART_QUOTES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
)
MAX_COMMAND_LENGTH = 4000


def handle_of(token: str) -> str | None:
    """The roster handle a mention stands for: `@alice`, `<@U012AB>` or `<@U012AB|alice>`."""
    match = _SLACK_MENTION.match(token)
    if match:
        return match.group(1)
    if token.startswith("@") and len(token) > 1 and "<" not in token:
        return token[1:]
    return None


def tokenize(text: str) -> list[str]:
    control = _CONTROL.search(text)
    if control:
        raise UserError(
            f"The command holds an invisible control character (U+{ord(control.group()):04X}); "
            "type it again without it."
        )
    if bidi := lookalikes.bidi_error(text, "command"):
        raise UserError(bidi)
    lexer = shlex.shlex(text.translate(_SMART_QUOTES), posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        raise UserError('A quote is not closed: every `"` needs its partner.') from None


def find(tokens: list[str], registry: dict[str, Spec]) -> tuple[Spec | None, list[str]]:
    """The longest command name that starts `tokens`, and the tokens after it."""
    lowered = [token.lower() for token in tokens]
    for length in (3, 2, 1):
        name = " ".join(lowered[:length])
        if len(tokens) >= length and name in registry:
            return registry[name], tokens[length:]
    return None, tokens


def unknown(word: str, registry: dict[str, Spec]) -> UserError:
    firsts = sorted({name.split()[0] for name in registry})
    close = difflib.get_close_matches(word.lower(), firsts, n=1)
    hint = f" Did you mean `{close[0]}`?" if close else ""
    shown = word if len(word) <= 40 else word[:40] + "…"
    return UserError(f"I don't know the command `{shown}`.{hint} Type `help` for the list.")


def command(text: str, registry: dict[str, Spec]) -> tuple[Spec, list[str]]:
    """The use case that command text names, and the tokens left for its arguments."""
    if len(text) > MAX_COMMAND_LENGTH:
        raise UserError(
            f"That command is too long ({len(text)} characters; {MAX_COMMAND_LENGTH} at most)."
        )
    tokens = tokenize(text)
    if not tokens:
        raise UserError("Type a command after the bot's name, for example `help`.")
    spec, rest = find(tokens, registry)
    if spec is None:
        raise subcommands(tokens, registry) or unknown(tokens[0], registry)
    return spec, rest


def subcommands(tokens: list[str], registry: dict[str, Spec]) -> UserError | None:
    """For a command group's name alone or with a wrong second word: its commands' usage."""
    head = tokens[0].lower()
    family = [s for name, s in sorted(registry.items()) if name.split()[0] == head and " " in name]
    if not family:
        return None
    if len(tokens) == 1:
        lead = f"`{head}` needs one of these:"
    else:
        shown = tokens[1] if len(tokens[1]) <= 40 else tokens[1][:40] + "…"
        lead = f"There is no `{head} {shown}`. The `{head}` commands are:"
    usages = "\n".join(f"  `{s.usage}` — {s.summary}" for s in family)
    return UserError(f"{lead}\n{usages}\n`help {family[0].name}` explains one.")


def bind(spec: Spec, tokens: list[str]) -> Args:
    params = spec.params
    option_names = {p.name for p in params if p.is_option}
    positional = [p for p in params if not p.is_option]
    takes_rest = any(p.is_rest for p in positional)

    def wrong(problem: str) -> UserError:
        return UserError(f"{problem}\nUsage: `{spec.usage}`")

    options: dict[str, str] = {}
    words: list[str] = []
    for token in tokens:
        match = _OPTION.match(token)
        key = match.group(1).lower() if match else None
        if key in option_names:
            if key in options:
                raise wrong(f"`{key}=` is given twice.")
            options[key] = match.group(2).strip()
        elif match and not takes_rest:
            raise wrong(f"`{spec.name}` has no option `{key}=`.")
        else:
            words.append(token)

    bound: list[str] = []
    rest = ""
    for param in positional:
        if param.is_rest:
            rest = " ".join(words)
            words = []
            if not rest and not param.optional:
                raise wrong(f"`{spec.name}` is missing `<{param.name}>`.")
            break
        if not words:
            if not param.optional:
                shown = f"@{param.name}" if param.is_mention else f"<{param.name}>"
                raise wrong(f"`{spec.name}` is missing `{shown}`.")
            break
        word = words.pop(0)
        if param.is_mention:
            handle = handle_of(word) or (word if re.fullmatch(r"[\w.\-]+", word) else None)
            if not handle:
                raise wrong(f"`{word}` is not a person: mention them, like `@alice`.")
            word = handle
        bound.append(word)
    if words:
        raise wrong(f"I did not expect `{words[0]}` there.")
    missing = [p.name for p in params if p.is_option and not p.optional and p.name not in options]
    if missing:
        raise wrong(f"`{spec.name}` needs {', '.join(f'`{m}=`' for m in missing)}.")
    return Args(words=bound, options=options, rest=rest)
