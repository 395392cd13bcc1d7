"""API plumbing shared by every app: pagination and the mapping of domain errors to responses (400; 403 for
a refused permission; 409 for a concurrent change)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from xieshang.core.errors import DomainError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        code = {"concurrent_change": status.HTTP_409_CONFLICT,
                "permission_denied": status.HTTP_403_FORBIDDEN}.get(exc.code, status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.message, "code": exc.code}, status=code)
    if isinstance(exc, Http404):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return drf_exception_handler(exc, context)
