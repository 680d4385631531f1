"""Sealed tender bids (pure): Shamir secret sharing over GF(256) and X25519 + AES-GCM envelopes.

A tender's private key is split with :func:`shamir.split` among the opening officers and never
stored; :func:`envelope.seal` encrypts a bid to the tender's public key and :func:`envelope.open_`
decrypts it once the officers' shares are joined with :func:`shamir.combine`. No models,
sessions or web code here.
"""
