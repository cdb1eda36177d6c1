"""Where pages come from: one module per input kind, each a `Source` (flows/sources/base.py),
registered in flows/sources/registry.py."""
