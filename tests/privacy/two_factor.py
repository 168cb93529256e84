"""Test helpers for two-factor authentication.

`client.force_login(user)` stands for a finished login, so for someone whose role needs a second
factor it also gives them a device and marks the session verified (tests/conftest.py installs
this for every test). `client.force_login(user, second_factor=False)` logs in with the password
step only, as a real login leaves it before the code is given.
"""

import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.privacy import otp

_original_force_login = Client.force_login


def force_login(self, user, backend=None, *, second_factor=True):
    _original_force_login(self, user, backend)
    if not second_factor:
        return
    required, enrolled = otp.second_factor_status(user)
    if not (required or enrolled):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the person's app would show now (or `offset_steps` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
