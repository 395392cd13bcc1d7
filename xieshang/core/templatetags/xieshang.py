from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def control(field: forms.BoundField) -> SafeString:
    """Render a field's widget with the Bootstrap class that fits it."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
