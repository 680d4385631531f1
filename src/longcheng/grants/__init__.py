"""Grants (兑现一网办): programmes, windows, applications, review, 公示, payment and audit."""
