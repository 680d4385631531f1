"""Major investment projects (招商引资 · 重大项目清单化管理 · 督查专报).

An investment bureau and its district officers follow every investment project from the first
lead to full production, on official lists, against a working-day plan, under supervision.

Terms (see ``shared/GLOSSARY.md``):

* 招商引资 (investment promotion): bringing investors to the city; 重大项目 (major projects) are
  managed as official lists (清单化管理): 省重大 / 市重大 / 区重大项目, the "532" annual key
  projects, the largest "1231" projects, and 集中签约/集中开工/集中竣工 ceremony batches.
* Stages (:class:`longcheng.projects.schedule.stages.Stage`): 线索 lead → 在谈 negotiating → 签约 signed →
  注册 registered → 开工 started → 竣工 completed → 投产 producing → 达产 at capacity. Moving forward
  one step is routine; moving back or skipping a stage needs a reason. Each stage has its date.
* Amounts: 协议投资 (agreed), 总投资 (total), 完成投资 (completed so far), integer fen.
* 时序计划表 (time-sequence plan): plan nodes (立项备案, 土地摘牌, 施工许可, 开工, 主体封顶, 设备进场,
  竣工验收, 投产 …) from a template per project type, dated in working days on the official
  holiday calendar (``longcheng.core.workdays``); a date on a holiday moves to the next working
  day and says so (:mod:`.schedule.plans`).
* 序时进度 (pro-rata schedule): how much of the year's planned investment should be done by now,
  against what is done.
* Status lights 绿灯/黄灯/红灯 per node and per project from thresholds kept as data
  (:mod:`.schedule.lights`); 督办 (supervision orders, :mod:`.supervision`) demand a reply by a
  deadline and a late reply turns the project red.
* 挂钩领导 (responsible leader) and 专班 (task force) answer for a project.
* 督查专报 (monthly supervision bulletin): summary text, tables per list, charts by district and
  industry, and the red projects with their reasons, as XLSX and PDF
  (:mod:`.report`).

Map of the package (start with :mod:`.service`, then :mod:`.schedule`):

* :mod:`.schedule` — the pure engine: stages, plans, 序时进度, status lights (plain data in and out).
* :mod:`.service` — the project record: create, edit, stages and ceremonies, plan and
  investment, lights and thresholds, lists and dashboard (``from longcheng.projects import service``).
* :mod:`.supervision` — 督办: orders, replies, their files (models, service, api, pages).
* :mod:`.evidence` — news evidence and possible new leads (models, service, api, pages) and the
  pure matcher :mod:`.evidence.matching`.
* :mod:`.report` — the monthly 督查专报: :mod:`.report.service` reads the database, the pure
  :mod:`.report.gather` / ``xlsx`` / ``pdf`` / ``charts`` build and write it.
* :mod:`.api` and :mod:`.pages` — JSON routes and pages of the record; :mod:`.views` lists every
  router of the module in matching order.
* :mod:`.models`, :mod:`.schemas`, :mod:`.permissions`, :mod:`.vocab` (lists, programmes,
  ceremony kinds kept as data in ``data/``), :mod:`.importer` (XLSX import/export),
  :mod:`.cli`, :mod:`.demo`.

The pure engines (``schedule``, ``evidence.matching``, the report's builders) take plain data
and return plain data; the services wrap them with storage, permissions and the audit trail.
"""
