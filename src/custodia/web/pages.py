"""The identity analyst's pages: the review queue, and one pair with both records and the
evidence of every source side by side, where the analyst decides same, different or unsure
(or undoes a merge). Signing in takes the same API token as the API; it is kept in an
HttpOnly, SameSite=Lax cookie: a link from elsewhere opens a page, but another site's form
cannot post with it.

Each page parses, calls one service function and renders: the rules and the audit trail
are the identity room's, as for the API and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from custodia.api.deps import Context
from custodia.db import read_session, unit_of_work
from custodia.errors import CustodiaError, Invalid, Unauthorized, first_fault
from custodia.identity import service as identity
from custodia.identity.scoring import REVIEW_THRESHOLD
from custodia.identity.side import SIDE_THRESHOLD
from custodia.registry import service as registry
from custodia.registry.policy import (
    ADJUDICATE_IDENTITY,
    MANAGE_WATCHLISTS,
    RECORD_NAMES,
    Policy,
)
from custodia.registry.schemas import Actor, NameAddIn, NameWithdrawalIn

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

router = APIRouter(prefix="/web", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(
    review_threshold=REVIEW_THRESHOLD,
    side_threshold=SIDE_THRESHOLD,
    proposed_from=identity.proposed_from,
)
STATIC = Path(__file__).parent / "static"
COOKIE = "custodia_token"
QUEUE = "/web/identity/queue"
STATUSES = ("open", "unsure", "same", "different", "doubted")
KINDS = (("", "all"), ("duplicate", "same person?"), ("watchlist", "watchlist hits"))
PAGE_SIZE = 50
MAX_PAGE = 1_000_000


def _actor(context: Context, request: Request) -> Actor | None:
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    with read_session(context.engine) as session:
        try:
            return registry.authenticate(session, token=token)
        except Unauthorized:
            return None


def _sign_in_first(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/web/login?next={request.url.path}", status_code=303)


def _page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def _validated(model: type[M], data: dict[str, Any]) -> M:
    """A form's fields as ``model``, or Invalid naming the first fault."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise Invalid(first_fault(error)) from None


def _read(context: Context, service: Callable[..., T], **kwargs: Any) -> T:
    with read_session(context.engine) as session:
        return service(session, **kwargs)


@router.get("/login")
def login_page(request: Request, next: str = QUEUE) -> HTMLResponse:
    return _page(request, "login.html", next=next if next.startswith("/web/") else QUEUE)


@router.post("/login")
def login(
    request: Request,
    context: Context,
    token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = QUEUE,
) -> Response:
    target = next if next.startswith("/web/") else QUEUE
    try:
        _read(context, registry.authenticate, token=token.strip())
    except Unauthorized:
        message = "That token is unknown or revoked: ask an administrator for one."
        return _page(request, "login.html", 401, next=target, error=message)
    response = RedirectResponse(target, status_code=303)
    # Secure whenever the page was served over TLS, so the token never leaves it in clear.
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="lax",
        path="/web",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(COOKIE, path="/web")
    return response


