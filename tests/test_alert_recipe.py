"""The README's data-quality automation recipe is one Prefect accepts, and it matches the
events flows/alerts.py emits."""
from __future__ import annotations

import json
import re
import uuid

from prefect.events.schemas.automations import AutomationCore

from flows.alerts import NO_ARTICLES, REJECTIONS_HIGH, SITE_ALL_FAILED
from tests.conftest import ROOT


def test_the_readme_recipe_is_a_valid_automation_on_the_emitted_events():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Data-quality alerts"):]
    recipe = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    recipe = recipe.replace("YOUR-NOTIFICATION-BLOCK-ID", str(uuid.uuid4()))
    automation = AutomationCore.model_validate(json.loads(recipe))
    assert set(automation.trigger.expect) == {NO_ARTICLES, REJECTIONS_HIGH, SITE_ALL_FAILED}
    assert automation.actions[0].type == "send-notification"
