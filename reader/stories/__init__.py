"""Stories: the feed items and saved articles that report one real-world event.

:mod:`.features` reduces an item to tokens, :mod:`.grouping` assigns items to stories
(near-duplicates collapse, a 48 h window, strict joins), :mod:`.store` keeps the result in
the library and reads it back. :mod:`.compare` (with :mod:`.numbers` and :mod:`.gather`)
sets the outlets of one story side by side: their coverage and what differs. Nothing here
imports Textual; scikit-learn is imported only when items are grouped.
"""

from __future__ import annotations

from reader.stories.store import (
    Story,
    StoryItem,
    StoryRow,
    UpdateReport,
    list_stories,
    parse_since,
    rebuild_stories,
    update_stories,
)

__all__ = [
    "Story",
    "StoryItem",
    "StoryRow",
    "UpdateReport",
    "list_stories",
    "parse_since",
    "rebuild_stories",
    "update_stories",
]
