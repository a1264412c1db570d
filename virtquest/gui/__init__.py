"""The desktop app (Qt Widgets via PySide6). The only package that imports Qt."""
