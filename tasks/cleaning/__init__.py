"""Cleaning: the rules, one module per noise family, their declared order (order.py) and
the engine that applies them (engine.py). The stage that uses them is tasks/clean.py."""
