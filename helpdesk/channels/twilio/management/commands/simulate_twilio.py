"""Play Twilio against a running Infolijn: signed webhooks, as Twilio would send them.

    manage.py simulate_twilio call --from +32470123456 --press 4 --then hangup
    manage.py simulate_twilio call --from +32470123456 --press 4 --then answer --as ines
    manage.py simulate_twilio voicemail --from +32470123456 --press 5 --seconds 40
    manage.py simulate_twilio sms --from +32470123456 --body "Where do I register?"
    manage.py simulate_twilio sms --whatsapp --from +32470123456 --body "Salam" --media image/jpeg
    manage.py simulate_twilio status --message SM... --status delivered

It reads the TwiML each answer returns and does what Twilio would: press the menu key, wait in
the queue, leave a message, be answered by a staff member. It signs every request with this
project's TWILIO_AUTH_TOKEN over TWILIO_PUBLIC_BASE_URL, so the server must run with the same
settings. With TWILIO_FAKE_API=true on the server, its REST calls (ringing staff, sending
replies, downloading recordings) are answered locally, so the whole path works offline.
"""

import secrets
import time
import xml.etree.ElementTree as ET
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlparse
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from twilio.request_validator import RequestValidator

from helpdesk.channels.twilio.models import CallLeg, PhoneNumber
from helpdesk.models import User


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


