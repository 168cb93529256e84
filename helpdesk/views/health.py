from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.health import run_checks


@never_cache
def health(request):
    """200 when every check passes, 503 otherwise; for the load balancer and monitoring."""
    checks = run_checks()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "fail", "checks": checks}, status=200 if ok else 503
    )
