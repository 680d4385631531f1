"""Where a clause's inputs come from: registry tags and facts (一企一档), and policy-owned input
records imported from XLSX/CSV by the departments that pay grants (政策数据导入).

Start with ``service.sources`` (which variable comes from which source, and the engine columns
built from them for a population of firms), then ``service.records`` (template, validation and
all-or-nothing import of input records); ``api`` and ``pages`` are the upload edges.
"""
