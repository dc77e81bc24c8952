"""Recognise notices in chat text: availability notices (`absence`), outreach announcements
(`outreach`) and objections to them (`objection`), each with its own `recognise` function.

One engine (`engine`: parts, prefilter, cues, spans, one dateparser budget) serves the three
readers, and every phrase they look for is data: one file per language in `handlers/phrases/`
(adding a language is adding a file), built into tables by `tables`. They decide nothing and
store nothing; `handlers.capture` acts on what they read.
"""
