"""Matching: 揭榜挂帅 challenges, capabilities and 产学研 matchmaking.

Terms: 榜单 (challenge), 发榜方 (seeker, may stay 匿名 until shortlisting), 揭榜方 (solver),
揭榜协议 (the click-through agreement gating 保密详情), 入围 (shortlisted), 成果 (capability),
技术经纪 (the broker's desk).

States: a challenge is open → closed (deadline) → solved; a proposal is submitted →
shortlisted → selected, or not_selected at selection (``challenges.models.PROPOSAL_MOVES``);
a broker pair is suggested → accepted/dismissed, its outcome none → introduced → meeting →
agreement → contract.

Map: ``challenges/`` (publish, edit, board, agreement, proposals), ``review/`` (experts,
shortlist, selection, feedback to solvers), ``capabilities/`` (entry, import, matching both
ways), ``broker/`` (suggested pairs, decisions as feedback, introductions, outcomes),
``contracts/`` (milestones), ``ranker/`` (the pure engine), ``export.py`` (XLSX of the lists).
"""
