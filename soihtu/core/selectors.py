"""Reads for the accessibility statement page and its feedback."""

from __future__ import annotations

from soihtu.accounts.models import User
from soihtu.core.models import AccessibilityStatement
from soihtu.organization.models import OrganizationSettings

DEFAULT_ORGANIZATION_NAME = "Soihtu"  # as the page header says without organization settings


def accessibility_statement() -> AccessibilityStatement:
    """The organization's statement, or the defaults (unsaved) until the OKR office saves it."""
    return AccessibilityStatement.objects.filter(pk=AccessibilityStatement.SINGLE_ID).first() or (
        AccessibilityStatement()
    )


def statement_organization_name(statement: AccessibilityStatement) -> str:
    """The name the statement gives: its own, else the organization's."""
    if statement.organization_name:
        return statement.organization_name
    settings = OrganizationSettings.objects.only("name").first()
    return settings.name if settings else DEFAULT_ORGANIZATION_NAME


def feedback_recipients(statement: AccessibilityStatement) -> list[str]:
    """Where feedback is emailed: the statement's address, else the OKR office's people."""
    if statement.feedback_email:
        return [statement.feedback_email]
    admins = User.objects.filter(is_org_admin=True, is_active=True).exclude(email="")
    return list(admins.order_by("pk").values_list("email", flat=True))
