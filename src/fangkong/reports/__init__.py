"""Reports (报表): the daily bulletin (疫情通报) in the official style, every number from the
cases domain's counts, and the command dashboard (指挥大屏) with district drill-down, built
from the figures the other domains already keep (grouped SQL over indexed columns or
maintained counters, never a scan of people per request)."""
