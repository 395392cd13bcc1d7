from django.urls import path

from xieshang.proposals import views_public as v

app_name = "public"
urlpatterns = [
    path("<slug:committee_code>/proposals/", v.public_list, name="list"),
    path("<slug:committee_code>/proposals/<int:proposal_id>/", v.public_detail, name="detail"),
]
