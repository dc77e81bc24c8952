"""The core: every use case as a plain function. Importing this package registers them all."""

from handlers import groups, help, roster  # noqa: F401
from handlers.base import REGISTRY

__all__ = ["REGISTRY"]
