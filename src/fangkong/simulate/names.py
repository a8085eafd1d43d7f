"""Word lists for the synthetic city: names, place-name stems, company stems, road names.

Everything here is invented or generic vocabulary; no list holds a real person. Weights are
rough relative frequencies, good enough for a demo that looks like a north-eastern city.
"""

from __future__ import annotations

# Common surnames with rough relative frequencies (per 10,000); north-eastern China has more
# 于, 孙 and 姜 than the national ranking, so they are weighted up.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 760), ("李", 740), ("张", 710), ("刘", 560), ("陈", 380), ("杨", 330),
    ("赵", 290), ("孙", 260), ("于", 200), ("周", 170), ("吴", 150), ("徐", 150),
    ("高", 150), ("马", 140), ("朱", 120), ("胡", 120), ("郭", 120), ("林", 100),
    ("何", 100), ("罗", 90), ("梁", 90), ("宋", 90), ("郑", 90), ("谢", 80),
    ("韩", 80), ("唐", 70), ("冯", 70), ("董", 70), ("程", 60), ("曹", 60),
    ("袁", 60), ("邓", 60), ("许", 60), ("傅", 50), ("沈", 50), ("曾", 40),
    ("彭", 50), ("吕", 50), ("苏", 50), ("卢", 50), ("蒋", 50), ("蔡", 40),
    ("贾", 40), ("丁", 40), ("魏", 40), ("薛", 40), ("叶", 40), ("阎", 40),
    ("姜", 70), ("崔", 50), ("田", 40), ("范", 40), ("方", 30), ("石", 30),
    ("姚", 30), ("谭", 20), ("廖", 20), ("邹", 30), ("熊", 20), ("金", 40),
    ("陆", 30), ("郝", 40), ("孔", 30), ("白", 40), ("常", 30), ("尹", 30),
    ("关", 40), ("佟", 20), ("那", 10), ("鲁", 20), ("付", 40), ("侯", 30),
)  # fmt: skip

MALE_CHARS = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
    "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙",
    "林", "阳", "东", "峰", "博", "志", "国", "建", "文", "成", "海", "亮", "晨", "铭",
)  # fmt: skip
FEMALE_CHARS = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "桂", "英", "梅", "莉",
    "婷", "雪", "琳", "颖", "倩", "洁", "慧", "佳", "欣", "悦", "萍", "红", "燕", "丹",
    "晶", "妍", "璐", "月", "琪", "淑", "兰", "凤", "春", "雨", "薇", "蕾", "瑶", "怡",
)  # fmt: skip
NEUTRAL_CHARS = (
    "子", "嘉", "一", "思", "语", "梓", "欣", "诗", "天", "云", "海", "晓", "小", "永",
    "德", "家", "安", "新", "金", "玉", "庆", "长", "立", "振", "书", "景", "春", "秋",
)  # fmt: skip

# (Chinese, pinyin) stems for streets (街道 / 镇) and communities (社区 / 村).
PLACE_STEMS: tuple[tuple[str, str], ...] = (
    ("新阳", "Xinyang"), ("和平", "Heping"), ("建设", "Jianshe"), ("友谊", "Youyi"),
    ("胜利", "Shengli"), ("松花", "Songhua"), ("红旗", "Hongqi"), ("文化", "Wenhua"),
    ("长江", "Changjiang"), ("黄河", "Huanghe"), ("先锋", "Xianfeng"), ("兴华", "Xinghua"),
    ("安和", "Anhe"), ("通达", "Tongda"), ("民主", "Minzhu"), ("工农", "Gongnong"),
    ("曙光", "Shuguang"), ("永和", "Yonghe"), ("太平", "Taiping"), ("滨江", "Binjiang"),
    ("群力", "Qunli"), ("新华", "Xinhua"), ("东风", "Dongfeng"), ("前进", "Qianjin"),
    ("光明", "Guangming"), ("繁荣", "Fanrong"), ("幸福", "Xingfu"), ("朝阳", "Chaoyang"),
    ("丰收", "Fengshou"), ("立新", "Lixin"), ("振兴", "Zhenxing"), ("宏伟", "Hongwei"),
    ("奋斗", "Fendou"), ("团结", "Tuanjie"), ("康安", "Kang'an"), ("顺达", "Shunda"),
    ("兴隆", "Xinglong"), ("富强", "Fuqiang"), ("向阳", "Xiangyang"), ("北苑", "Beiyuan"),
    ("南苑", "Nanyuan"), ("西城", "Xicheng"), ("东城", "Dongcheng"), ("春华", "Chunhua"),
    ("秋实", "Qiushi"), ("丽水", "Lishui"), ("青山", "Qingshan"), ("绿洲", "Lüzhou"),
    ("碧水", "Bishui"), ("金桥", "Jinqiao"), ("银河", "Yinhe"), ("江畔", "Jiangpan"),
    ("新春", "Xinchun"), ("华山", "Huashan"), ("泰山", "Taishan"), ("龙江", "Longjiang"),
    ("白桦", "Baihua"), ("红星", "Hongxing"), ("祥和", "Xianghe"), ("安居", "Anju"),
    ("宜居", "Yiju"), ("育才", "Yucai"), ("学府", "Xuefu"), ("公园", "Gongyuan"),
)  # fmt: skip

# Suffixes that make a second, third... street or community from a stem already used.
REPEAT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("", ""), ("东", " East"), ("西", " West"), ("南", " South"), ("北", " North"),
    ("中", " Central"), ("新", " New"), ("二", " II"), ("三", " III"), ("四", " IV"),
)  # fmt: skip

ROAD_KINDS = ("路", "街", "大街", "道")
COMPOUND_KINDS = ("小区", "家园", "花园", "新村", "公寓", "嘉园")

# Company names by key group: (stem kind, suffix).
EMPLOYER_SUFFIXES: dict[str, tuple[str, ...]] = {
    "cold_chain": ("冷链食品有限公司", "冷冻仓储有限公司", "进口食品贸易公司"),
    "port": ("口岸服务有限公司", "国际物流有限公司", "海关监管仓库"),
    "transport": ("公交集团", "客运有限公司", "出租汽车公司", "货运有限公司"),
    "medical": ("医院", "社区卫生服务中心", "中医院", "口腔门诊部"),
    "quarantine_site": ("集中隔离点", "隔离酒店", "健康驿站"),
    "delivery": ("快递有限公司", "外卖配送站", "同城速递公司"),
    "market": ("农贸市场", "蔬菜批发市场", "水产批发市场"),
    "school": ("小学", "中学", "幼儿园", "职业技术学院"),
    "elderly_care": ("养老院", "老年公寓", "康养中心"),
    "service": ("超市", "大酒店", "购物中心", "宾馆"),
    "construction": ("建筑工程有限公司", "建设集团", "市政工程公司"),
}
COMPANY_STEMS = (
    "冰城", "北疆", "龙华", "松江", "新源", "恒通", "鑫达", "华信", "远航", "安泰",
    "宏达", "金鼎", "德润", "瑞丰", "天成", "东方", "北方", "兴旺", "万家", "嘉禾",
)  # fmt: skip
