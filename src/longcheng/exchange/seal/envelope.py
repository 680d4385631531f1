"""Encrypt a bid to a tender's X25519 public key (ephemeral ECDH, HKDF-SHA256, AES-256-GCM).

The sealed text is ``base64(ephemeral_public ‖ nonce ‖ ciphertext)``; the associated data binds
it to one tender and one bidder so a sealed bid cannot be replayed under another name.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw


class SealError(ValueError):
    """A sealed text cannot be opened: wrong key, tampered, or not a sealed text."""


def new_key_pair() -> tuple[bytes, bytes]:
    """A fresh (private, public) X25519 pair, 32 raw bytes each."""
    key = X25519PrivateKey.generate()
    private = key.private_bytes(_RAW, _RAW_PRIV, serialization.NoEncryption())
    return private, key.public_key().public_bytes(_RAW, _RAW_PUB)


def public_of(private: bytes) -> bytes:
    """The public key of a raw private key (to check a joined key before opening)."""
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(_RAW, _RAW_PUB)


def _key(shared: bytes, eph: bytes, aad: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=eph, info=b"longcheng-tender|" + aad).derive(shared)


def seal(public: bytes, plaintext: bytes, *, aad: bytes) -> str:
    """The sealed text of ``plaintext`` for the holder of ``public``'s private key."""
    eph = X25519PrivateKey.generate()
    eph_pub = eph.public_key().public_bytes(_RAW, _RAW_PUB)
    key = _key(eph.exchange(X25519PublicKey.from_public_bytes(public)), eph_pub, aad)
    nonce = os.urandom(12)
    return base64.b64encode(eph_pub + nonce + AESGCM(key).encrypt(nonce, plaintext, aad)).decode()


def open_(private: bytes, sealed: str, *, aad: bytes) -> bytes:
    """The plaintext of a sealed text; :class:`SealError` if it does not open."""
    try:
        raw = base64.b64decode(sealed, validate=True)
        eph_pub, nonce, body = raw[:32], raw[32:44], raw[44:]
        shared = X25519PrivateKey.from_private_bytes(private).exchange(
            X25519PublicKey.from_public_bytes(eph_pub)
        )
        return AESGCM(_key(shared, eph_pub, aad)).decrypt(nonce, body, aad)
    except (ValueError, InvalidTag) as exc:
        raise SealError("密封投标文件无法解密或已被篡改") from exc


def digest(sealed: str) -> str:
    """The SHA-256 hex of a sealed text: the bidder's receipt, checked again at opening."""
    return hashlib.sha256(sealed.encode()).hexdigest()
