"""Programmes (专项) with their guides and windows (申报批次): ``models``, ``service``, ``api``, ``pages``."""