class HttpTransport:
    """POSTs to the running server."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def post(self, path: str, data: dict, signature: str) -> tuple[int, str]:
        request = Request(  # noqa: S310 - the developer's own server, from --url
            self.base_url + path,
            data=urlencode(data, doseq=True).encode(),
            headers={
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status, response.read().decode()
        except HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except URLError as error:
            raise CommandError(
                f"Cannot reach {self.base_url}: {error.reason}. Is the server running?"
            ) from error


class Command(BaseCommand):
    help = "Send the requests Twilio would send (signed), to try calls, voicemail and SMS locally."
    # Tests pass a transport that posts through Django's test client.
    stealth_options = ("transport",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000", help="where the server listens"
        )
        parser.add_argument(
            "--public-url",
            default="",
            help="the address to sign (default: TWILIO_PUBLIC_BASE_URL, as the server checks)",
        )
        sub = parser.add_subparsers(dest="what", required=True)

        def common(p, *, to_help):
            p.add_argument(
                "--from", dest="from_", default="+32470123456", help="the caller or sender"
            )
            p.add_argument("--to", default="", help=to_help)

        call = sub.add_parser("call", help="an incoming call")
        common(call, to_help="our number (default: the first active number)")
        call.add_argument("--press", default="", help="the menu key (default: none)")
        call.add_argument(
            "--then",
            choices=["hangup", "key", "timeout", "answer"],
            default="hangup",
            help="in the queue: hang up, press a key for voicemail, wait too long, be answered",
        )
        call.add_argument("--wait", type=int, default=30, help="seconds in the queue")
        call.add_argument(
            "--as", dest="agent", default="", help="username of who answers (--then answer)"
        )
        call.add_argument("--talk", type=int, default=120, help="seconds of conversation")
        call.add_argument(
            "--consent", default="1", help="the key at the voicemail prompt (1, 2 or none)"
        )
        call.add_argument("--seconds", type=int, default=30, help="length of a voicemail")
        call.add_argument(
            "--transcript", default="", help="Twilio's transcription of the voicemail"
        )

        voicemail = sub.add_parser("voicemail", help="a call that leaves a voicemail")
        common(voicemail, to_help="our number (default: the first active number)")
        voicemail.add_argument("--press", default="", help="the menu key")
        voicemail.add_argument("--seconds", type=int, default=30)
        voicemail.add_argument("--transcript", default="")

        sms = sub.add_parser("sms", help="an incoming SMS or WhatsApp message")
        common(sms, to_help="our number (default: the first active number)")
        sms.add_argument("--body", default="Hello, I have a question.")
        sms.add_argument("--whatsapp", action="store_true")
        sms.add_argument(
            "--media", action="append", default=[], help="a content type, e.g. image/jpeg"
        )
        sms.add_argument("--sid", default="", help="MessageSid (repeat one to try a Twilio retry)")

        status = sub.add_parser("status", help="delivery news about a message we sent")
        status.add_argument("--message", required=True, help="the MessageSid")
        status.add_argument(
            "--status",
            default="delivered",
            choices=["queued", "sent", "delivered", "read", "undelivered", "failed"],
        )
        status.add_argument("--error", default="", help="Twilio's ErrorCode, e.g. 30003")

    # --- plumbing ------------------------------------------------------------------------

    def handle(self, *args, **options):
        if not settings.TWILIO_AUTH_TOKEN:
            raise CommandError("Set TWILIO_AUTH_TOKEN (the server must use the same one).")
        self.validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
        self.public = (options["public_url"] or settings.TWILIO_PUBLIC_BASE_URL).rstrip("/")
        self.transport = options.get("transport") or HttpTransport(options["url"])
        self.options = options
        self.account = settings.TWILIO_ACCOUNT_SID or "AC" + "0" * 32
        what = options["what"]
        if what == "status":
            return self.status()
        self.to = options["to"] or self.default_number(whatsapp=options.get("whatsapp", False))
        if what == "sms":
            return self.sms()
        if what == "voicemail":
            options.update(then="key", consent="1", wait=5, agent="", talk=0)
        return self.call()

    def default_number(self, *, whatsapp: bool) -> str:
        numbers = PhoneNumber.objects.filter(is_active=True)
        number = (numbers.filter(handles_whatsapp=True) if whatsapp else numbers).first()
        if number is None:
            raise CommandError(
                "No phone number is set up: add one in Settings → Phone numbers, or pass --to."
            )
        return number.number

    def post(self, url: str, data: dict) -> str:
        """POST to one of the server's URLs (absolute, as in TwiML, or a route name)."""
        if not url.startswith("http"):
            url = self.url(url)
        signature = self.validator.compute_signature(url, data)
        parsed = urlparse(url)
        path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
        status, body = self.transport.post(path, data, signature)
        if status >= 400:
            raise CommandError(f"{path} answered {status}: {body[:300]}")
        return body

    def url(self, name: str, *args) -> str:
        return self.public + reverse(f"twilio_channel:{name}", args=args)

    def say(self, text: str):
        self.stdout.write(text)

    def hear(self, body: str, who: str = "the caller") -> ET.Element | None:
        """Print what `who` hears and what happens, as far as the call gets without them."""
        if not body.strip():
            return None
        root = ET.fromstring(body)  # noqa: S314 - our own server's answer
        for element in root:
            self.describe(element, who)
            if element.tag in ("Gather", "Record", "Enqueue", "Dial", "Hangup", "Leave"):
                break  # what follows happens only if nothing was pressed or recorded
        return root

    def describe(self, element: ET.Element, who: str) -> None:
        match element.tag:
            case "Say":
                self.say(f"  {who} hears [{element.get('language', '?')}]: {element.text}")
            case "Play":
                self.say(f"  {who} hears a recording: {element.text}")
            case "Gather":
                for child in element:
                    self.describe(child, who)
            case "Record":
                self.say(f"  {who} is recorded (after the tone)")
            case "Enqueue":
                self.say(f"  {who} waits in the queue {element.text}")
            case "Dial":
                conference = element.find("Conference")
                self.say(f"  {who} joins the conversation {getattr(conference, 'text', '')}")
            case "Hangup" | "Leave":
                self.say(f"  <{element.tag}> for {who}")

    # --- messaging -----------------------------------------------------------------------

    def sms(self):
        options = self.options
        prefix = "whatsapp:" if options["whatsapp"] else ""
        message_sid = options["sid"] or new_sid("MM" if options["media"] else "SM")
        data = {
            "MessageSid": message_sid,
            "SmsSid": message_sid,
            "AccountSid": self.account,
            "From": prefix + options["from_"],
            "To": prefix + self.to,
            "Body": options["body"],
            "NumMedia": str(len(options["media"])),
        }
        for index, content_type in enumerate(options["media"]):
            data[f"MediaUrl{index}"] = (
                f"https://api.twilio.com/2010-04-01/Accounts/{self.account}/Messages/"
                f"{message_sid}/Media/{new_sid('ME')}"
            )
            data[f"MediaContentType{index}"] = content_type
        self.post("messaging", data)
        kind = "WhatsApp" if prefix else "SMS"
        self.say(
            f"{kind} {message_sid} from {options['from_']} to {self.to}: delivered to the webhook."
        )

    def status(self):
        data = {
            "MessageSid": self.options["message"],
            "AccountSid": self.account,
            "MessageStatus": self.options["status"],
        }
        if self.options["error"]:
            data["ErrorCode"] = self.options["error"]
        self.post("messaging_status", data)
        self.say(f"{self.options['message']}: {self.options['status']}")

    # --- a call --------------------------------------------------------------------------

    def call(self):
        options = self.options
        self.call_sid = new_sid("CA")
        self.base = {
            "CallSid": self.call_sid,
            "AccountSid": self.account,
            "From": options["from_"],
            "To": self.to,
            "Direction": "inbound",
            "CallStatus": "in-progress",
        }
        self.say(f"☎ {options['from_']} calls {self.to} ({self.call_sid})")
        root = self.hear(self.post("voice", self.base))
        for _step in range(20):  # a call has fewer steps than this; never loop for ever
            root = self.next_step(root)
            if root is None:
                break
        self.post(
            "voice_status",
            {**self.base, "CallStatus": "completed", "CallDuration": str(self.duration())},
        )
        self.say("  call ended")

    def duration(self) -> int:
        return self.options["wait"] + self.options.get("talk", 0) + 20

    def next_step(self, root: ET.Element | None) -> ET.Element | None:
        if root is None:
            return None
        if (enqueue := root.find("Enqueue")) is not None:
            return self.in_queue(enqueue)
        if (record := root.find("Record")) is not None:
            return self.leave_message(record)
        if (gather := root.find("Gather")) is not None:
            action = gather.get("action")
            digits = self.digits_for(action)
            if digits:
                self.say(f"  presses {digits}")
                return self.hear(self.post(action, {**self.base, "Digits": digits}))
            redirect = root.find("Redirect")
            if redirect is not None:
                self.say("  presses nothing")
                return self.hear(self.post(redirect.text, self.base))
            return None
        if root.find("Hangup") is None and (redirect := root.find("Redirect")) is not None:
            return self.hear(self.post(redirect.text, self.base))
        return None

    def digits_for(self, action: str) -> str:
        if action.endswith("/voice/menu/"):
            return self.options["press"]
        if action.endswith("/voice/consent/"):
            return "" if self.options["consent"] == "none" else self.options["consent"]
        return ""

    def in_queue(self, enqueue: ET.Element) -> ET.Element | None:
        options = self.options
        wait_url, action = enqueue.get("waitUrl"), enqueue.get("action")
        waiting = {**self.base, "QueuePosition": "1", "QueueTime": "0", "QueueSid": "QU" + "0" * 32}
        self.hear(self.post(wait_url, waiting))
        then = options["then"]
        queue_time = str(options["wait"])
        if then == "hangup":
            self.say(f"  hangs up after {queue_time} s")
            self.post(action, {**self.base, "QueueResult": "hangup", "QueueTime": queue_time})
            return None
        if then == "key":
            gather = ET.fromstring(self.post(wait_url, waiting)).find("Gather")  # noqa: S314
            self.say("  presses 1 to leave a message")
            self.hear(self.post(gather.get("action"), {**self.base, "Digits": "1"}))
        elif then == "timeout":
            self.say("  waits and waits")
            self.hear(self.post(wait_url, {**waiting, "QueueTime": "100000"}))
        elif then == "answer":
            return self.answered(action, queue_time)
        return self.hear(
            self.post(action, {**self.base, "QueueResult": "leave", "QueueTime": queue_time})
        )

    def answered(self, action: str, queue_time: str) -> None:
        username = self.options["agent"]
        if not username:
            raise CommandError("--then answer needs --as USERNAME (a staff member taking calls).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        leg = None
        for _attempt in range(40):  # the server rings staff in a task: wait for it
            leg = CallLeg.objects.filter(
                call__call_sid=self.call_sid, user=user, kind="agent"
            ).first()
            if leg is not None and leg.call_sid:
                break
            time.sleep(0.25)
        else:
            raise CommandError(
                f"{username}'s phone was not rung. Do they take calls today, with a phone number, "
                "in this queue? Is a task worker running (or TASKS_BACKEND the immediate one)?"
            )
        agent = {
            "CallSid": leg.call_sid,
            "AccountSid": self.account,
            "From": self.to,
            "To": leg.to_number,
        }
        self.say(f"  {username}'s phone rings ({leg.to_number}); they pick up")
        self.post(self.url("voice_leg_status", leg.pk), {**agent, "CallStatus": "in-progress"})
        self.hear(self.post(self.url("voice_leg", leg.pk), agent), who=username)
        self.say(f"  {username} presses 1")
        self.hear(
            self.post(self.url("voice_leg_accept", leg.pk), {**agent, "Digits": "1"}), who=username
        )
        # Twilio moves the caller (REST redirect) into the conference: it fetches our join URL.
        self.hear(self.post("voice_join", self.base))
        self.post(action, {**self.base, "QueueResult": "redirected", "QueueTime": queue_time})
        self.say(f"  they talk for {self.options['talk']} s")
        self.post(
            self.url("voice_leg_status", leg.pk),
            {**agent, "CallStatus": "completed", "CallDuration": str(self.options["talk"])},
        )
        return None

    def leave_message(self, record: ET.Element) -> ET.Element | None:
        options = self.options
        recording_sid = new_sid("RE")
        url = (
            f"https://api.twilio.com/2010-04-01/Accounts/{self.account}/Recordings/{recording_sid}"
        )
        params = {
            **self.base,
            "RecordingSid": recording_sid,
            "RecordingUrl": url,
            "RecordingDuration": str(options["seconds"]),
            "Digits": "#",
        }
        self.say(f"  leaves a message of {options['seconds']} s")
        root = self.hear(self.post(record.get("action"), params))
        self.post(record.get("recordingStatusCallback"), {**params, "RecordingStatus": "completed"})
        if options["transcript"] and record.get("transcribeCallback"):
            self.post(
                record.get("transcribeCallback"),
                {
                    **params,
                    "TranscriptionStatus": "completed",
                    "TranscriptionText": options["transcript"],
                },
            )
        return root