@router.get("/identity/queue")
def queue_page(
    request: Request,
    context: Context,
    status: str = "open",
    kind: str = "",
    page: str = "1",
    list_name: str = "",
) -> Response:
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    if (
        status not in STATUSES
        or kind not in dict(KINDS)
        or not page.isdigit()
        or not 1 <= int(page) <= MAX_PAGE
    ):
        wrong = Invalid(
            f"the queue is read by status ({', '.join(STATUSES)}), kind (duplicate or "
            f"watchlist) and a page from 1 to {MAX_PAGE:,}; not status={status!r}, "
            f"kind={kind!r}, page={page!r}"
        )
        return _page(request, "error.html", wrong.status, actor=actor, error=wrong)
    number = int(page)
    found = _read(
        context,
        identity.list_queue,
        status="same" if status == "doubted" else status,
        doubted=status == "doubted",
        kind=kind or None,
        list_name=list_name or None,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    return _page(
        request,
        "queue.html",
        actor=actor,
        items=found.items,
        total=found.total,
        status=status,
        statuses=STATUSES,
        kind=kind,
        kinds=KINDS,
        list_name=list_name,
        # the hits of one partner's list, when the page shows watchlist hits
        lists=[w.list_name for w in _read(context, identity.list_watchlists)]
        if kind == "watchlist"
        else [],
        page=number,
        pages=max(1, -(-found.total // PAGE_SIZE)),
        may_manage=actor.role in MANAGE_WATCHLISTS.roles,
    )


def _one_thing(
    request: Request,
    context: Context,
    template: str,
    key: str,
    service: Callable[..., T],
    **kw: Any,
) -> Response:
    """A page of one thing a service finds (an item, an identity), or why it found none."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    try:
        found = _read(context, service, **kw)
    except CustodiaError as error:
        return _page(request, "error.html", error.status, actor=actor, error=error)
    shown: dict[str, Any] = {key: found, **_may(actor)}
    return _page(request, template, actor=actor, **shown)


@router.get("/identity/queue/progress.svg")
def progress_picture(request: Request, context: Context) -> Response:
    """The review queue's progress as a picture, for the queue page."""
    if _actor(context, request) is None:
        return Response(status_code=401)
    svg = _read(context, identity.review_progress_chart, image_format="svg")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "no-store"})


@router.post("/identity/dedupe")
def run_dedupe(request: Request, context: Context) -> Response:
    """The batch de-duplication from the queue page; then the queue's likely duplicates."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    try:
        MANAGE_WATCHLISTS.check(username=actor.username, role=actor.role)
        with unit_of_work(context.engine) as session:
            identity.dedupe(session, actor_id=actor.user_id)
    except CustodiaError as error:
        return _page(request, "error.html", error.status, actor=actor, error=error)
    return RedirectResponse(f"{QUEUE}?kind=duplicate", status_code=303)


@router.get("/identity/queue/{item_id}")
def item_page(request: Request, context: Context, item_id: int) -> Response:
    return _one_thing(
        request, context, "item.html", "item", identity.get_review_item, item_id=item_id
    )


@router.get("/identity/search")
def search_page(
    request: Request,
    context: Context,
    name: str = "",
    dob: str = "",
    nationality: str = "",
    mother: str = "",
    place_of_birth: str = "",
) -> Response:
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    asked = {
        "name": name,
        "dob": dob,
        "nationality": nationality,
        "mother": mother,
        "place_of_birth": place_of_birth,
    }
    if not name.strip():
        return _page(request, "search.html", actor=actor, asked=asked, result=None)
    try:
        result = _read(
            context,
            identity.search_persons,
            name=name,
            date_of_birth=dob.strip() or None,
            nationality=nationality.strip().upper() or None,
            mother_name=mother.strip() or None,
            place_of_birth=place_of_birth.strip() or None,
        )
    except CustodiaError as error:
        return _page(
            request, "search.html", error.status, actor=actor, asked=asked, result=None, error=error
        )
    return _page(request, "search.html", actor=actor, asked=asked, result=result)


@router.post("/identity/check")
def check_file(
    request: Request,
    context: Context,
    file: Annotated[UploadFile, File()],
    answer: Annotated[str, Form()] = "page",
) -> Response:
    """A partner's file of people checked against the registry and the watchlists, no one
    registered; a refused file shows the search page with the reason, line by line."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    try:
        checked = _read(
            context,
            identity.check_people,
            data=file.file.read(),
            max_rows=identity.CHECK_ROWS_ONLINE,
        )
    except CustodiaError as error:
        return _page(
            request, "search.html", error.status, actor=actor, asked={}, result=None, error=error
        )
    if answer == "csv":
        stem = Path(file.filename or "people").stem
        return Response(
            checked.as_csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}-checked.csv"'},
        )
    return _page(request, "check.html", actor=actor, checked=checked, file_name=file.filename)


@router.get("/identity/persons/{person_id}")
def identity_page(request: Request, context: Context, person_id: int) -> Response:
    return _one_thing(
        request, context, "identity.html", "identity", identity.identity_of, person_id=person_id
    )


