"""Storage: the only place that builds queries. Handlers reach it through a unit of work."""
