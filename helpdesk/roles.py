"""The roles people have, as Django groups with permissions.

The groups are created by a migration and completed after every migrate (permissions of apps
added later), never stripped: an administrator may give a group more than listed here.
"""

from django.utils.translation import gettext_lazy as _

INFO_LINE_STAFF = "Info-line staff"
LEGAL_SPECIALIST = "Legal specialist"
VOLUNTEER = "Volunteer"
COORDINATOR = "Coordinator"
ADMINISTRATOR = "Administrator"

ROLE_LABELS = {
    INFO_LINE_STAFF: _("Info-line staff"),
    LEGAL_SPECIALIST: _("Legal specialist"),
    VOLUNTEER: _("Volunteer"),
    COORDINATOR: _("Coordinator"),
    ADMINISTRATOR: _("Administrator"),
}

_TICKET_WORK = [
    "helpdesk.view_ticket",
    "helpdesk.add_ticket",
    "helpdesk.change_ticket",
    "helpdesk.view_message",
    "helpdesk.add_message",
    "helpdesk.view_contact",
    "helpdesk.add_contact",
    "helpdesk.change_contact",
    "helpdesk.view_attachment",
    "helpdesk.add_attachment",
]
_LISTS = [
    f"helpdesk.{action}_{model}"
    for model in ("queue", "topic", "requestertype", "outcome", "referralorganisation", "language")
    for action in ("view", "add", "change")
]

ROLES: dict[str, list[str]] = {
    INFO_LINE_STAFF: _TICKET_WORK,
    LEGAL_SPECIALIST: _TICKET_WORK,
    # Volunteers use the knowledge base and never see tickets; the knowledge base adds its own.
    VOLUNTEER: [],
    COORDINATOR: [
        "helpdesk.view_statistics",
        "helpdesk.export_statistics",
        *_LISTS,
    ],
    ADMINISTRATOR: ["*"],
}


def sync_roles():
    """Create the groups and give each the listed permissions that exist (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        if wanted == ["*"]:
            perms = Permission.objects.all()
        else:
            pairs = [p.split(".", 1) for p in wanted]
            perms = [
                perm
                for perm in Permission.objects.select_related("content_type").filter(
                    codename__in=[codename for _app, codename in pairs]
                )
                if [perm.content_type.app_label, perm.codename] in pairs
            ]
        group.permissions.add(*perms)


def extend_role(name: str, *permissions: str):
    """Let another app add its permissions to a role (call from its AppConfig.ready)."""
    ROLES.setdefault(name, [])
    if ROLES[name] != ["*"]:
        ROLES[name].extend(p for p in permissions if p not in ROLES[name])


def sync_roles_after_migrate(sender, using="default", **kwargs):
    # Other apps' post_migrate handlers may not have run yet: make every app's permissions first.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    sync_roles()
