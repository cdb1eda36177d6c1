"""Pipeline stages: plain, typed functions over batches. None of them imports Prefect,
so process-pool workers stay light; flows/stages.py wraps them as Prefect tasks."""
