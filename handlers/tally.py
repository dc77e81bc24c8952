"""The tally of a consensus poll and the outcome it suggests (terms of reference III).

Rough consensus is declared, not counted: the tally only *suggests* an outcome, by rules a
group can change (`poll rules`): a quorum of the eligible members voted, nobody blocks, and
disagreement stays at or under a share of the votes that took a side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from handlers.composition import STAKEHOLDER_GROUPS
from handlers.events import mention

DEFAULT_OPTIONS = (
    {"name": "agree", "meaning": "I support this"},
    {"name": "abstain", "meaning": "I stand aside and will not stop it"},
    {"name": "disagree", "meaning": "I have concerns but will not block (say why)"},
    {"name": "block", "meaning": "I cannot accept this (say why)"},
)
NEEDS_REASON = ("disagree", "block")
DEFAULT_RULES = {"quorum": 0.5, "blocks": 0, "disagree": 0.2}
CONSENSUS_OPTIONS = frozenset({"agree", "disagree", "block"})


def is_consensus(options) -> bool:
    """A consensus poll offers agree, disagree and block; any other set of options is a
    choice between them, decided by the option chosen."""
    return {o["name"] if isinstance(o, dict) else o for o in options} >= CONSENSUS_OPTIONS


def rules_of(group) -> dict:
    return {**DEFAULT_RULES, **(group.settings or {}).get("consensus", {})}


@dataclass(frozen=True)
class Tally:
    options: tuple[str, ...]
    counts: dict[str, int]
    by_group: dict[str, dict[str, int]]
    eligible: int
    eligible_by_group: dict[str, int]
    rules: dict = field(default_factory=lambda: dict(DEFAULT_RULES))

    @property
    def voted(self) -> int:
        return sum(self.counts.values())

    @property
    def quorum_needed(self) -> int:
        # round first: 0.55 * 100 is 55.000000000000007 in floating point, not 55
        return math.ceil(round(self.eligible * self.rules["quorum"], 6))

    @property
    def quorum_met(self) -> bool:
        return self.eligible > 0 and self.voted >= self.quorum_needed

    @property
    def standard(self) -> bool:
        return is_consensus(self.options)

    @property
    def disagree_share(self) -> float:
        sided = self.voted - self.counts.get("abstain", 0)
        return self.counts.get("disagree", 0) / sided if sided else 0.0

    @property
    def suggestion(self) -> str | None:
        """consensus / no-consensus for the standard options; None for custom ones. Consensus
        needs someone to agree: a room of abstentions has decided nothing."""
        if not self.standard:
            return None
        holds = (
            self.quorum_met
            and self.counts.get("agree", 0) > 0
            and self.counts.get("block", 0) <= self.rules["blocks"]
            and self.disagree_share <= self.rules["disagree"]
        )
        return "consensus" if holds else "no-consensus"

    @property
    def unsupported_groups(self) -> list[str]:
        """Stakeholder groups with eligible members and not one 'agree' among them."""
        if "agree" not in self.options:
            return []
        return [
            g
            for g, n in self.eligible_by_group.items()
            if n and not self.by_group.get(g, {}).get("agree")
        ]

    def as_json(self) -> dict:
        return {
            "counts": dict(self.counts),
            "by_stakeholder_group": {g: dict(c) for g, c in self.by_group.items()},
            "eligible": self.eligible,
            "voted": self.voted,
            "quorum_needed": self.quorum_needed,
            "quorum_met": self.quorum_met,
            "suggestion": self.suggestion,
            "unsupported_groups": self.unsupported_groups,
        }


def compute(options, rows, eligible_rows, rules: dict | None = None) -> Tally:
    """Build a tally from aggregated rows: (option, stakeholder group, votes) and
    (stakeholder group, eligible members)."""
    names = tuple(o["name"] for o in options)
    counts = {name: 0 for name in names}
    by_group: dict[str, dict[str, int]] = {}
    for option, group, n in rows:
        if option not in counts:
            continue  # an option removed since; never counted
        counts[option] += n
        by_group.setdefault(group or "none", {name: 0 for name in names})[option] += n
    eligible_by_group = {g: 0 for g in STAKEHOLDER_GROUPS}
    for group, n in eligible_rows:
        eligible_by_group[group or "none"] = eligible_by_group.get(group or "none", 0) + n
    return Tally(
        options=names,
        counts=counts,
        by_group=by_group,
        eligible=sum(eligible_by_group.values()),
        eligible_by_group=eligible_by_group,
        rules=rules or dict(DEFAULT_RULES),
    )


def freeze(
    tally: Tally, dissent: list[tuple[str, str, str | None]], views: list[tuple[str, str]]
) -> dict:
    """The tally as posted at a close, to keep as it is: every number shown, the rules in
    force, who could vote per stakeholder group, the dissent with reasons, observers' views."""
    return tally.as_json() | {
        "options": list(tally.options),
        "eligible_by_stakeholder_group": dict(tally.eligible_by_group),
        "rules": dict(tally.rules),
        "dissent": [{"member": w, "option": o, "reason": r} for w, o, r in dissent],
        "views": [{"member": w, "option": o} for w, o in views],
    }


