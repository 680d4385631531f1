"""The public audit file of an auction (pure): every accepted bid in a SHA-256 hash chain.

:func:`chain.link` computes a bid's hash from the previous one; :func:`chain.render` writes the
file (JSON) and :func:`chain.verify` checks a file anyone downloaded. No models or web code.
"""
