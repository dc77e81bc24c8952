"""The group's composition rules (terms of reference IV): the vocabularies and the balance.

Pure functions over roster entries (anything with the Member attributes).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from handlers.base import VOTING_ROLES

STAKEHOLDER_GROUPS = (
    "intergovernmental",
    "government",
    "private-sector",
    "civil-society",
    "technical-community",
)
REGIONS = (
    "africa",
    "asia-pacific",
    "eastern-europe",
    "latin-america-caribbean",
    "western-europe-others",
)
GENDERS = ("woman", "man", "non-binary", "undisclosed")
CAPACITIES = ("organisation", "personal")


@dataclass(frozen=True)
class Balance:
    target: int
    total: int
    stakeholder_groups: dict[str, int]
    regions: dict[str, int]
    genders: dict[str, int]
    shared_organisations: dict[str, list[str]]

    @property
    def group_share(self) -> float:
        return self.target / len(STAKEHOLDER_GROUPS)

    @property
    def region_share(self) -> float:
        return self.target / len(REGIONS)

    @property
    def gender_gap(self) -> int:
        return abs(self.genders["woman"] - self.genders["man"])


def counted(members) -> list:
    """The members the balance is about: those with an equal say (not observers or staff)."""
    return [m for m in members if m.role in VOTING_ROLES]


def balance(members, target: int) -> Balance:
    voters = counted(members)
    by_org: dict[str, list[str]] = defaultdict(list)
    for m in voters:
        if m.organisation and m.capacity != "personal":
            by_org[m.organisation.strip().casefold()].append(m.name)
    names = {
        m.organisation.strip().casefold(): m.organisation.strip() for m in voters if m.organisation
    }
    return Balance(
        target=target,
        total=len(voters),
        stakeholder_groups=_count(voters, "stakeholder_group", STAKEHOLDER_GROUPS),
        regions=_count(voters, "region", REGIONS),
        genders=_count(voters, "gender", GENDERS),
        shared_organisations={names[k]: v for k, v in sorted(by_org.items()) if len(v) > 1},
    )


def _count(members, attribute: str, vocabulary) -> dict[str, int]:
    counts = Counter(getattr(m, attribute) for m in members)
    return {value: counts.get(value, 0) for value in vocabulary}


def warnings_for_addition(members, new, target: int) -> list[str]:
    """What adding `new` makes worse: a share exceeded, a wider gender gap, a second delegate."""
    if new.role not in VOTING_ROLES:
        return []
    before = balance(members, target)
    after = balance([*members, new], target)
    warnings = []
    if after.total > target:
        warnings.append(f"The group now has {after.total} members, above its target of {target}.")
    group = new.stakeholder_group
    if after.stakeholder_groups[group] > after.group_share:
        warnings.append(
            f"{group} now has {_members(after.stakeholder_groups[group])}, above an equal share of "
            f"{_fmt(after.group_share)}."
        )
    if after.regions[new.region] > after.region_share:
        warnings.append(
            f"{new.region} now has {_members(after.regions[new.region])}, above an equal share of "
            f"{_fmt(after.region_share)}."
        )
    if new.gender in ("woman", "man") and after.gender_gap > max(before.gender_gap, 1):
        warnings.append(
            f"Gender parity is further away: {after.genders['woman']} women and "
            f"{after.genders['man']} men."
        )
    org = (new.organisation or "").strip()
    if new.capacity != "personal" and org and org in after.shared_organisations:
        others = [n for n in after.shared_organisations[org] if n != new.name]
        warnings.append(
            f"{org} is already represented by {', '.join(others)}; organisations delegate one "
            "representative each."
        )
    return warnings


def describe(b: Balance, named: bool = True) -> str:
    """The `balance` report, in words; `named` names shared organisations and their people."""
    lines = [f"{b.total} members with an equal say (target {b.target})."]
    lines.append(f"Stakeholder groups (equal share {_fmt(b.group_share)} each):")
    lines += [
        f"  {name}: {n}{_against(n, b.group_share)}" for name, n in b.stakeholder_groups.items()
    ]
    lines.append(f"Regions (equal share {_fmt(b.region_share)} each):")
    lines += [f"  {name}: {n}{_against(n, b.region_share)}" for name, n in b.regions.items()]
    g = b.genders
    parity = "parity holds" if b.gender_gap <= 1 else f"parity is off by {b.gender_gap}"
    lines.append(
        f"Gender: {g['woman']} women, {g['man']} men, {g['non-binary']} non-binary, "
        f"{g['undisclosed']} undisclosed ({parity})."
    )
    if named:
        for org, names in b.shared_organisations.items():
            lines.append(f"Warning: {org} has {len(names)} representatives ({', '.join(names)}).")
    elif b.shared_organisations:
        n = len(b.shared_organisations)
        lines.append(
            f"Warning: {n} organisation{' has' if n == 1 else 's have'} more than one "
            "representative (the facilitator has the details)."
        )
    return "\n".join(lines)


def _against(n: int, share: float) -> str:
    if n > share:
        return f" ({_fmt(n - share)} over)"
    if n < share:
        return f" ({_fmt(share - n)} short)"
    return ""


def _members(n: int) -> str:
    return f"{n} member{'' if n == 1 else 's'}"


def _fmt(x: float) -> str:
    return f"{x:g}"
