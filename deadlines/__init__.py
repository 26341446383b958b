"""Deadlines: policies, the deadline of each step, the escalation ladder (督办) and the sweep that climbs it."""
