from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from xieshang.core import views as core_views
from xieshang.organisation.api import api_urlpatterns as organisation_api
from xieshang.proposals.api import api_urlpatterns as proposals_api
from xieshang.search.api import api_urlpatterns as search_api

api_v1 = [path(route, view.as_view(), name=name)
          for route, view, name in [*organisation_api, *proposals_api, *search_api]]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("xieshang.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("directory/", include("xieshang.organisation.urls")),
    path("directory/import/", include("xieshang.organisation.import_urls")),
    path("notifications/", include("xieshang.notifications.urls")),
    path("proposals/", include("xieshang.proposals.urls")),
    path("public/", include("xieshang.proposals.urls_public")),
    path("search/", include("xieshang.search.urls")),
    path("settings/rules/", include("xieshang.ruleset.urls")),
    path("audit/", include("xieshang.ledger.urls")),
    path("manage/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
