"""Personal data (个人信息): resident ID numbers checked, encrypted at rest, searchable blind, shown masked.

- :mod:`ids` — the 18-digit 居民身份证 number (GB 11643-1999): check digit, birth date, sex.
- :mod:`vault` — the key ring (a key file named in settings, never in the database): AES-GCM
  encryption of a field bound to its purpose, a keyed blind index (HMAC-SHA256) for exact search,
  key rotation. A missing or wrong key file is an error, never a plaintext fallback.
- :mod:`masking` — what pages and exports show: ``3204**********123X``.
- :mod:`cli` — ``longcheng keys init|rotate|check``.

Domains decide who may see a value unmasked (their own permission) and audit every such view.
"""
