"""Display names of the people domain's codes, as msgids (zh_CN and en catalogs translate them)."""

from __future__ import annotations

from fangkong.core.errors import N_

ID_TYPE_LABELS = {
    "resident_id": N_("Resident ID card"),
    "passport": N_("Passport"),
    "hk_macao_permit": N_("Mainland travel permit for Hong Kong and Macao residents"),
    "taiwan_permit": N_("Mainland travel permit for Taiwan residents"),
    "hmt_residence_permit": N_("Residence permit for Hong Kong, Macao and Taiwan residents"),
}
KEY_GROUP_LABELS = {
    "cold_chain": N_("Imported cold-chain workers"),
    "port": N_("Port workers"),
    "transport": N_("Transport workers"),
    "medical": N_("Medical staff"),
    "quarantine_site": N_("Quarantine-site staff"),
    "delivery": N_("Couriers and delivery riders"),
    "market": N_("Market traders"),
    "school": N_("School staff"),
    "elderly_care": N_("Elderly-care staff"),
    "service": N_("Shop, hotel and service staff"),
    "construction": N_("Construction workers"),
}
FLAG_LABELS = {
    "elderly_alone": N_("Elderly living alone"),
    "disabled": N_("Disabled"),
    "pregnant": N_("Pregnant"),
    "chronic_disease": N_("Chronic disease"),
    "under_three": N_("Child under 3"),
    "migrant": N_("Migrant worker"),
    "from_abroad": N_("Arrived from abroad"),
}
COUNT_LABELS = {
    "households": N_("Households"),
    "residents": N_("Residents"),
    "vulnerable": N_("Vulnerable people"),
    "migrants": N_("Migrants"),
    "arrivals_from_abroad": N_("Arrivals from abroad"),
    "home_isolated_or_monitored": N_("Home-isolated or monitored"),
    "positives_and_centrally_isolated": N_("Positives and centrally isolated"),
    "key_groups": N_("Key groups"),
}
ACCESS_LABELS = {
    "open": N_("opened the record"),
    "reveal_id_number": N_("revealed the ID number"),
    "reveal_phone": N_("revealed the phone"),
    "search_id_number": N_("searched by ID number"),
    "search_phone": N_("searched by phone"),
    "export_ledger": N_("exported the grid ledger"),
}
SEX_LABELS = {"1": N_("male"), "2": N_("female"), "0": N_("unknown"), "9": N_("unstated")}
