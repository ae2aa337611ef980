"""Limits of the dashboard: upload size (stated on the Data page, enforced by server and page), drawing sizes."""

#: Largest workbook or CSV zip the Data page accepts, in megabytes.
MAX_UPLOAD_MB = 50
#: Most actors drawn in the Change page's small multiples (the most connected over all periods).
PERIOD_ACTORS_DRAWN = 400
#: Most ties drawn in each period's small multiple (more are a grey blot and megabytes sent to the browser).
PERIOD_TIES_DRAWN = 3000
