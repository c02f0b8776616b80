"""The Merkle tree a monitor relies on: RFC 6962 test vectors, and proofs that verify
exactly when they should."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from custodia.ledger import merkle
from custodia.ledger.merkle import ProofError

# The leaves of the certificate-transparency test data (RFC 6962 reference tests).
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    bytes(range(0x60, 0x70)),
]
CT_HASHES = [merkle.leaf_hash(data) for data in CT_LEAVES]
CT_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# Audit paths and consistency proofs of the same reference tests (0-based leaf index).
CT_INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 6962 section 2.1 writes it (recursive), to check the fast one."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def flip(data: bytes, position: int) -> bytes:
    position %= len(data)
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def leaves_of(size: int, salt: int = 0) -> list[bytes]:
    return [merkle.leaf_hash(f"{salt}:{i}".encode()) for i in range(size)]


sizes = st.integers(min_value=1, max_value=130)


# --- reference vectors -------------------------------------------------------------------


def test_empty_tree_root_is_hash_of_nothing() -> None:
    assert merkle.root_hash([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_root_of_the_first_leaves_matches_rfc6962_vectors(size: int) -> None:
    assert merkle.root_hash(CT_HASHES[:size]).hex() == CT_ROOTS[size]


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_frontier_streams_to_the_rfc6962_roots(size: int) -> None:
    frontier = merkle.Frontier()
    for leaf in CT_HASHES[:size]:
        frontier.append(leaf)
    assert frontier.size == size
    assert frontier.root().hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_audit_paths_match_rfc6962_vectors(index: int, size: int, path: list[str]) -> None:
    proof = merkle.inclusion_proof(CT_HASHES, index, size)
    assert [node.hex() for node in proof] == path
    merkle.verify_inclusion(index, size, CT_HASHES[index], proof, bytes.fromhex(CT_ROOTS[size]))


@pytest.mark.parametrize(("old", "new", "path"), CT_CONSISTENCY)
def test_consistency_proofs_match_rfc6962_vectors(old: int, new: int, path: list[str]) -> None:
    proof = merkle.consistency_proof(CT_HASHES, old, new)
    assert [node.hex() for node in proof] == path
    merkle.verify_consistency(
        old, new, bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new]), proof
    )


# --- properties: roots -------------------------------------------------------------------


@settings(max_examples=60)
@given(size=st.integers(min_value=0, max_value=140), salt=st.integers(0, 1000))
def test_frontier_root_equals_root_hash_at_every_size(size: int, salt: int) -> None:
    leaves = leaves_of(size, salt)
    frontier = merkle.Frontier()
    assert frontier.root() == reference_root([])
    for n, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert frontier.size == n
        assert frontier.root() == merkle.root_hash(leaves[:n]) == reference_root(leaves[:n])


# --- properties: inclusion ---------------------------------------------------------------


@settings(max_examples=80)
@given(data=st.data(), size=sizes)
def test_every_inclusion_proof_verifies(data: st.DataObject, size: int) -> None:
    leaves = leaves_of(size + data.draw(st.integers(0, 5), label="extra leaves"))
    index = data.draw(st.integers(0, size - 1), label="index")
    root = merkle.root_hash(leaves[:size])
    proof = merkle.inclusion_proof(leaves, index, size)
    merkle.verify_inclusion(index, size, leaves[index], proof, root)


@settings(max_examples=80)
@given(data=st.data(), size=st.integers(min_value=2, max_value=130))
def test_inclusion_proof_with_a_flipped_byte_is_refused(data: st.DataObject, size: int) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = merkle.inclusion_proof(leaves, index)
    which = data.draw(st.integers(0, len(proof) - 1), label="node")
    proof[which] = flip(proof[which], data.draw(st.integers(0, 31), label="byte"))
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, size, leaves[index], proof, merkle.root_hash(leaves))


@settings(max_examples=80)
@given(data=st.data(), size=sizes)
def test_inclusion_of_a_wrong_leaf_is_refused(data: st.DataObject, size: int) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = merkle.inclusion_proof(leaves, index)
    wrong = flip(leaves[index], data.draw(st.integers(0, 31), label="byte"))
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, size, wrong, proof, merkle.root_hash(leaves))


@settings(max_examples=80)
@given(data=st.data(), size=sizes)
def test_inclusion_at_a_wrong_index_is_refused(data: st.DataObject, size: int) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1), label="index")
    wrong_index = data.draw(st.integers(0, 2 * size + 1), label="wrong index")
    assume(wrong_index != index)
    proof = merkle.inclusion_proof(leaves, index)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(wrong_index, size, leaves[index], proof, merkle.root_hash(leaves))


@pytest.mark.parametrize(("size", "index", "negative"), [(2, 1, -1), (8, 7, -1), (16, 14, -2)])
def test_inclusion_at_a_negative_index_is_refused(size: int, index: int, negative: int) -> None:
    """A leaf index is unsigned (RFC 9162 2.1.3.2): "event 0" or "event -1" is not in the log."""
    leaves = leaves_of(size)
    proof = merkle.inclusion_proof(leaves, index)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(negative, size, leaves[index], proof, merkle.root_hash(leaves))


@settings(max_examples=80)
@given(data=st.data(), size=sizes)
def test_inclusion_under_a_wrong_root_is_refused(data: st.DataObject, size: int) -> None:
    leaves = leaves_of(size)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = merkle.inclusion_proof(leaves, index)
    wrong_root = flip(merkle.root_hash(leaves), data.draw(st.integers(0, 31), label="byte"))
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, size, leaves[index], proof, wrong_root)


def test_proof_of_a_leaf_outside_the_tree_cannot_be_asked_for() -> None:
    leaves = leaves_of(4)
    with pytest.raises(ValueError, match="not in a tree of size 4"):
        merkle.inclusion_proof(leaves, 4)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(4, 4, leaves[0], [], merkle.root_hash(leaves))


# --- properties: consistency -------------------------------------------------------------


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(sizes)
    old = draw(st.integers(1, new))
    return old, new


@settings(max_examples=100)
@given(sizes_=two_sizes(), salt=st.integers(0, 1000))
def test_every_consistency_proof_verifies(sizes_: tuple[int, int], salt: int) -> None:
    old, new = sizes_
    leaves = leaves_of(new, salt)
    proof = merkle.consistency_proof(leaves, old)
    merkle.verify_consistency(
        old, new, merkle.root_hash(leaves[:old]), merkle.root_hash(leaves), proof
    )


@settings(max_examples=100)
@given(data=st.data(), sizes_=two_sizes())
def test_consistency_proof_with_a_flipped_byte_is_refused(
    data: st.DataObject, sizes_: tuple[int, int]
) -> None:
    old, new = sizes_
    assume(old < new)
    leaves = leaves_of(new)
    proof = merkle.consistency_proof(leaves, old)
    which = data.draw(st.integers(0, len(proof) - 1), label="node")
    proof[which] = flip(proof[which], data.draw(st.integers(0, 31), label="byte"))
    with pytest.raises(ProofError):
        merkle.verify_consistency(
            old, new, merkle.root_hash(leaves[:old]), merkle.root_hash(leaves), proof
        )


@settings(max_examples=100)
@given(data=st.data(), sizes_=two_sizes())
def test_consistency_with_a_wrong_root_is_refused(
    data: st.DataObject, sizes_: tuple[int, int]
) -> None:
    old, new = sizes_
    leaves = leaves_of(new)
    proof = merkle.consistency_proof(leaves, old)
    old_root, new_root = merkle.root_hash(leaves[:old]), merkle.root_hash(leaves)
    byte = data.draw(st.integers(0, 31), label="byte")
    if data.draw(st.booleans(), label="tamper with the old root"):
        old_root = flip(old_root, byte)
    else:
        new_root = flip(new_root, byte)
    with pytest.raises(ProofError):
        merkle.verify_consistency(old, new, old_root, new_root, proof)


@settings(max_examples=60)
@given(data=st.data(), sizes_=two_sizes())
def test_a_rewritten_prefix_is_not_consistent(data: st.DataObject, sizes_: tuple[int, int]) -> None:
    """A log whose first ``old`` leaves changed cannot prove it extends the old head."""
    old, new = sizes_
    leaves = leaves_of(new)
    old_root = merkle.root_hash(leaves[:old])
    changed = data.draw(st.integers(0, old - 1), label="rewritten leaf")
    rewritten = list(leaves)
    rewritten[changed] = merkle.leaf_hash(b"rewritten")
    proof = merkle.consistency_proof(rewritten, old)
    with pytest.raises(ProofError):
        merkle.verify_consistency(old, new, old_root, merkle.root_hash(rewritten), proof)


@settings(max_examples=60)
@given(sizes_=two_sizes())
def test_consistency_proof_with_a_node_missing_or_added_is_refused(
    sizes_: tuple[int, int],
) -> None:
    old, new = sizes_
    leaves = leaves_of(new)
    proof = merkle.consistency_proof(leaves, old)
    old_root, new_root = merkle.root_hash(leaves[:old]), merkle.root_hash(leaves)
    with pytest.raises(ProofError):
        merkle.verify_consistency(old, new, old_root, new_root, [*proof, leaves[0]])
    if proof:
        with pytest.raises(ProofError):
            merkle.verify_consistency(old, new, old_root, new_root, proof[:-1])


def test_consistency_from_a_larger_or_empty_tree_is_refused() -> None:
    leaves = leaves_of(5)
    root = merkle.root_hash(leaves)
    with pytest.raises(ProofError):
        merkle.verify_consistency(6, 5, root, root, [])
    with pytest.raises(ProofError):
        merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, root, [])
