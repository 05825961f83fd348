from django.urls import path

from lianluo.portal import views

app_name = "portal"
urlpatterns = [
    path("me/", views.MyPageView.as_view(), name="me"),
]
