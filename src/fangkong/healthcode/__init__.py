"""The health code (健康码): a colour per person and its reasons, by the edition's rules."""