@router.post("/identity/persons/{person_id}/names")
def add_name(
    request: Request,
    context: Context,
    person_id: int,
    full_name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "alias",
    source: Annotated[str, Form()] = "",
) -> Response:
    """A name learnt since registration, from the identity page's form; a refused name
    changes nothing and the page says why, with what was typed."""
    asked = {"full_name": full_name, "kind": kind, "source": source}

    def write(session: Session, actor: Actor) -> object:
        name_in = _validated(NameAddIn, asked)
        return registry.add_person_name(
            session, person_id=person_id, name_in=name_in, actor_id=actor.user_id
        )

    return _on_identity(request, context, person_id, write, asked)


@router.post("/identity/persons/{person_id}/names/{name_id}/withdraw")
def withdraw_name(
    request: Request,
    context: Context,
    person_id: int,
    name_id: int,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """A name recorded later found wrong, withdrawn from the identity page."""

    def write(session: Session, actor: Actor) -> object:
        withdrawal = _validated(NameWithdrawalIn, {"reason": reason})
        return registry.withdraw_person_name(
            session,
            person_id=person_id,
            name_id=name_id,
            withdrawal=withdrawal,
            actor_id=actor.user_id,
        )

    return _on_identity(request, context, person_id, write, {})


def _on_identity(
    request: Request,
    context: Context,
    person_id: int,
    write: Callable[[Session, Actor], object],
    asked: dict[str, str],
) -> Response:
    """A write on a record's names; back to its identity page, or that page with why not."""

    def shown(session: Session) -> dict[str, Any]:
        return {"identity": identity.identity_of(session, person_id=person_id), "asked": asked}

    back = f"/web/identity/persons/{person_id}"
    return _write_or_explain(request, context, write, RECORD_NAMES, back, "identity.html", shown)


def _decide_or_explain(
    request: Request,
    context: Context,
    item_id: int,
    write: Callable[[Session, Actor], object],
) -> Response:
    """A decision on a review item; back to the item, or the item with why not."""

    def shown(session: Session) -> dict[str, Any]:
        return {"item": identity.get_review_item(session, item_id=item_id)}

    back = f"{QUEUE}/{item_id}"
    return _write_or_explain(request, context, write, ADJUDICATE_IDENTITY, back, "item.html", shown)


def _write_or_explain(
    request: Request,
    context: Context,
    write: Callable[[Session, Actor], object],
    policy: Policy,
    back: str,
    template: str,
    shown: Callable[[Session], dict[str, Any]],
) -> Response:
    """Run one write that ``policy`` allows in its own transaction and go ``back``; a
    refused write changes nothing and ``template`` is shown again with the reason."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    try:
        policy.check(username=actor.username, role=actor.role)
        with unit_of_work(context.engine) as session:
            write(session, actor)
    except CustodiaError as error:
        try:
            found = _read(context, shown)
        except CustodiaError:
            return _page(request, "error.html", error.status, actor=actor, error=error)
        return _page(
            request, template, error.status, actor=actor, error=error, **_may(actor), **found
        )
    return RedirectResponse(back, status_code=303)


def _may(actor: Actor) -> dict[str, bool]:
    """What the actor's role may do on the identity pages (which forms they show)."""
    return {
        "may_decide": actor.role in ADJUDICATE_IDENTITY.roles,
        "may_record": actor.role in RECORD_NAMES.roles,
    }


@router.post("/identity/queue/{item_id}/decision")
def decide(
    request: Request,
    context: Context,
    item_id: int,
    decision: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    def write(session: Session, actor: Actor) -> object:
        return identity.decide(
            session, item_id=item_id, decision=decision, note=note, actor_id=actor.user_id
        )

    return _decide_or_explain(request, context, item_id, write)


@router.post("/identity/queue/{item_id}/split")
def split(
    request: Request,
    context: Context,
    item_id: int,
    note: Annotated[str, Form()] = "",
) -> Response:
    def write(session: Session, actor: Actor) -> object:
        return identity.split(session, item_id=item_id, note=note, actor_id=actor.user_id)

    return _decide_or_explain(request, context, item_id, write)


def _watchlists_page(
    request: Request,
    context: Context,
    actor: Actor,
    status_code: int = 200,
    **shown: Any,
) -> HTMLResponse:
    return _page(
        request,
        "watchlists.html",
        status_code,
        actor=actor,
        lists=_read(context, identity.list_watchlists),
        held=_read(context, identity.held_listed),
        may_manage=actor.role in MANAGE_WATCHLISTS.roles,
        **shown,
    )


@router.get("/watchlists")
def watchlists_page(
    request: Request,
    context: Context,
    name: str = "",
    dob: str = "",
    nationality: str = "",
    list_name: str = "",
) -> Response:
    """The loaded lists, and a look-up of a name on them (scored as screening scores)."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    looked_up = {"name": name, "dob": dob, "nationality": nationality, "list_name": list_name}
    if not name.strip():
        return _watchlists_page(request, context, actor, looked_up=looked_up)
    try:
        found = _read(
            context,
            identity.search_watchlists,
            name=name,
            date_of_birth=dob.strip() or None,
            nationality=nationality.strip().upper() or None,
            list_name=list_name,
        )
    except CustodiaError as error:
        return _watchlists_page(
            request, context, actor, error.status, looked_up=looked_up, error=error
        )
    return _watchlists_page(request, context, actor, looked_up=looked_up, found=found)


@router.get("/watchlists/held.csv")
def held_csv(request: Request, context: Context) -> Response:
    """The listed individuals we hold, a row per confirmed listing, as a CSV file."""
    if _actor(context, request) is None:
        return _sign_in_first(request)
    held = _read(context, identity.held_listed)
    return Response(
        held.as_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="listed-individuals-held.csv"'},
    )


@router.get("/watchlists/{list_name}/{reference}")
def entry_page(request: Request, context: Context, list_name: str, reference: str) -> Response:
    return _one_thing(
        request,
        context,
        "entry.html",
        "entry",
        identity.watchlist_entry,
        list_name=list_name,
        reference=reference,
    )


@router.post("/watchlists")
def import_watchlist(
    request: Request,
    context: Context,
    file: Annotated[UploadFile, File()],
    list_name: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "csv",
) -> Response:
    """An agency's CSV list (named on the form) or the UN SC consolidated list's XML, from
    the form; a refused file changes nothing and the page says why, line by line."""

    def work(session: Session, actor: Actor) -> object:
        data = file.file.read()
        if source == "un-sc":
            return identity.import_un_sc_xml(session, data=data, actor_id=actor.user_id)
        return identity.import_csv_list(
            session, data=data, list_name=list_name.strip(), actor_id=actor.user_id
        )

    return _on_watchlists(request, context, work, "imported", 201, asked=list_name)


@router.post("/watchlists/screen")
def screen_everyone(
    request: Request, context: Context, every: Annotated[str, Form()] = ""
) -> Response:
    def work(session: Session, actor: Actor) -> object:
        return identity.screen_all_persons(session, actor_id=actor.user_id, every=bool(every))

    return _on_watchlists(request, context, work, "screened")


def _on_watchlists(
    request: Request,
    context: Context,
    work: Callable[[Session, Actor], object],
    shown_as: str,
    status_code: int = 200,
    asked: str = "",
) -> Response:
    """Run one watchlist job (an import, a screening) in its own transaction and show the
    page with its result; a refused job changes nothing and the page says why."""
    actor = _actor(context, request)
    if actor is None:
        return _sign_in_first(request)
    try:
        MANAGE_WATCHLISTS.check(username=actor.username, role=actor.role)
        with unit_of_work(context.engine) as session:
            result = work(session, actor)
    except CustodiaError as error:
        return _watchlists_page(request, context, actor, error.status, error=error, asked=asked)
    return _watchlists_page(request, context, actor, status_code, **{shown_as: result})
