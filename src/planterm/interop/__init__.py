"""Handover and interop: the plan out to iCalendar, CSV, JSON and a report, and back in.

Pure core: nothing here imports Textual. Exports take the store and the settings and return
bytes or text; imports read a file into an ``Incoming`` (what would change, and every bad
row or component, named with where it is and why), which ``Incoming.apply`` writes in one
store transaction, all or nothing.
"""
