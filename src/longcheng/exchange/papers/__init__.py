"""Documents of the exchange rendered from plain data (pure): the 成交确认书 PDF.

:func:`confirmation.render` takes a :class:`confirmation.Deal` and returns PDF bytes with the
price in figures and in 大写, in an embedded CJK font when one is installed.
"""
