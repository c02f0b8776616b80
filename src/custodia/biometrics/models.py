"""Tables of the biometrics room.

``biometric_template``: one finger of one person as minutiae (the matcher's input) plus its
LSH keys, so the in-memory 1:N index is rebuilt from the table without recomputing
cylinders. A re-enrolled finger retires the previous template (``active`` false) instead of
deleting it. ``biometric_image``: the raw capture, kept apart so that templates can be read
without touching images. ``biometric_job``: the background enrolment queue.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from custodia.db import Base, UTCDateTime


class BiometricImage(Base):
    __tablename__ = "biometric_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    media_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    captured_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class BiometricTemplate(Base):
    __tablename__ = "biometric_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    position: Mapped[int] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(16))  # image, iso19794, xyt, synthetic
    quality: Mapped[int] = mapped_column(SmallInteger)
    minutiae_count: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # float32 rows (x, y, angle, kind, quality), then the uint32 LSH keys (tables x n).
    minutiae: Mapped[bytes] = mapped_column(LargeBinary)
    lsh_keys: Mapped[bytes] = mapped_column(LargeBinary)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("biometric_image.id"))
    enrolled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    enrolled_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    __table_args__ = (
        Index("ix_biometric_template_person_position", "person_id", "position"),
        Index("ix_biometric_template_active_id", "active", "id"),
    )


class BiometricJob(Base):
    __tablename__ = "biometric_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    position: Mapped[int] = mapped_column(SmallInteger)
    kind: Mapped[str] = mapped_column(String(16))  # synthetic (scenario) or image
    seed: Mapped[int] = mapped_column(Integer, default=0)
    image_id: Mapped[int | None] = mapped_column(ForeignKey("biometric_image.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending, done, failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    template_id: Mapped[int | None] = mapped_column(ForeignKey("biometric_template.id"))

    __table_args__ = (Index("ix_biometric_job_status_id", "status", "id"),)
