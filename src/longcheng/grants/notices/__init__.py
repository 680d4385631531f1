"""Notices to the firm as PDF: the 决定通知书 (decision: 下达 with the amount in figures and 大写,
or 不予支持 with the reason) and the 支付通知书 (payment: what was paid, when, by which batch).

``pdf.py`` is pure (plain data in, PDF bytes out, the CJK font embedded through the shared font
helper); ``service.py`` gathers the data as the actor may see it (a firm its own applications
only); ``pages.py`` serves the downloads."""
