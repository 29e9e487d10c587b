from django.shortcuts import render


def programme(request):
    return render(request, "ciep/area_index.html", {"area_key": "forums"})
