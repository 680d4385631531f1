"""News intelligence (招商情报): news and bulletins turned into facts that keep their source.

A city's record of investment promotion is its news: "中天钢铁集团与常州经开区管委会签约总投资
101亿元的绿色循环减量提升项目", "完成投资65.26亿元". This module reads such texts offline and
turns them into facts an analyst can check against the sentence they came from.

Flow and terms:

* **Ingest** (采集/入库): text, HTML and PDF files are decoded (UTF-8, UTF-8 with BOM, GBK/GB18030),
  stripped of boilerplate (导航, 分享给朋友, 免责声明, 相关文章), split into articles (标题 + 正文 +
  发布日期) and stored content-addressed (sha256), so an article ingested twice is stored once.
* **Extract** (抽取, ``longcheng.intel.extractor``): a pure engine, plain text in and facts out.
  Each fact is a money amount (金额) with its currency (币种), qualifier (约/超/余/数亿 …) and kind —
  investment (总投资, 计划投资, 协议投资, 完成投资), output (产值, 营业收入, 销售收入), funding
  (补助, 资金, 贷款, 融资) or other — plus the stage event of the sentence: signed (签约/落户),
  started (开工/奠基), completed (竣工/建成), producing (投产/投运), building (在建), invested
  (完成投资). "达产后", "预计" mark plans, not events. Around the amount: the project (…项目,
  …基地, …产业园), organisations (…集团, …有限公司, …管委会 and every registry name), places from
  the gazetteer (``longcheng.intel.extractor.gazetteer``: 区/县级市, 开发区/高新区/园区, 镇) and the date,
  resolved against the publication date (去年12月, 今年一季度, 1-4月份). Every fact keeps its
  character span, its cue (``完成投资17.17亿元``) and its sentence.
* **Link** (关联): every organisation named in a fact's sentence is matched against the registry
  (exact name, former name 曾用名, or a confident fuzzy match on the name without region and
  legal form → automatic); unsure matches wait in a review queue (待确认) until an analyst
  confirms or rejects them, audited; a confirmed link gives the fact its organisation.
* **Search** (检索): Chinese full-text search over articles and facts, short queries (光伏, 锂)
  included, behind ``search.SearchIndex`` (tantivy at ``data_dir/search``, derived data rebuilt
  by ``longcheng intel reindex``).
* **Readers**: intel imports no other domain. After an ingest it announces the new fact ids
  (``core.hooks.FACTS_STORED``); a reader such as ``projects`` subscribes and asks for the facts
  through ``service.facts_for_projects`` (plain data).

Storage: ``intel_document`` (the file, kept content-addressed under ``data_dir/files``),
``intel_article`` (unique by content hash), ``intel_fact`` and ``intel_link``. Who sees what is
decided in ``permissions`` (analysts are officers and administrators; auditors read; an
enterprise user sees only the facts linked to its own organisation).

States of a link: auto (自动关联) or proposed (待确认) → confirmed (已确认) or rejected (已驳回).

Map (start at ``service/ingest.py`` to follow one file through the module):

* pure engines — plain data in, plain data out, no intel models, services or web code:
  ``ingest/`` (files → decoded text → articles), ``extractor/`` (text → money facts, with the
  place gazetteer), ``linker/`` (names → registry candidates) and ``search/`` (the
  ``SearchIndex`` interface and its tantivy backend);
* ``models.py`` (tables), ``schemas.py`` (filters and forms), ``permissions.py`` (who sees what);
* ``service/`` — the behaviour over the database: ``documents``, ``facts`` (and the hand-off),
  ``ingest``, ``links``, ``search``, ``dashboard`` and the file ``storage``;
* ``api.py`` (JSON), ``pages.py`` (HTML + HTMX), ``views.py`` (both routers), ``export.py``
  (the fact table as Excel), ``cli/`` (``longcheng intel ...``) and ``demo.py`` (fictional
  articles for ``longcheng demo`` and the benchmarks).
"""
