"""Organisers' changes as services: people's roles and removal, joining, new summits, breakout
groups and invitations. Each writes its rows and its audit entry in one transaction (with the
wording and details the log has always given), and pushes or sends after commit where it
does; refused, it writes neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from accounts import services as account_services
from accounts.models import AuditEntry, Invite, Participant, User
from breakouts.models import Breakout
from summit.event.models import Summit
from summit.event.refusals import Refused
from summit.organise import people, setup
from tests.conftest import make_participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_screens(monkeypatch) -> list[int]:
    """The participant ids whose screens were closed after commit."""
    calls: list[int] = []
    monkeypatch.setattr(people, "close_screens", calls.append)
    return calls


@pytest.fixture
def boards_changed(monkeypatch) -> list[int]:
    """The breakouts whose screens were told to refresh after commit."""
    calls: list[int] = []
    monkeypatch.setattr("breakouts.live.board_changed", lambda b, said: calls.append(b.pk))
    return calls


def _entries() -> list[tuple]:
    return list(
        AuditEntry.objects.order_by("id").values_list(
            "actor_id", "actor_name", "action", "place", "detail"
        )
    )


def _logged(by: Participant, action: str, **detail) -> tuple:
    return (by.pk, by.attribution, action, "", detail)


def _invite(summit: Summit, by: Participant, email: str = "new.person@example.org") -> Invite:
    record, _ = account_services.invite(
        summit=summit,
        by=by,
        email=email,
        role=Participant.Role.FACILITATOR,
        accept_url_for=lambda token: f"http://testserver/invite/{token}/",
    )
    return record


# People


def test_update_participant_by_an_organiser_writes_logs_and_closes_their_screens(
    summit, breakouts, organiser, closed_screens, django_capture_on_commit_callbacks
):
    person = make_participant(summit, name="Sam Someone")

    with django_capture_on_commit_callbacks(execute=True):
        people.update_participant(
            person, role=Participant.Role.FACILITATOR, breakout=breakouts[1], by=organiser
        )

    person.refresh_from_db()
    assert person.role == Participant.Role.FACILITATOR
    assert list(person.facilitated_breakouts.all()) == [breakouts[1]]
    assert _entries() == [
        _logged(
            organiser,
            "Changed a person’s role or breakout",
            person="Sam Someone, Testshire Council",
            role="facilitator",
            breakout=breakouts[1].pk,
            moderates_questions=False,
        )
    ]
    assert closed_screens == [person.pk]


def test_update_participant_refused_logs_nothing(
    organiser, closed_screens, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="only organiser"),
    ):
        people.update_participant(
            organiser, role=Participant.Role.ATTENDEE, breakout=None, by=organiser
        )

    assert Participant.objects.get(pk=organiser.pk).role == Participant.Role.ORGANISER
    assert _entries() == []
    assert closed_screens == []


def test_remove_participant_by_an_organiser_removes_logs_and_closes_their_screens(
    summit, organiser, closed_screens, django_capture_on_commit_callbacks
):
    person = make_participant(summit, name="Sam Someone")

    with django_capture_on_commit_callbacks(execute=True):
        people.remove_participant(person, by=organiser)

    assert Participant.objects.get(pk=person.pk).removed_at is not None
    assert _entries() == [
        _logged(organiser, "Removed a person", person="Sam Someone, Testshire Council")
    ]
    assert closed_screens == [person.pk]


def test_remove_participant_without_a_person_acting_logs_nothing(
    summit, closed_screens, django_capture_on_commit_callbacks
):
    person = make_participant(summit)

    with django_capture_on_commit_callbacks(execute=True):
        people.remove_participant(person)

    assert Participant.objects.get(pk=person.pk).removed_at is not None
    assert _entries() == []
    assert closed_screens == [person.pk]


# Joining


def test_change_joining_writes_every_setting_and_logs_them(summit, organiser):
    closes = dt.datetime(2026, 12, 3, 17, 0, tzinfo=dt.UTC)
    erase_after = dt.date(2027, 6, 30)

    setup.change_joining(
        summit,
        joining_closes_at=closes,
        privacy_contact="dpo@example.org",
        retain_personal_data_until=erase_after,
        by=organiser,
    )

    stored = Summit.objects.get(pk=summit.pk)
    assert stored.joining_closes_at == closes
    assert (stored.privacy_contact, stored.retain_personal_data_until) == (
        "dpo@example.org",
        erase_after,
    )
    assert _entries() == [
        _logged(
            organiser,
            "Changed how people join",
            joining_opens_at=None,
            joining_closes_at=str(closes),
            privacy_contact="dpo@example.org",
            retain_personal_data_until="2027-06-30",
        )
    ]


def test_replace_join_code_writes_a_new_code_and_logs_it(summit, organiser):
    old = summit.join_code

    code = setup.replace_join_code(summit, by=organiser)

    assert Summit.objects.get(pk=summit.pk).join_code == code != old
    assert _entries() == [_logged(organiser, "Made a new join code")]


# New summits


def test_set_up_summit_copies_the_structure_with_breakouts_and_its_first_organiser(summit):
    user = User.objects.create_user(
        username="planner", email="planner@example.org", first_name="Pat", last_name="Planner"
    )

    made = setup.set_up_summit(
        user, title="Second Summit", central_question="", date=None, copy_from=summit
    )

    assert made.status == Summit.Status.DRAFT
    assert made.central_question == summit.central_question
    assert sorted(Breakout.objects.filter(summit=made).values_list("name", flat=True)) == sorted(
        summit.subthemes.values_list("title", flat=True)
    )
    assert list(made.participants.values_list("user", "role", "display_name")) == [
        (user.pk, Participant.Role.ORGANISER, "Pat Planner")
    ]
    assert _entries() == []


# Breakout groups


def test_add_breakout_by_an_organiser_writes_and_logs_its_name(breakouts, organiser):
    subtheme = breakouts[0].subtheme

    made = setup.add_breakout(subtheme, "Narratives (second room)", by=organiser)

    assert Breakout.objects.get(pk=made.pk).subtheme == subtheme
    assert _entries() == [_logged(organiser, "Added a breakout", name="Narratives (second room)")]


def test_add_breakout_refused_writes_and_logs_nothing(breakouts, organiser):
    with pytest.raises(Refused, match="There is already a breakout called"):
        setup.add_breakout(breakouts[0].subtheme, breakouts[0].name, by=organiser)

    assert Breakout.objects.count() == len(breakouts)
    assert _entries() == []


def test_mix_breakouts_by_an_organiser_shares_out_logs_and_refreshes_every_breakout(
    summit, breakouts, organiser, boards_changed, django_capture_on_commit_callbacks
):
    sectors = ["health", "faith", "business"]
    for sector in sectors:
        for _ in breakouts:
            breakouts[0].members.add(make_participant(summit, sector=sector))

    with django_capture_on_commit_callbacks(execute=True):
        setup.mix_breakouts(summit, by=organiser)

    for breakout in breakouts:
        assert sorted(m.sector for m in breakout.members.all()) == sorted(sectors)
    assert _entries() == [
        _logged(
            organiser,
            "Shared everyone out across the breakouts again",
            preferences_honoured=0,
            preferences=0,
        )
    ]
    assert sorted(boards_changed) == sorted(b.pk for b in breakouts)


def test_mix_breakouts_refused_logs_nothing(
    summit, breakouts, organiser, boards_changed, django_capture_on_commit_callbacks
):
    Breakout.objects.filter(summit=summit).update(phase=Breakout.Phase.CLOSED)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused, match="no open breakout"),
    ):
        setup.mix_breakouts(summit, by=organiser)

    assert _entries() == []
    assert boards_changed == []


@pytest.mark.parametrize("choose", [True, False])
def test_let_attendees_choose_writes_the_choice_and_logs_it(summit, organiser, choose):
    summit.attendees_choose_breakout = not choose
    summit.save(update_fields=["attendees_choose_breakout"])

    setup.let_attendees_choose(summit, choose, by=organiser)

    assert Summit.objects.get(pk=summit.pk).attendees_choose_breakout is choose
    assert _entries() == [
        _logged(
            organiser, "Changed whether attendees choose their breakout", attendees_choose=choose
        )
    ]


# Invitations


def test_invite_writes_logs_and_sends_the_email_after_commit(
    summit, organiser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record = _invite(summit, organiser)
    sent_before_commit = len(mail.outbox)
    for callback in callbacks:
        callback()

    assert Invite.objects.get(pk=record.pk).email == "new.person@example.org"
    assert _entries() == [
        _logged(organiser, "Invited someone", email="new.person@example.org", role="facilitator")
    ]
    assert sent_before_commit == 0
    assert [m.to for m in mail.outbox] == [["new.person@example.org"]]


def test_withdraw_invite_by_an_organiser_stops_the_link_and_logs_its_email(summit, organiser):
    record = _invite(summit, organiser)
    AuditEntry.objects.all().delete()

    account_services.withdraw_invite(record, by=organiser)

    assert Invite.objects.get(pk=record.pk).revoked_at is not None
    assert _entries() == [
        _logged(organiser, "Withdrew an invitation", email="new.person@example.org")
    ]


def test_register_and_accept_invite_makes_the_user_and_their_part(summit, organiser):
    record = _invite(summit, organiser)

    user, participant = account_services.register_and_accept_invite(
        record,
        password="a-long-and-unusual-passphrase",
        first_name="Priya",
        last_name="Shah",
        organisation="Testshire Council",
        sector="local_government",
    )

    assert user.email == "new.person@example.org"
    assert user.check_password("a-long-and-unusual-passphrase")
    assert (participant.user, participant.role, participant.display_name) == (
        user,
        Participant.Role.FACILITATOR,
        "Priya Shah",
    )
    assert Invite.objects.get(pk=record.pk).used_by == participant


def test_register_and_accept_invite_withdrawn_meanwhile_leaves_no_user(summit, organiser):
    record = _invite(summit, organiser)
    account_services.withdraw_invite(record)

    with pytest.raises(Refused, match="not valid"):
        account_services.register_and_accept_invite(
            record,
            password="a-long-and-unusual-passphrase",
            first_name="Priya",
            last_name="Shah",
            organisation="",
            sector="other",
        )

    assert not User.objects.filter(email="new.person@example.org").exists()
