"""The people and holders of an organisation (主要人员与股东): 法定代表人, 股东, 董事, 监事.

Other modules ask through :mod:`longcheng.registry.people.service` (re-exported by
``registry.service``) whether two organisations are related (shared legal representative or
shareholder, one holding the other) and where a person holds a role — the conflict-of-interest
and related-party checks of grants, vouchers, challenges and the exchange. A person is known by
the blind index of their resident ID (``core.pii``, purpose ``person.resident_id``) when it was
given, else only by name, and a match by name alone is reported as such.
"""
