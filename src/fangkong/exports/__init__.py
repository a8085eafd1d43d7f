"""Exports (导出): any registered list as XLSX or CSV with masked personal data, written in
constant memory, in the background when large, downloadable by the requester until it
expires; personal data above a set number of rows waits for a superior's approval; every
step audited. See docs/exports.md."""
