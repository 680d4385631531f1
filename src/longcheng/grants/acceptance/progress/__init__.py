"""先建后补 progress reports (进度报告): while the project is being built, the firm reports on a
schedule set per programme (``ProgressPlan``: every N months, M reports; quarterly × 4 when none
is set). Each report is 待提交 → 待审核 → 已通过, or 退回修改 with the reviewer's reasons and back to
待审核 when the firm resubmits. ``tasks.py`` reminds the firm before the due date and the firm and
the district's officers once overdue, through the notification centre, from a daily schedule.
Start at ``service.py``."""
