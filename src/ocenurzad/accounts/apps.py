from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ocenurzad.accounts"
    verbose_name = "Konta"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .throttling import client_login_failed

        def _count_client_failure(sender, credentials=None, request=None, **kwargs):
            client_login_failed(request)

        user_login_failed.connect(
            _count_client_failure, dispatch_uid="login-client-failures", weak=False
        )
