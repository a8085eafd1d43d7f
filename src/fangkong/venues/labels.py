"""Display names of the venue types and import columns, as msgids."""

from __future__ import annotations

from fangkong.core.errors import N_

TYPE_LABELS = {
    "hospital": N_("Hospital"),
    "elderly_home": N_("Elderly home"),
    "nursery": N_("Nursery"),
    "school": N_("School"),
    "hotel": N_("Hotel"),
    "shop": N_("Shop"),
    "restaurant": N_("Restaurant"),
    "public_transport": N_("Public transport"),
    "office": N_("Office"),
    "entertainment": N_("Entertainment venue"),
    "supermarket": N_("Supermarket"),
    "market": N_("Market"),
    "station_airport": N_("Station or airport"),
    "other": N_("Other"),
}
# Chinese names of the types, accepted in the import's 类型 column besides the codes.
TYPE_NAMES_ZH = {
    "医院": "hospital",
    "养老机构": "elderly_home",
    "托育机构": "nursery",
    "幼儿园": "nursery",
    "学校": "school",
    "酒店": "hotel",
    "宾馆": "hotel",
    "商店": "shop",
    "餐馆": "restaurant",
    "餐厅": "restaurant",
    "公共交通": "public_transport",
    "办公场所": "office",
    "娱乐场所": "entertainment",
    "超市": "supermarket",
    "商场": "supermarket",
    "农贸市场": "market",
    "市场": "market",
    "车站机场": "station_airport",
    "车站": "station_airport",
    "机场": "station_airport",
    "其他": "other",
}
