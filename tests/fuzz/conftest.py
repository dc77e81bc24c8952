"""The fuzz tests' counter of inputs tried, printed (run with `-s`) when the session ends."""

from __future__ import annotations

import pytest
from hostile_text import Tally


@pytest.fixture(scope="session")
def tally():
    counted = Tally()
    yield counted
    lines = [f"  {name}: {n}" for name, n in sorted(counted.tried.items())]
    print(f"\nfuzz inputs tried: {counted.total}\n" + "\n".join(lines))
