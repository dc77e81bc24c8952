"""The core: every use case as a plain function. `handlers.registry` loads and lists them all."""