def describe(
    tally: Tally, dissent: list[tuple[str, str, str | None]], views: list[tuple[str, str]]
) -> str:
    """The tally in words: counts, per stakeholder group, turnout, quorum, suggestion, dissent."""
    return words(freeze(tally, dissent, views), mark="")


def words(frozen: dict, mark: str = "@") -> str:
    """A kept tally in words, from its stored numbers alone (`mark` goes before a handle)."""
    options, counts = frozen["options"], frozen["counts"]
    lines = ["Votes: " + ", ".join(f"{name} {counts.get(name, 0)}" for name in options) + "."]
    for group, by_option in sorted(frozen["by_stakeholder_group"].items()):
        lines.append(
            f"  {group}: "
            + ", ".join(f"{name} {by_option[name]}" for name in options if by_option.get(name))
        )
    quorum = "met" if frozen["quorum_met"] else "not met"
    lines.append(
        f"Turnout: {frozen['voted']} of {frozen['eligible']} eligible members; "
        f"quorum of {frozen['quorum_needed']} {quorum}."
    )
    if not is_consensus(options) and frozen["voted"]:
        lines.append(leading(frozen))
    if frozen["suggestion"]:
        lines.append(
            f"Suggested outcome: {frozen['suggestion'].replace('-', ' ')} (the facilitator declares it)."
        )
    lines += support_lines(frozen)
    for d in frozen["dissent"]:
        lines.append(
            f"Dissent, {d['option']}: {_who(d['member'], mark)}: {d['reason'] or '(no reason given)'}"
        )
    if frozen["views"]:
        lines.append(
            "Observers' views (advisory, not counted): "
            + ", ".join(f"{_who(v['member'], mark)} {v['option']}" for v in frozen["views"])
            + "."
        )
    return "\n".join(lines)


def _who(member: str, mark: str) -> str:
    """A member as the tally names them: the core's mention when `mark` is `@`."""
    return mention(member) if mark == "@" else f"{mark}{member}"


def support_lines(frozen: dict) -> list[str]:
    """The stakeholder groups with no 'agree': those whose members voted otherwise, and those
    whose members did not vote (which withholds nothing)."""
    voting = {g for g, c in frozen["by_stakeholder_group"].items() if any(c.values())}
    against = [g for g in frozen["unsupported_groups"] if g in voting]
    silent = [g for g in frozen["unsupported_groups"] if g not in voting]
    lines = []
    if against:
        lines.append("No support from: " + ", ".join(against) + ".")
    if silent:
        lines.append("No vote from: " + ", ".join(silent) + ".")
    return lines


def leading(frozen: dict) -> str:
    """The option a choice poll's votes favour, or the tie between several."""
    counts = frozen["counts"]
    most = max(counts.get(name, 0) for name in frozen["options"])
    top = [name for name in frozen["options"] if counts.get(name, 0) == most]
    votes = f"{most} vote{'' if most == 1 else 's'}"
    if len(top) == 1:
        return f"Most votes: {top[0]} ({votes}; the facilitator declares the choice)."
    return f"Tied at {votes}: {', '.join(top)} (the facilitator declares the choice)."


def summary(frozen: dict) -> str:
    """A kept tally in one line: counts, turnout, suggestion."""
    counts = ", ".join(f"{name} {frozen['counts'].get(name, 0)}" for name in frozen["options"])
    text = f"{counts}; {frozen['voted']} of {frozen['eligible']} voted"
    if frozen["suggestion"]:
        text += f"; suggested {frozen['suggestion'].replace('-', ' ')}"
    return text
