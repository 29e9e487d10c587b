import pytest

from ciep.places import place_name, place_spellings
from tests.recruitment.factories import JobPostingFactory


@pytest.mark.parametrize(
    ("stored", "english", "chinese"),
    [
        ("Shenzhen", "Shenzhen", "深圳"),
        ("shenzhen", "Shenzhen", "深圳"),
        ("深圳市", "Shenzhen", "深圳"),
        ("Guangdong", "Guangdong", "广东"),
        ("广东省", "Guangdong", "广东"),
        ("Inner Mongolia", "Inner Mongolia", "内蒙古"),
        ("Macau", "Macao", "澳门"),
        ("Xian", "Xi'an", "西安"),
        ("Atlantis", "Atlantis", "Atlantis"),
    ],
)
def test_place_name_in_each_language(stored, english, chinese):
    assert place_name(stored, "en") == english
    assert place_name(stored, "zh-hans") == chinese


def test_place_spellings_add_the_other_language():
    assert place_spellings("深圳") == {"深圳", "Shenzhen"}
    assert place_spellings("hangzhou") == {"hangzhou", "Hangzhou", "杭州"}
    assert place_spellings("Atlantis") == {"Atlantis"}
    assert place_spellings("  ") == set()


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["深圳", "Shenzhen", "shenzhen"])
@pytest.mark.parametrize("param", ["q", "location"])
def test_job_search_finds_a_city_typed_in_either_language(client, edition, query, param):
    shenzhen = JobPostingFactory(city="Shenzhen", province="Guangdong")
    JobPostingFactory(city="Hangzhou", province="Zhejiang", title_en="Analyst")

    found = client.get("/jobs/", {param: query}).context["filter"].qs

    assert list(found) == [shenzhen]


@pytest.mark.django_db
def test_chinese_job_pages_show_places_in_chinese(client, edition):
    posting = JobPostingFactory(city="Shenzhen", province="Guangdong")

    chinese = client.get(f"/zh-hans/jobs/{posting.pk}/").content.decode()
    english = client.get(f"/jobs/{posting.pk}/").content.decode()

    assert "深圳, 广东" in chinese
    assert "Shenzhen, Guangdong" not in chinese
    assert "Shenzhen, Guangdong" in english
