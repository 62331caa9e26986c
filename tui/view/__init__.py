"""What the screens show, as plain logic over models: formats, sorts, views, the filter,
the rows of the market list and its columns, the freshness model.

Nothing here imports Textual or Rich: every module is unit-tested on its own and cheap
enough to run on 20,000 markets per keystroke.
"""
