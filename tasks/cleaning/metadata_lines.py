"""Metadata lines and bylines: they leave the text and their values fill the article's
published_at, source and author (the parsing is tasks/metadata.py's)."""
from __future__ import annotations

from tasks import metadata as meta
from tasks.cleaning.rule import Rule

METADATA_LINE = Rule("metadata_line", "metadata",
                     "metadata lines (时间/来源/作者/编辑/阅读量 …) and date lines by the headline: values fill columns; "
                     "a document's date under the body that issued it (某某市人民政府办公室 / 2023年5月10日) stays",
                     apply=meta.parse_metadata_line)

DATELINE = Rule("dateline", "metadata",
                "datelines opening a story (本报讯, 某某网讯, 某某社北京3月14日电) and their (记者 张三): author column; "
                "a dateline alone on its line goes",
                apply=meta.parse_dateline)

BYLINE = Rule("byline", "metadata",
              "bylines (记者 张三 通讯员 李四, 文/张三, 整理 …) and a leading (记者 张三): author column",
              apply=meta.parse_byline)

TRAILING_CREDIT = Rule("trailing_credit", "metadata",
                       "a bracketed credit after a paragraph's last sentence (…受益。（来源：某某 作者：某某）): columns",
                       apply=meta.parse_trailing_credit)
