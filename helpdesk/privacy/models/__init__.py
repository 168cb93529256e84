from .audit import AuditAction, AuditEntry
from .requests import PrivacyRequest, RequestKind
from .retention import RetentionRule

__all__ = ["AuditAction", "AuditEntry", "PrivacyRequest", "RequestKind", "RetentionRule"]
