"""The DuckDB warehouse: connections, versioned schema, and the one place that writes."""
