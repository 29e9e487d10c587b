from django.shortcuts import render


def catalogue(request):
    return render(request, "ciep/area_index.html", {"area_key": "exhibitions"})
