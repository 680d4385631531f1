"""Talent (青年人才生活资助直兑): people as first-class records, their data protected, and a
monthly subsidy paid without an application (免申即享).

A young graduate who works in the city is a **person** (人才档案): name, resident ID (居民身份证,
GB 11643 check digit; birth date and sex derived from it), degree (专科/本科/硕士/博士) with school
and graduation date, employer by USCC (from the registry), start date in the city, months of
social insurance (社保) and a bank account. The ID and bank numbers are **never stored in
clear**: a vault token (AES-GCM, ``core.pii.vault``, key file rotatable with ``longcheng keys
rotate`` + ``longcheng talent rotate-key``), a keyed blind index for exact search (purpose
``person.resident_id``, shared by every module that holds a resident ID) and a masked form for
screens. Clear numbers are for ``talent:pii`` holders only (admins; officers an admin granted);
every view and every refused attempt is audited.

Data sources (数据源), imported as jobs all-or-nothing: 人社 social insurance by month, 学历
records, employer declarations (用人单位申报, confirmed by the firm through its account). Each
import is logged, and the freshness page shows the last one per source.

The **monthly run** (月度直兑核定) evaluates the policy clause ``talent.young_talent_living`` with
the policy engine for everyone (exact to the fen), stores each result with the inputs it read
(so its explanation can be rebuilt), diffs against the previous month, notifies the newly
qualifying and the stopped (with the reason: left the employer, period over, insurance gap,
age), and writes **payment lines** (支付明细, 待支付) for people who confirmed once (实名确认 of
identity and bank account). A later run of a month already paid writes arrears (补发) or an
overpayment to recover (多发追回).

States: a person is 未确认 → 已确认; a correction request (更正申请) is 待处理 → 已处理 / 已驳回; an
employer declaration is 待确认 → 已确认; a payment line is 待支付; a recovery is 待追回 → 已追回.

Map: ``models`` (tables; migration branch ``talent``, 0900–0999), ``schemas``, ``permissions``,
``importer`` (the three file formats), ``service/`` (``people``, ``personal``, ``pii``,
``sources``, ``employers``, ``runs``, ``payments``, ``dashboard``, ``errors``), ``api`` and
``pages`` (gathered in ``views``), ``export`` (XLSX, masked unless ``talent:pii``), ``tasks``
(job kinds: imports and ``talent.monthly_run``, scheduled on the 5th), ``cli`` (``longcheng
talent``), ``labels`` (change-log words) and ``demo``.
"""
