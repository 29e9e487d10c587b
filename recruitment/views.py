from django.shortcuts import render


def job_list(request):
    return render(request, "ciep/area_index.html", {"area_key": "recruitment"})
