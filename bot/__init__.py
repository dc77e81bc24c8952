"""pnbot: the runtime shell around the working group's use cases."""
