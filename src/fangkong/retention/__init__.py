"""Retention (数据保存期限): each table's declared rule, the purge job, the end-of-emergency switch.

Tables declare their rule in ``fangkong.models.retention`` style (``Table.info``); this package
reads the declarations, resolves their windows from the active policy edition or the settings
and carries them out in bulk statements. See docs/retention.md.
"""
