from django.shortcuts import render


def project_list(request):
    return render(request, "ciep/area_index.html", {"area_key": "projects"})
