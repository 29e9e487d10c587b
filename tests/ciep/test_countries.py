"""Country and region names in Chinese: the Ministry of Foreign Affairs' names, in pinyin order."""

from django import forms
from django.utils import translation
from django_countries.fields import CountryField

from ciep.countries import country_choices, pinyin_key


def _names(language: str) -> list[str]:
    with translation.override(language):
        return [name for _code, name in country_choices()]


def test_chinese_country_names_are_sorted_by_pinyin_after_china_and_its_regions():
    names = _names("zh-hans")

    assert names[:4] == ["中国", "中国香港", "中国澳门", "中国台湾"]
    assert names[4:8] == ["阿尔巴尼亚", "阿尔及利亚", "阿富汗", "阿根廷"]
    rest = names[4:]
    assert rest == sorted(rest, key=pinyin_key)
    assert rest.index("巴西") < rest.index("德国") < rest.index("美国") < rest.index("英国")
    assert rest.index("秘鲁") > rest.index("美国")


def test_english_country_names_keep_their_alphabetical_order():
    names = _names("en")

    assert names[:6] == [
        "China",
        "Hong Kong, China",
        "Macao, China",
        "Taiwan, China",
        "Afghanistan",
        "Åland Islands",
    ]


def test_chinese_country_names_are_corrected_where_the_library_errs():
    with translation.override("zh-hans"):
        names = dict(country_choices())

    assert names["NP"] == "尼泊尔"
    assert names["WS"] == "萨摩亚"
    assert names["AS"] == "美属萨摩亚群岛"
    assert names["BA"] == "波斯尼亚和黑塞哥维那"
    assert names["TJ"] == "塔吉克斯坦"
    assert names["SJ"] == "斯瓦尔巴和扬马延"
    assert all(name == name.strip() and name for name in names.values())
    assert "尼珀尔" not in names.values()


def test_english_names_of_corrected_countries_are_unchanged():
    with translation.override("en"):
        names = dict(country_choices())

    assert (names["NP"], names["WS"], names["RE"]) == ("Nepal", "Samoa", "Réunion")


def test_a_forms_country_list_is_in_pinyin_order_too():
    class Form(forms.Form):
        country = CountryField().formfield()

    with translation.override("zh-hans"):
        labels = [str(label) for _code, label in Form().fields["country"].choices if _code]

    assert labels[:5] == ["中国", "中国香港", "中国澳门", "中国台湾", "阿尔巴尼亚"]
