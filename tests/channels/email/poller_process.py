"""Run the mailbox poller in a process of its own, for the test that kills it.

    python poller_process.py setup HOST PORT USER   -> prints the new mailbox's id
    python poller_process.py poll ID [--die-before-move]
    python poller_process.py count                  -> prints {"tickets": n, "stored": n}

With --die-before-move the process kills itself (SIGKILL: no cleanup, no logout) at the moment
the messages are stored and committed and the move to the processed folder would start.
"""

import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from helpdesk.channels.email import poller  # noqa: E402
from helpdesk.channels.email.models import InboundEmail, Mailbox, Security  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402


def main(command, *args):
    if command == "setup":
        host, port, user = args
        mailbox = Mailbox.objects.create(
            queue=Queue.objects.get(slug="infolijn"),
            address="infolijn@infolijn.test",
            host=host,
            port=int(port),
            security=Security.NONE,
            username=user,
            password_variable="TEST_IMAP_PASSWORD",
        )
        sys.stdout.write(f"{mailbox.pk}\n")
    elif command == "poll":
        if "--die-before-move" in args:

            def die(*_args, **_kwargs):
                os.kill(os.getpid(), signal.SIGKILL)

            poller.move_processed = die
        result = poller.poll_mailbox(int(args[0]))
        sys.stdout.write(json.dumps(result.__dict__) + "\n")
    elif command == "count":
        counts = {"tickets": Ticket.objects.count(), "stored": InboundEmail.objects.count()}
        sys.stdout.write(json.dumps(counts) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
