"""The aiohttp signalling server; serves the participant web page. No Qt."""
