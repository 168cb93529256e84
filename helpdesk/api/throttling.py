"""Rate limits, counted in the cache (REDIS_URL shares them between processes).

A request with a token counts against that token; a logged-in browser against its user; an
anonymous request (public knowledge-base search) against its address.
"""

from rest_framework.throttling import SimpleRateThrottle

from helpdesk.api.models import ApiToken


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonymousRateThrottle(SimpleRateThrottle):
    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
