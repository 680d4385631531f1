"""The key ring: AES-GCM field encryption, a keyed blind index, rotation; keys live in a file.

The key file (``Settings.pii_key_file``, default ``<data_dir>/pii.key``, mode 0600) is JSON::

    {"format": "longcheng-pii-keyring/1", "active": "<key id>",
     "keys": {"<key id>": "<base64 of 32 bytes>", ...}, "index_key": "<base64 of 32 bytes>"}

A ciphertext is the token ``v1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`` with the field's
``purpose`` (``talent.id_number``) as associated data, so a token copied into another column does
not decrypt. Rotation adds a key and makes it active; old keys stay to decrypt until every token
is re-encrypted (:func:`reencrypt`). The blind-index key never rotates: an index is a stable
HMAC-SHA256 of the normalised value and its purpose, so exact search works without decrypting.

The process is configured once (:func:`configure`, by the app factory, the command line and the
tests); the ring is read on first use. A missing, unreadable or malformed file raises
:class:`PiiKeyError` — there is no plaintext fallback.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from longcheng.core.config import Settings, load_settings
from longcheng.core.errors import LongchengError

FORMAT = "longcheng-pii-keyring/1"
TOKEN_VERSION = "v1"
NONCE_BYTES = 12


class PiiKeyError(LongchengError):
    """The key file is missing or wrong, or a token was made with a key the ring does not hold."""

    code = "pii.key_unavailable"
    status = 503
    message = "个人信息加密密钥不可用，请联系系统管理员。"


@dataclass(frozen=True)
class KeyRing:
    active: str
    keys: dict[str, bytes]
    index_key: bytes


def key_file_of(settings: Settings) -> Path:
    return settings.pii_key_file or settings.data_dir / "pii.key"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str, what: str, path: Path) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raise PiiKeyError(f"密钥文件 {path} 有误：{what} 不是 Base64。") from None
    if len(raw) != 32:
        raise PiiKeyError(f"密钥文件 {path} 有误：{what} 应为 32 字节，实际 {len(raw)} 字节。")
    return raw


def _new_key_id() -> str:
    return "k" + secrets.token_hex(4)


def load_ring(path: Path) -> KeyRing:
    """Read and check a key file; every problem is a :class:`PiiKeyError` naming the file."""
    if not path.is_file():
        raise PiiKeyError(
            f"个人信息加密密钥文件不存在：{path}。新部署请运行 `longcheng keys init` 生成；"
            "已有数据的部署请恢复原密钥文件（缺少密钥将无法解密已存数据）。"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PiiKeyError(f"密钥文件 {path} 无法读取或不是 JSON：{exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PiiKeyError(f"密钥文件 {path} 有误：格式应为 {FORMAT}。")
    keys_raw = data.get("keys")
    if not isinstance(keys_raw, dict) or not keys_raw:
        raise PiiKeyError(f"密钥文件 {path} 有误：缺少 keys。")
    keys = {str(kid): _unb64(str(value), f"密钥 {kid}", path) for kid, value in keys_raw.items()}
    active = data.get("active")
    if active not in keys:
        raise PiiKeyError(f"密钥文件 {path} 有误：当前密钥 {active} 不在 keys 中。")
    index_key = _unb64(str(data.get("index_key", "")), "index_key", path)
    return KeyRing(active=str(active), keys=keys, index_key=index_key)


def _write_ring(path: Path, ring: KeyRing) -> None:
    body = {
        "format": FORMAT,
        "active": ring.active,
        "keys": {kid: _b64(key) for kid, key in ring.keys.items()},
        "index_key": _b64(ring.index_key),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, indent=2)
    os.replace(tmp, path)


def init_key_file(path: Path) -> KeyRing:
    """Create a new key file; an existing one is never overwritten (its data would be lost)."""
    if path.exists():
        raise PiiKeyError(f"密钥文件已存在：{path}，不会覆盖。轮换密钥请用 `longcheng keys rotate`。")
    kid = _new_key_id()
    ring = KeyRing(active=kid, keys={kid: AESGCM.generate_key(256)}, index_key=secrets.token_bytes(32))
    _write_ring(path, ring)
    return ring


def rotate_key_file(path: Path) -> KeyRing:
    """Add a new active key; old keys stay so existing tokens still decrypt until re-encrypted."""
    ring = load_ring(path)
    kid = _new_key_id()
    rotated = KeyRing(active=kid, keys={**ring.keys, kid: AESGCM.generate_key(256)}, index_key=ring.index_key)
    _write_ring(path, rotated)
    return rotated


class _State:
    def __init__(self) -> None:
        self.path: Path | None = None
        self.ring: KeyRing | None = None
        self.lock = threading.Lock()


_state = _State()


def configure(settings: Settings) -> None:
    """Name the key file of this process; it is read on first use (or by :func:`check`)."""
    path = key_file_of(settings)
    with _state.lock:
        if _state.path != path:
            _state.path, _state.ring = path, None


def ring() -> KeyRing:
    with _state.lock:
        if _state.ring is None:
            if _state.path is None:  # a command or script: the settings of the environment
                _state.path = key_file_of(load_settings())
            _state.ring = load_ring(_state.path)
        return _state.ring


def reload() -> KeyRing:
    """Forget the cached ring and read the file again (after a rotation)."""
    with _state.lock:
        _state.ring = None
    return ring()


def check() -> KeyRing:
    """Read the ring now: the app calls this at start so a bad key file stops it at once."""
    return ring()


def encrypt(plaintext: str, *, purpose: str) -> str:
    keys = ring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.keys[keys.active]).encrypt(nonce, plaintext.encode("utf-8"), purpose.encode("utf-8"))
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{TOKEN_VERSION}.{keys.active}.{body}"


def _split(token: str) -> tuple[str, bytes]:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_VERSION:
        raise PiiKeyError("密文格式无法识别。")
    try:
        return parts[1], base64.urlsafe_b64decode(parts[2].encode("ascii"))
    except (ValueError, TypeError):
        raise PiiKeyError("密文格式无法识别。") from None


def decrypt(token: str, *, purpose: str) -> str:
    kid, raw = _split(token)
    key = ring().keys.get(kid)
    if key is None:
        raise PiiKeyError(f"密文使用的密钥 {kid} 不在密钥文件中：密钥文件不对或已丢失旧密钥。")
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode("utf-8"))
    except InvalidTag:
        raise PiiKeyError("密文校验失败：数据被改动，或用途与加密时不一致。") from None
    return plain.decode("utf-8")


def needs_rotation(token: str) -> bool:
    return _split(token)[0] != ring().active


def reencrypt(token: str, *, purpose: str) -> str:
    """The same value under the active key (unchanged when it already uses it)."""
    if not needs_rotation(token):
        return token
    return encrypt(decrypt(token, purpose=purpose), purpose=purpose)


def normalise_for_index(value: str) -> str:
    return "".join(value.split()).upper()


def blind_index(value: str, *, purpose: str) -> str:
    """A stable keyed digest for exact search: equal values give equal indexes, nothing else leaks."""
    message = f"{purpose}\x00{normalise_for_index(value)}".encode()
    return hmac.new(ring().index_key, message, hashlib.sha256).hexdigest()


def describe(ring_: KeyRing) -> dict[str, Any]:
    """What ``longcheng keys check`` prints: key ids, never key material."""
    return {"active": ring_.active, "keys": sorted(ring_.keys), "count": len(ring_.keys)}
