from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from helpdesk.forms import CallLogForm
from helpdesk.services.calls import call_log

from .decorators import ticket_worker_required


@ticket_worker_required
def call_new(request):
    """Log a call while the caller is on the line; afterwards a blank form for the next one."""
    form = CallLogForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = call_log(author=request.user, **data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            # The link is built outside the sentence, so translators see no HTML.
            link = format_html(
                '<a href="{}"><bdi>{}</bdi></a>',
                reverse("helpdesk:ticket", args=[ticket.reference]),
                ticket.reference,
            )
            messages.success(request, format_html(_("Call logged as {reference}."), reference=link))
            return redirect("helpdesk:call_new")
    return render(
        request, "helpdesk/call_log.html", {"form": form}, status=400 if form.errors else 200
    )
