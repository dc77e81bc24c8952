"""Transports turn native events into the event model and render what the core returns."""
