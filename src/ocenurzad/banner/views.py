from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def banner_page(request):
    return render(request, "banner/page.html")
