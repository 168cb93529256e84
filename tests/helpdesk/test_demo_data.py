import pytest
from django.core.management import call_command

from helpdesk.models import Channel, Status, Ticket, User

pytestmark = pytest.mark.django_db


def test_demo_data_gives_every_role_a_login_and_a_realistic_spread(capsys):
    call_command("load_demo_data", tickets=120)
    out = capsys.readouterr().out
    for username in ("ines", "lars", "vera", "cora", "adam"):
        assert username in out
        assert User.objects.get(username=username).check_password("infolijn-demo")
    assert Ticket.objects.count() == 120
    assert set(Ticket.objects.values_list("channel", flat=True)) >= {Channel.PHONE, Channel.EMAIL}
    assert Ticket.objects.filter(status=Status.CLOSED).exists()
    assert Ticket.objects.exclude(status=Status.CLOSED).exists()
    assert Ticket.objects.values("language").distinct().count() >= 5
    months = {t.created_at.strftime("%Y-%m") for t in Ticket.objects.all()}
    assert len(months) >= 6


def test_running_it_twice_adds_nothing(capsys):
    call_command("load_demo_data", tickets=10)
    call_command("load_demo_data", tickets=10)
    assert Ticket.objects.count() == 10
    assert "already loaded" in capsys.readouterr().out
