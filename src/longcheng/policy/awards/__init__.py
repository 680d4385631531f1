"""免申即享 (no-application awards): officers confirm, from the latest stored run, the firms and
exact amounts of the clauses paid without an application.

A row is 待确认 → 已确认 (or 暂缓 with a reason), and 金额有变化 when a later run changes a confirmed
amount. Start with ``service``; ``api`` and ``pages`` are the JSON and HTML edges.
"""
