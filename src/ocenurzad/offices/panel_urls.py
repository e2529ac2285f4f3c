"""Panel URLs (being built)."""

urlpatterns: list = []
