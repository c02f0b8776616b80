"""Ed25519 keys and signed checkpoints (signed tree heads) of the custody log."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from custodia.db import iso_utc
from custodia.errors import Invalid

CHECKPOINT_FORMAT = "custodia-checkpoint/1"


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Read the PEM private key at ``path``; create it (mode 0600) on first use."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise Invalid(f"{path} does not hold an Ed25519 private key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def public_key_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise Invalid("the public key file is not a PEM public key") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid("the public key is not an Ed25519 key")
    return key


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class SignedCheckpoint:
    log: str
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str

    def signed_fields(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "log": self.log,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "timestamp": self.timestamp,
            "key_id": self.key_id,
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.signed_fields(), "signature": self.signature}

    @classmethod
    def from_json(cls, data: Any) -> SignedCheckpoint:
        try:
            if data["format"] != CHECKPOINT_FORMAT:
                raise Invalid(f"unknown checkpoint format {data['format']!r}")
            return cls(
                log=str(data["log"]),
                tree_size=int(data["tree_size"]),
                root_hash=str(data["root_hash"]),
                timestamp=str(data["timestamp"]),
                key_id=str(data["key_id"]),
                signature=str(data["signature"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Invalid(f"not a Custodia checkpoint: missing or bad field {exc}") from exc


def sign_checkpoint(
    key: Ed25519PrivateKey, *, log: str, tree_size: int, root_hash: str, at: dt.datetime
) -> SignedCheckpoint:
    unsigned = SignedCheckpoint(
        log=log,
        tree_size=tree_size,
        root_hash=root_hash,
        timestamp=iso_utc(at),
        key_id=key_id(key.public_key()),
        signature="",
    )
    signature = key.sign(rfc8785.dumps(unsigned.signed_fields()))
    return SignedCheckpoint(
        **{**unsigned.__dict__, "signature": base64.b64encode(signature).decode()}
    )


def verify_checkpoint_signature(checkpoint: SignedCheckpoint, public_key: Ed25519PublicKey) -> None:
    """Raise Invalid unless the checkpoint was signed by ``public_key``."""
    try:
        public_key.verify(
            base64.b64decode(checkpoint.signature, validate=True),
            rfc8785.dumps(checkpoint.signed_fields()),
        )
    except (InvalidSignature, ValueError) as exc:
        raise Invalid("the checkpoint's signature does not verify with this public key") from exc
