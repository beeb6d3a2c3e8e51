"""The Qt widgets: the only package (with app.py) that imports PySide6 or qasync."""
