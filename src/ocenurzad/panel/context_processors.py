def panel(request):
    if not getattr(request, "panel_perm", None) or not request.user.is_authenticated:
        return {}
    from .navigation import menu

    return {"panel_menu": menu(request)}
