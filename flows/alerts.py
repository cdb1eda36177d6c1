"""A finished run's data-quality signals as custom Prefect events, for automations to notify
on (README: Data-quality alerts): a run that loaded no article, a run that rejected more than
a share of what it processed, a site none of whose pages became an article. Each event's
resource is the zhnews run (or the site), related to its Prefect flow run; the payload holds
the counts."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.artifacts import RunMetrics, RunSummary

NO_ARTICLES = "zhnews.run.no-articles"
REJECTIONS_HIGH = "zhnews.run.rejections-high"
SITE_ALL_FAILED = "zhnews.site.all-failed"


@dataclass(frozen=True)
class QualityEvent:
    event: str
    resource: dict[str, str]
    payload: dict[str, Any]


def quality_events(flow: str, status: str, summary: RunSummary, metrics: RunMetrics,
                   rejection_share: float) -> list[QualityEvent]:
    """The signals of one run. Inputs found unchanged are not counted as processed: a rerun
    over finished inputs loads nothing and is no signal."""
    processed = summary.inputs - summary.unchanged
    counts = {"run_id": summary.run_id, "flow": flow, "status": status, "inputs": summary.inputs,
              "processed": processed, "articles": summary.articles, "rejected": summary.rejected,
              "unchanged": summary.unchanged}
    run = {"prefect.resource.id": f"zhnews.run.{summary.run_id}", "prefect.resource.name": f"{flow} run",
           "zhnews.flow": flow}
    events = []
    if processed > 0 and summary.articles == 0:
        events.append(QualityEvent(NO_ARTICLES, run, counts))
    share = summary.rejected / processed if processed > 0 else 0.0
    if share > rejection_share:
        events.append(QualityEvent(REJECTIONS_HIGH, run, {**counts, "rejected_share": round(share, 4),
                                                          "threshold": rejection_share}))
    for site, stages in metrics.failed_sites().items():
        events.append(QualityEvent(
            SITE_ALL_FAILED,
            {"prefect.resource.id": f"zhnews.site.{site}", "prefect.resource.name": site, "zhnews.site": site},
            {"run_id": summary.run_id, "flow": flow, "site": site, "pages": sum(stages.values()),
             "rejected_by_stage": dict(stages)}))
    return events


def emit_quality_events(events: list[QualityEvent], run_id: str, logger) -> None:
    """Send the events (related to the flow run); an API hiccup is logged, never fails the run."""
    from prefect.events import emit_event

    related = [{"prefect.resource.id": f"prefect.flow-run.{run_id}", "prefect.resource.role": "flow-run"}]
    for event in events:
        try:
            emit_event(event.event, resource=event.resource, related=related, payload=event.payload)
        except Exception as exc:  # noqa: BLE001 - monitoring must not fail the data run
            logger.warning("could not emit the event %s: %s", event.event, exc)
            return
        logger.warning("data-quality event %s: %s", event.event,
                       event.resource.get("zhnews.site") or f"{event.payload['articles']} articles, "
                       f"{event.payload['rejected']} rejected of {event.payload['processed']} processed")
