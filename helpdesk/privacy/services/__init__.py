"""The privacy app's writes: pseudonymisation, retention, and the rights of the people in the
tickets (access, rectification, erasure). The audit log's entry point is helpdesk.privacy.audit.
"""
