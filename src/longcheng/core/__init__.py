"""Cross-cutting core: settings, database, errors, audit trail (痕迹化管理), auth, money and time.

Every domain module may import from here; nothing here imports a domain module.
"""
