"""Place names of China in both languages: provinces and the cities the fair's visitors meet.

Postings, organisations and talents' preferences store a city or province as typed, most often
in English. Pages show them in the reader's language, and searches find them whichever
language the searcher types: "深圳" finds the jobs in "Shenzhen" and the other way round. Names
outside this list are shown and searched as they were typed.
"""

from ciep.bilingual import is_chinese

PROVINCES = {
    "Beijing": "北京",
    "Tianjin": "天津",
    "Shanghai": "上海",
    "Chongqing": "重庆",
    "Hebei": "河北",
    "Shanxi": "山西",
    "Liaoning": "辽宁",
    "Jilin": "吉林",
    "Heilongjiang": "黑龙江",
    "Jiangsu": "江苏",
    "Zhejiang": "浙江",
    "Anhui": "安徽",
    "Fujian": "福建",
    "Jiangxi": "江西",
    "Shandong": "山东",
    "Henan": "河南",
    "Hubei": "湖北",
    "Hunan": "湖南",
    "Guangdong": "广东",
    "Hainan": "海南",
    "Sichuan": "四川",
    "Guizhou": "贵州",
    "Yunnan": "云南",
    "Shaanxi": "陕西",
    "Gansu": "甘肃",
    "Qinghai": "青海",
    "Taiwan": "台湾",
    "Inner Mongolia": "内蒙古",
    "Guangxi": "广西",
    "Tibet": "西藏",
    "Ningxia": "宁夏",
    "Xinjiang": "新疆",
    "Hong Kong": "香港",
    "Macao": "澳门",
}

CITIES = {
    "Shenzhen": "深圳",
    "Guangzhou": "广州",
    "Dongguan": "东莞",
    "Foshan": "佛山",
    "Zhuhai": "珠海",
    "Huizhou": "惠州",
    "Zhongshan": "中山",
    "Jiangmen": "江门",
    "Zhaoqing": "肇庆",
    "Shantou": "汕头",
    "Nanjing": "南京",
    "Suzhou": "苏州",
    "Wuxi": "无锡",
    "Changzhou": "常州",
    "Nantong": "南通",
    "Yancheng": "盐城",
    "Yangzhou": "扬州",
    "Xuzhou": "徐州",
    "Hangzhou": "杭州",
    "Ningbo": "宁波",
    "Wenzhou": "温州",
    "Shaoxing": "绍兴",
    "Jiaxing": "嘉兴",
    "Hefei": "合肥",
    "Wuhu": "芜湖",
    "Fuzhou": "福州",
    "Xiamen": "厦门",
    "Quanzhou": "泉州",
    "Nanchang": "南昌",
    "Jinan": "济南",
    "Qingdao": "青岛",
    "Yantai": "烟台",
    "Weifang": "潍坊",
    "Zhengzhou": "郑州",
    "Luoyang": "洛阳",
    "Wuhan": "武汉",
    "Changsha": "长沙",
    "Chengdu": "成都",
    "Mianyang": "绵阳",
    "Guiyang": "贵阳",
    "Kunming": "昆明",
    "Xi'an": "西安",
    "Lanzhou": "兰州",
    "Xining": "西宁",
    "Yinchuan": "银川",
    "Urumqi": "乌鲁木齐",
    "Hohhot": "呼和浩特",
    "Lhasa": "拉萨",
    "Nanning": "南宁",
    "Guilin": "桂林",
    "Haikou": "海口",
    "Sanya": "三亚",
    "Shijiazhuang": "石家庄",
    "Tangshan": "唐山",
    "Baoding": "保定",
    "Xiong'an": "雄安",
    "Taiyuan": "太原",
    "Shenyang": "沈阳",
    "Dalian": "大连",
    "Changchun": "长春",
    "Harbin": "哈尔滨",
    "Taipei": "台北",
}

# Other spellings people type, and the Chinese names with their administrative suffix.
SPELLINGS = {"Macau": "Macao", "Xian": "Xi'an", "Peking": "Beijing", "Canton": "Guangzhou"}
SUFFIXES = ("市", "省", "自治区", "特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区")

_CHINESE = {english.casefold(): chinese for english, chinese in {**PROVINCES, **CITIES}.items()}
_CHINESE.update({other.casefold(): _CHINESE[name.casefold()] for other, name in SPELLINGS.items()})
_ENGLISH = {chinese: english for english, chinese in {**PROVINCES, **CITIES}.items()}


def _english(text: str) -> str | None:
    text = text.strip()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if text.endswith(suffix) and text[: -len(suffix)] in _ENGLISH:
            text = text[: -len(suffix)]
            break
    if text in _ENGLISH:
        return _ENGLISH[text]
    name = SPELLINGS.get(text.title(), text)
    return next((e for e in {**PROVINCES, **CITIES} if e.casefold() == name.casefold()), None)


def place_name(text: str, language: str | None = None) -> str:
    """``text`` (a city or province as stored) in the reader's language, when it is known."""
    if not text:
        return text
    english = _english(text)
    if english is None:
        return text
    return _CHINESE[english.casefold()] if is_chinese(language) else english


def place_spellings(query: str) -> set[str]:
    """What a search for ``query`` should also look for: the place in the other language."""
    query = query.strip()
    spellings = {query} if query else set()
    english = _english(query)
    if english is not None:
        spellings |= {english, _CHINESE[english.casefold()]}
    return spellings
