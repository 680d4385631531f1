"""E-tendering (电子招标投标): tenders with sealed bids opened by the officers' key shares.

A tender's X25519 private key is split among its opening officers (``seal.shamir``) and never
stored; bids are sealed to its public key (``seal.envelope``) so a database dump before 开标
reveals no price. See docs/exchange-tendering-threat-model.md.
"""
