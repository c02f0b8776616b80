"""A sortie's manifest as a PDF: one line per detainee with a QR code the boarding team
scans (plan, sortie, person), and the signature block."""

from __future__ import annotations

import io
from typing import Any

import segno
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

_ROW = 22 * mm
_QR = 18 * mm


def _qr_drawing(payload: str, size: float) -> Drawing:
    code = segno.make(payload, error="m", micro=False)
    matrix = [list(row) for row in code.matrix]
    n = len(matrix)
    cell = size / (n + 2)
    drawing = Drawing(size, size)
    for y, row in enumerate(matrix):
        for x, bit in enumerate(row):
            if bit:
                drawing.add(
                    Rect(
                        (x + 1) * cell,
                        size - (y + 2) * cell,
                        cell,
                        cell,
                        fillColor=colors.black,
                        strokeColor=None,
                    )
                )
    return drawing


def manifest_pdf(
    plan: dict[str, Any], sortie: dict[str, Any], names: dict[int, str] | None = None
) -> bytes:
    """The PDF bytes. ``names``: person id -> display name, when a registry is at hand."""
    risks = {d["id"]: d for site in plan["operation"]["sites"] for d in site["detainees"]}
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    _width, height = A4
    pdf.setTitle(f"Manifest {sortie['id']}")

    def header() -> float:
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(15 * mm, height - 18 * mm, f"Manifest {sortie['id']}")
        pdf.setFont("Helvetica", 9)
        pdf.drawString(
            15 * mm,
            height - 25 * mm,
            f"{plan['operation_name']} - day {sortie['day']} - aircraft {sortie['aircraft']} "
            f"({sortie['aircraft_type']}) - {sortie['origin']} -> {sortie['destination']}"
            + (f" via {sortie['refuel_stop']}" if sortie.get("refuel_stop") else ""),
        )
        pdf.drawString(
            15 * mm,
            height - 30 * mm,
            f"seats {sortie['seats']}, detainees {len(sortie['manifest'])}, guards "
            f"{sortie['guards']}, depart {sortie['depart_hour']:.2f} h, arrive "
            f"{sortie['arrive_hour']:.2f} h" + (" - MINORS ONLY" if sortie.get("minors") else ""),
        )
        return float(height - 38 * mm)

    onward: dict[str, str] = sortie.get("onward") or {}
    y = header()
    for number, pid in enumerate(sortie["manifest"], start=1):
        if y - _ROW < 25 * mm:
            pdf.showPage()
            y = header()
        person = risks.get(pid, {})
        payload = f"custodia:manifest:{plan.get('id', '-')}:{sortie['id']}:{pid}"
        renderPDF.draw(_qr_drawing(payload, _QR), pdf, 15 * mm, y - _QR)
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(38 * mm, y - 6 * mm, f"{number:3d}. person {pid}")
        pdf.setFont("Helvetica", 9)
        name = (names or {}).get(pid, "")
        pdf.drawString(38 * mm, y - 11 * mm, name)
        pdf.drawString(
            38 * mm,
            y - 16 * mm,
            f"risk {person.get('risk', '?')} - assessment {person.get('assessment_ref') or '-'}"
            # Into holding: the trunk sortie that takes the person on.
            + (f" - onward {onward[str(pid)]}" if str(pid) in onward else ""),
        )
        pdf.rect(150 * mm, y - 16 * mm, 6 * mm, 6 * mm)
        pdf.drawString(158 * mm, y - 14 * mm, "boarded")
        y -= _ROW
    pdf.setFont("Helvetica", 9)
    pdf.drawString(15 * mm, 15 * mm, "Loadmaster: ____________   Receiving officer: ____________")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
