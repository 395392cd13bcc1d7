"""GET /api/v1/search/: the search page's results as JSON, with the same filters and the same visibility
(the same selector)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xieshang.core.api import Pagination
from xieshang.search import selectors
from xieshang.search.indexing import kinds


class SearchQueryInput(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Words to find; simplified or traditional characters, "
                              "unit short names (县住建局) and full names alike.")
    type = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                 help_text="Only this kind of document: " + ", ".join(kinds()) + ".")
    session = serializers.IntegerField(required=False, min_value=1, help_text="A plenary session's id.")
    status = serializers.CharField(required=False, allow_blank=True, max_length=20,
                                   help_text="A proposal's status (a reply's for replies).")
    unit = serializers.IntegerField(required=False, min_value=1, help_text="A handling unit's id.")
    category = serializers.CharField(required=False, allow_blank=True, max_length=30,
                                     help_text="A code of the committee's proposal.categories rule.")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=Pagination.max_page_size)


class SearchHitOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="proposal, reply, member, unit …")
    kind_label = serializers.CharField()
    object_id = serializers.IntegerField(source="document.object_id")
    title = serializers.CharField(source="document.title")
    title_html = serializers.CharField(help_text="The title, HTML-escaped, with matched words in <mark>.")
    snippet_html = serializers.CharField(help_text="A window of the text around the first match, HTML-escaped, "
                                         "with matched words in <mark>.")
    url = serializers.CharField(help_text="The page of the object.")
    facts = serializers.ListField(child=serializers.CharField(), help_text="Reference, state, unit … as shown.")
    score = serializers.FloatField(help_text="BM25; higher is better.")
    tier = serializers.ChoiceField(choices=["every", "some", "related"], help_text=(
        "every: has every word; some: only some of them (after the first tier, when it is shorter than a page); "
        "related: a proposal close to the query without its words (after the others, when they are fewer than a "
        "page)."))
    status = serializers.CharField(source="document.status")
    session = serializers.IntegerField(source="document.session_id", allow_null=True)
    category = serializers.CharField(source="document.category")
    year = serializers.IntegerField(source="document.year", allow_null=True)


class SearchPageOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Results of the chosen type.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitOutput(many=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Results by kind, whatever the "
                                   "type filter.")
    exact = serializers.IntegerField(help_text="Results having every word: they come first (see each result's "
                                     "tier for those after them).")
    partial = serializers.BooleanField(help_text="Some results lack some of the words.")
    similar = SearchHitOutput(many=True, help_text="On the first page, when few results were found: documents "
                              "whose title resembles the query (PostgreSQL only).")


class SearchErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class SearchApi(APIView):
    @extend_schema(
        operation_id="search", summary="Search proposals, replies, members and units this user may see",
        parameters=[SearchQueryInput],
        responses={200: SearchPageOutput,
                   400: OpenApiResponse(description="Malformed input ({field: [messages]})."),
                   404: OpenApiResponse(SearchErrorOutput, description="No role in a committee, or no such page.")},
    )
    def get(self, request: Request) -> Response:
        params = SearchQueryInput(data=request.query_params)
        params.is_valid(raise_exception=True)
        data: dict[str, Any] = params.validated_data
        filters = selectors.SearchFilters(
            type=data.get("type", ""), session=data.get("session"), status=data.get("status", ""),
            unit=data.get("unit"), category=data.get("category", ""), year=data.get("year"))
        results = selectors.ResultList(user=request.user, query=data["q"], filters=filters)
        paginator = Pagination()
        hits = paginator.paginate_queryset(results, request, view=self) or []
        similar = results.similar(exclude=hits) if paginator.page.number == 1 else []
        response = paginator.get_paginated_response(SearchHitOutput(hits, many=True).data)
        response.data["counts"] = results.counts
        response.data["exact"] = results.exact
        response.data["partial"] = results.partial
        response.data["similar"] = SearchHitOutput(similar, many=True).data
        return response


api_urlpatterns = [
    ("search/", SearchApi, "search"),
]
