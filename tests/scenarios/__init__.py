"""Scenario builders and helpers several test modules share: no test module imports another.

tests/scenarios/X.py holds what tests/test_X.py first wrote and others reuse.
"""
