"""Tables of the scenario room: the ground truth kept beside a synthetic system."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base


class DuplicateTruth(Base):
    """A person record that is, in truth, another registered person under a spelling
    variant or an alias: what identity resolution must find."""

    __tablename__ = "scenario_duplicate"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    true_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    seed: Mapped[int] = mapped_column(Integer)
