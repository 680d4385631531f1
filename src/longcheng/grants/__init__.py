"""Grants (兑现一网办): programmes, windows, applications, review, 公示, the ledger and payment.

Terms: 专项 (programme), 申报批次 (window), 申报指南 (guide), 一键申报 (apply from the policy
result), 受理 / 退回补正 / 初审 / 复审 / 专家评审 / 财务审核 / 拟支持 / 公示 / 下达 (the stages),
异议 (objection), 预算台账 (budget ledger), 支付批次 (payment batch), 银行回单 (bank return).

States: an application moves through the stage machine kept as data (``data/stages.yaml``,
one workflow per programme); a payable is 待支付 → 已列入支付批次 → 已支付 or 银行退回; a batch
is 待审批 → 已一审 → 已审批 → 已导出 → 已回单.

Map: ``engine/`` (pure: stages, forms, bank return file), ``programmes/`` (programmes, windows),
``applications/`` (apply, decide, bulk decisions from the queue XLSX, a job when large; queues),
``publicity/`` (公示 and objections), ``ledger/`` (double-entry budget ledger, ``verify``), ``payments/``
(payables; ``add_direct_payable(s)`` and ``payable_status`` for other modules), ``batches/``
(finance batches, bank XLSX and returns), ``attachments/`` (the one upload path of application
materials, acceptance evidence and progress-report files), ``acceptance/`` (先建后补 验收;
``acceptance/progress/``: scheduled 进度报告 with reminders), ``reports/`` (成效指标 and the
programme report, the 专项驾驶舱 dashboard), ``notices/`` (decision and payment notices as PDF;
subscriptions and window reminders), ``cli.py``, ``demo.py``, ``views.py`` (routers).
"""
