"""Routes of the biometrics room."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from custodia.api.deps import current_actor
from custodia.api.problems import problem_responses

router = APIRouter(
    tags=["biometrics"],
    dependencies=[Depends(current_actor)],
    responses=problem_responses(401, 403, 422),
)
