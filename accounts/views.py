"""How people enter a summit: joining by code or link, return links, staff sign-in, invites."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth import login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services
from accounts.access import get_participant_for, signed_in
from accounts.forms import (
    InviteForm,
    JoinCodeForm,
    JoinForm,
    SignInForm,
    StaffDetailsForm,
    sectors_offered,
    subthemes_offered,
)
from accounts.models import Invite, Participant, User
from summit.event.refusals import Refused
from summit.web.language import chosen_for, for_request
from summit.web.qr import qr_svg
from summit.web.ratelimit import join_attempts, link_attempts, sign_in_attempts

BACKEND = "accounts.backends.EmailBackend"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 60  # long enough to come back for a follow-up session


def _device_cookie(summit_id: int) -> str:
    return f"summit-{summit_id}"


def _remember_device(response: HttpResponse, participant: Participant) -> HttpResponse:
    """Remember on this browser who joined, so the join page leads back to them."""
    response.set_signed_cookie(
        _device_cookie(participant.summit_id),
        str(participant.pk),
        salt="summit.device",
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _remembered_participant(request: HttpRequest, summit_id: int) -> Participant | None:
    try:
        pk = request.get_signed_cookie(
            _device_cookie(summit_id), salt="summit.device", max_age=DEVICE_COOKIE_AGE
        )
    except (KeyError, signing.BadSignature):
        return None
    # Removed people are found too, so that signing out does not get round the removal.
    return (
        Participant.objects.select_related("user")
        .filter(pk=int(pk) if pk.isdigit() else 0, summit_id=summit_id)
        .first()
    )


def _enter(request: HttpRequest, participant: Participant) -> HttpResponse:
    if request.user != participant.user:
        login(request, participant.user, backend=BACKEND)
    # After the day there is nothing left to do in the summit: what it did is the way in.
    where = "what_we_did" if participant.summit.is_over else "summit_home"
    response = redirect(where, slug=participant.summit.slug)
    return _remember_device(response, participant)


def _too_many(request: HttpRequest, template: str, context: dict, limit) -> HttpResponse:
    return render(request, template, {**context, "extra_error": limit.message}, status=429)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Type a join code; a known code leads on to that summit's join form."""
    data = request.POST if request.method == "POST" else request.GET
    form = JoinCodeForm(data if "code" in data else None)
    if not form.is_bound:
        return render(request, "accounts/join_code.html", {"form": form})
    if join_attempts.blocked(request):
        return _too_many(request, "accounts/join_code.html", {"form": form}, join_attempts)
    if form.is_valid():
        summit = services.find_summit_by_code(form.cleaned_data["code"])
        if summit is not None:
            return redirect("join_summit", code=summit.join_code)
        join_attempts.fail(request)
        form.add_error(
            "code", gettext("There is no summit with that code. Check the code and try again")
        )
    return render(request, "accounts/join_code.html", {"form": form}, status=422)


