"""The enterprise inbox: a firm's 精准推送 notifications (新符合 / 金额变化 / 不再符合), unread until read.

The notifications are written by a stored run (``policy.runs``); this package only shows them to
the firm they concern and marks them read. Start with ``service``; ``api`` and ``pages`` are the
JSON (``/api/v1/policy/notifications``) and HTML (``/policy/inbox``) edges. It is kept apart so
that it can later become the platform's notification centre.
"""
