"""Limits of the dashboard's upload (stated on the Data page, enforced by the server and the page)."""

#: Largest workbook or CSV zip the Data page accepts, in megabytes.
MAX_UPLOAD_MB = 50
