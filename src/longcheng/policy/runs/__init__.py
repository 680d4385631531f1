"""Stored batch runs and 精准推送 (targeted push): who qualifies, for how much, and what changed.

A run evaluates every clause of a pack for every firm of the registry for one period, stores the
qualifying set with each firm's basis, and diffs it with the previous run of the same pack and
period into notifications (新符合 / 金额变化 / 不再符合), which are also the firms' inbox messages.

Start with ``service`` (``store`` writes a run, ``query`` reads runs, results and changes for
officers), then ``api`` (JSON under ``/api/v1/policy/runs``) and ``pages`` (``/policy/runs``
and a clause's qualifying list).
"""