@require_http_methods(["GET", "POST"])
def join_summit(request: HttpRequest, code: str) -> HttpResponse:
    """The join link (and QR code) of one summit: a few details, then straight in."""
    if join_attempts.blocked(request):
        return _too_many(
            request, "accounts/join_code.html", {"form": JoinCodeForm()}, join_attempts
        )
    summit = services.find_summit_by_code(code)
    if summit is None:
        join_attempts.fail(request)
        form = JoinCodeForm({"code": code[:20]})
        form.is_valid()
        form.add_error(
            "code", gettext("There is no summit with that code. Check the code and try again")
        )
        return render(request, "accounts/join_code.html", {"form": form}, status=404)
    known = None
    if request.user.is_authenticated:
        known = Participant.objects.filter(user=request.user, summit=summit).first()
    known = known or _remembered_participant(request, summit.pk)
    if known is not None and known.removed_at is None:
        return _enter(request, known)
    refusal = summit.joining_refusal(timezone.now())
    if known is not None:
        refusal = gettext(
            "You have been removed from this summit. Ask an organiser if this is a mistake."
        )
    if refusal:
        return render(
            request, "accounts/join_refused.html", {"summit": summit, "reason": refusal}, status=403
        )
    context = {"summit": summit}
    if request.method == "GET":
        form = JoinForm(
            sectors=sectors_offered(summit),
            allow_anonymous=summit.allow_anonymous,
            subthemes=subthemes_offered(summit),
            initial={"join_token": uuid.uuid4()},
        )
        return render(request, "accounts/join.html", {**context, "form": form})
    form = JoinForm(
        request.POST,
        sectors=sectors_offered(summit),
        allow_anonymous=summit.allow_anonymous,
        subthemes=subthemes_offered(summit),
    )
    if form.is_valid():
        try:
            participant, _ = services.join_summit(
                summit=summit,
                user=request.user if request.user.is_authenticated else None,
                join_token=form.cleaned_data["join_token"],
                display_name=form.cleaned_data["display_name"],
                organisation=form.cleaned_data["organisation"],
                sector=form.cleaned_data["sector"],
                anonymous=form.anonymous,
                preferred_subtheme_id=form.preferred_subtheme_id,
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            return _enter(request, participant)
    return render(request, "accounts/join.html", {**context, "form": form}, status=422)


@require_http_methods(["GET", "POST"])
def return_link(request: HttpRequest, key: str) -> HttpResponse:
    """A person's own link back in, for another device. Asks before signing in, so a link
    preview or a prefetching mail client cannot sign anyone in."""
    if link_attempts.blocked(request):
        return _too_many(request, "accounts/link_invalid.html", {}, link_attempts)
    participant = services.participant_for_return_key(key)
    if participant is None:
        link_attempts.fail(request)
        return render(request, "accounts/link_invalid.html", {}, status=404)
    if request.method == "POST":
        return _enter(request, participant)
    return render(request, "accounts/return_link.html", {"person": participant})


@require_POST
@signed_in
def new_return_link(request: HttpRequest, slug: str) -> HttpResponse:
    """Make the person a fresh return link (the old one stops working) and show it once."""
    participant = get_participant_for(request.user, slug)
    key = services.make_return_link_key(participant)
    url = request.build_absolute_uri(reverse("return_link", args=[key]))
    context = {"summit": participant.summit, "participant": participant, "url": url}
    context["qr"] = qr_svg(url)
    template = "accounts/return_link_made.html"
    return render(request, f"{template}#made" if request.htmx else template, context)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path on this site only: anything else (another host, a bare word) goes home.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Facilitators and organisers sign in with their email address and password."""
    context = {"next": _safe_next(request)}
    if request.method == "GET":
        return render(request, "registration/login.html", {**context, "form": SignInForm()})
    form = SignInForm(request.POST, request=request)
    if sign_in_attempts.blocked(request):
        return _too_many(
            request, "registration/login.html", {**context, "form": form}, sign_in_attempts
        )
    if form.is_valid():
        login(request, form.user, backend=BACKEND)
        return HttpResponseRedirect(context["next"])
    sign_in_attempts.fail(request)
    return render(request, "registration/login.html", {**context, "form": form}, status=422)


def _invalid_invite(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/link_invalid.html", {"invite": True}, status=404)


def _signed_in_to(request: HttpRequest, user: User, participant: Participant) -> HttpResponse:
    if request.user != user:
        login(request, user, backend=BACKEND)
    return redirect("summit_home", slug=participant.summit.slug)


def _accepted(request: HttpRequest, record: Invite, user: User) -> HttpResponse:
    try:
        participant = services.accept_invite(record, user, language=chosen_for(request))
    except Refused:
        return _invalid_invite(request)
    return _signed_in_to(request, user, participant)


@require_http_methods(["GET", "POST"])
def accept_invite(request: HttpRequest, token: str) -> HttpResponse:
    """An invite link: the same refusal for a forged, used, withdrawn or expired link."""
    if link_attempts.blocked(request):
        return _too_many(request, "accounts/link_invalid.html", {"invite": True}, link_attempts)
    record = services.open_invite(token)
    if record is None:
        link_attempts.fail(request)
        return _invalid_invite(request)
    user = request.user
    signed_in_staff = user.is_authenticated and user.has_usable_password()
    context = {"invite": record, "summit": record.summit, "path": request.path}
    if signed_in_staff:
        if request.method == "POST":
            return _accepted(request, record, user)
        return render(request, "accounts/invite.html", {**context, "mode": "confirm"})
    if User.objects.filter(email__iexact=record.email).exists():
        # The invite was sent to this address, so only its owner learns that it has an account.
        return render(request, "accounts/invite.html", {**context, "mode": "sign_in"})
    form = StaffDetailsForm(
        request.POST or None, sectors=sectors_offered(record.summit), email=record.email
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_user, participant = services.register_and_accept_invite(
                record,
                password=data["password"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation=data["organisation"],
                sector=data["sector"],
                language=chosen_for(request),
            )
        except Refused:
            return _invalid_invite(request)
        return _signed_in_to(request, new_user, participant)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "accounts/invite.html",
        {**context, "mode": "register", "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def invites(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers invite facilitators and co-organisers, and see what became of each invite."""
    organiser = get_participant_for(request.user, slug, organise=True)
    summit = organiser.summit
    page_language = for_request(request)
    form = InviteForm(request.POST if request.method == "POST" else None, language=page_language)
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            record, token = services.invite(
                summit=summit,
                by=organiser,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                accept_url_for=lambda t: request.build_absolute_uri(
                    reverse("accept_invite", args=[t])
                ),
                join_url=request.build_absolute_uri(
                    reverse("join_summit", args=[summit.join_code])
                ),
            )
            made = {
                "invite": record,
                "url": request.build_absolute_uri(reverse("accept_invite", args=[token])),
            }
            form = InviteForm(language=page_language)
        else:
            status = 422
    sent = summit.invites.select_related("used_by", "created_by")
    now = timezone.now()
    rows = [(record, record.state(now)) for record in sent]
    return render(
        request,
        "accounts/invites.html",
        {"summit": summit, "participant": organiser, "form": form, "made": made, "rows": rows},
        status=status,
    )


@require_POST
@signed_in
def withdraw_invite(request: HttpRequest, slug: str, invite_id: int) -> HttpResponse:
    organiser = get_participant_for(request.user, slug, organise=True)
    record = get_object_or_404(Invite, pk=invite_id, summit=organiser.summit)
    services.withdraw_invite(record, by=organiser)
    return redirect("invites", slug=slug)


@require_http_methods(["GET", "POST"])
def demo_login(request: HttpRequest) -> HttpResponse:
    """Enter as a demonstration account, without a password. Off unless DEMO_LOGIN is on."""
    if not settings.DEMO_LOGIN:
        raise Http404("The demo login is turned off.")
    people = (
        Participant.objects.active()
        .filter(user__is_demo=True)
        .select_related("user", "summit")
        .prefetch_related("summit__sectors")
        .order_by("summit__title", "role", "display_name")
    )
    error = None
    if request.method == "POST":
        username = request.POST.get("username", "")
        # Only a name a demo account could have: never a NUL, which PostgreSQL refuses.
        valid = username.isprintable() and len(username) <= 150
        user = User.objects.filter(is_demo=True, username=username).first() if valid else None
        if user is not None:
            login(request, user, backend=BACKEND)
            participant = user.participations.select_related("summit").first()
            if participant is None:
                return redirect("home")
            return redirect("summit_home", slug=participant.summit.slug)
        error = gettext("Choose one of the demo accounts listed")
    return render(
        request,
        "accounts/demo_login.html",
        {"people": people, "error": error},
        status=422 if error else 200,
    )
