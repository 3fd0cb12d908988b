from django.contrib.auth import views as auth_views
from django.urls import path

from soihtu.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The names are mozilla-django-oidc's; settings.OIDC_AUTHENTICATION_CALLBACK_URL adds the
    # namespace. The callback is the redirect URI registered at the identity provider.
    path(
        "oidc/authenticate/",
        views.ProviderSignInView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        views.ProviderCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
]
