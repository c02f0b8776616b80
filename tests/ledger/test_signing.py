"""Signed checkpoints as a monitor handles them: a JSON file and a public key."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from custodia.errors import Invalid
from custodia.ledger.signing import (
    CHECKPOINT_FORMAT,
    SignedCheckpoint,
    key_id,
    load_or_create_signing_key,
    load_public_key,
    public_key_pem,
    sign_checkpoint,
    verify_checkpoint_signature,
)

AT = dt.datetime(2026, 11, 25, 14, 30, 15, 123456, tzinfo=dt.timezone(dt.timedelta(hours=3)))
ROOT = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def signed(key: Ed25519PrivateKey) -> SignedCheckpoint:
    return sign_checkpoint(key, log="custodia-ledger", tree_size=8, root_hash=ROOT, at=AT)


def test_checkpoint_file_round_trips_and_verifies_with_the_public_key_alone(
    key: Ed25519PrivateKey,
) -> None:
    checkpoint = signed(key)
    as_file = json.dumps(checkpoint.to_json())
    public = load_public_key(public_key_pem(key).encode())
    received = SignedCheckpoint.from_json(json.loads(as_file))
    assert received == checkpoint
    verify_checkpoint_signature(received, public)
    assert json.loads(as_file)["format"] == CHECKPOINT_FORMAT
    assert received.key_id == key_id(key.public_key())


def test_checkpoint_time_is_written_in_utc(key: Ed25519PrivateKey) -> None:
    assert signed(key).timestamp == "2026-11-25T11:30:15.123456Z"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("tree_size", 9),
        ("root_hash", "00" * 32),
        ("timestamp", "2026-11-26T11:30:15.123456Z"),
        ("log", "another-log"),
        ("key_id", "0123456789abcdef"),
    ],
)
def test_editing_any_signed_field_breaks_the_signature(
    key: Ed25519PrivateKey, field: str, value: Any
) -> None:
    edited = SignedCheckpoint(**{**signed(key).__dict__, field: value})
    with pytest.raises(Invalid, match="signature"):
        verify_checkpoint_signature(edited, key.public_key())


@pytest.mark.parametrize("signature", ["not base64!", "", "AAAA"])
def test_a_garbled_signature_is_refused(key: Ed25519PrivateKey, signature: str) -> None:
    edited = SignedCheckpoint(**{**signed(key).__dict__, "signature": signature})
    with pytest.raises(Invalid):
        verify_checkpoint_signature(edited, key.public_key())


def test_another_keys_signature_is_refused(key: Ed25519PrivateKey) -> None:
    with pytest.raises(Invalid, match="signature"):
        verify_checkpoint_signature(signed(key), Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.pop("root_hash"),
        lambda d: d.update(tree_size="eight"),
        lambda d: d.update(format="custodia-checkpoint/0"),
        lambda d: d.pop("format"),
    ],
    ids=["missing-root", "bad-size", "old-format", "no-format"],
)
def test_a_file_that_is_not_a_checkpoint_is_refused(key: Ed25519PrivateKey, change: Any) -> None:
    data = signed(key).to_json()
    change(data)
    with pytest.raises(Invalid):
        SignedCheckpoint.from_json(data)


def test_a_public_key_file_that_is_not_one_is_refused() -> None:
    with pytest.raises(Invalid, match="PEM"):
        load_public_key(b"-----BEGIN NONSENSE-----\n")


def test_a_public_key_of_another_kind_is_refused() -> None:
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    with pytest.raises(Invalid, match="Ed25519"):
        load_public_key(pem)


def test_a_signing_key_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(Invalid, match="Ed25519"):
        load_or_create_signing_key(path)
