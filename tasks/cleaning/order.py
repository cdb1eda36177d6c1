"""The one declared order of the cleaning rules. tasks/cleaning/engine.py applies RULES
in this order, again and again until the text stops changing; a rule's place matters where
one rule's output is another's input, and the comments say where."""
from __future__ import annotations

from tasks.cleaning import credits, lists, markup, metadata_lines, mojibake, promotion, repeats, tail, widgets
from tasks.cleaning.rule import Rule

RULES: list[Rule] = [
    # Repairs first, so later patterns see real text: bytes, markup, annotations.
    mojibake.MOJIBAKE_GBK_SHIFT,
    mojibake.MOJIBAKE_COPYRIGHT,
    markup.CAPTION_MARKER,
    markup.HTML_TAG,
    markup.HTML_ENTITY,
    markup.INVISIBLE_CHAR,  # after the entities: &#8203; is one
    markup.PINYIN_ANNOTATION,
    # Before the line rules: a citation mark alone on a line is a sentence's, not a counter.
    markup.SPLIT_SENTENCE,
    credits.END_MARK,
    credits.ORIGINAL_TITLE_NOTE,
    credits.EDITOR_CREDIT,
    credits.PORTAL_RETURN,
    # The title before the spam domain: spam glued to a title caption is then at the line start.
    repeats.TITLE_REPEATED,
    markup.SPAM_DOMAIN,
    # Whole lines of noise (their order does not matter: each drops the lines it matches).
    widgets.SHARE_WIDGET,
    credits.CLOSING_MARK,
    credits.AGENCY_MARK,
    credits.REPOST_NOTE,
    credits.ORIGINAL_TITLE,
    credits.EDITOR_MARK,
    credits.EDITION_LINE,
    *widgets.UI_CONTROLS,
    credits.PHOTO_CREDIT,
    lists.TAGS_LINE,
    lists.NAVIGATION_MENU,
    lists.BREADCRUMB,
    *promotion.PROMOTIONS,
    promotion.APP_PROMPT,
    promotion.APP_STORE_LINK,
    promotion.ACCOUNT_PROMPT,
    widgets.COMMENT_BOX,
    widgets.READING_PROMPT,
    promotion.FOLLOW_US,
    promotion.SUICIDE_NOTICE,
    promotion.DISCUSSION_PROMPT,
    widgets.VIDEO_PLAYER,
    widgets.WECHAT_REWARD,
    widgets.PAYWALL_PROMPT,
    lists.TIMESTAMP_LINE,
    lists.LIST_LABEL,
    lists.RELATED_ITEM,
    # Counters alone on a line: after the widget words around them are gone.
    repeats.BARE_NUMBER,
    # Metadata lines and bylines go to columns: after the noise lines, before the tail.
    metadata_lines.METADATA_LINE,
    metadata_lines.DATELINE,
    metadata_lines.BYLINE,
    metadata_lines.TRAILING_CREDIT,
    # The tail: a tail rule cuts only after TAIL_MIN_PRECEDING_CHARS of text, counted once
    # the noise lines before it are gone. The footer first: it cuts what the others would.
    tail.FOOTER,
    tail.REPOST_NOTICE,
    tail.CONTRIBUTION_PROMPT,
    tail.PERMALINK_LINE,
    tail.NAVIGATION_TAIL,
    tail.RELATED_LIST,
    tail.WECHAT_TAIL,
    tail.CITATION_LIST,
    tail.DANGLING_HEADING,
    # Repeats last: compared over the lines the story keeps.
    repeats.INJECTED_LINE,
    repeats.REPEATED_LINE,
]
assert len({rule.name for rule in RULES}) == len(RULES), "two rules share a name"

# The rules a headline gets (tasks/clean.py): the inline repairs, in the same order.
TITLE_RULES: list[Rule] = [rule for rule in RULES if rule.kind == "inline"]
# The line rules, to find a plain-text input's first line of content.
LINE_RULES: list[Rule] = [rule for rule in RULES if rule.kind == "line"]
