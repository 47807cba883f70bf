"""A letter shown as it will print (QtPdf), with its page count, and printing it through a QPrinter.

Used by the New letter dialog and the template editor; the bytes come from the letter service.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

# Pages are drawn to the printer as images; above 300 dpi a letter page is a 100+ MB image for
# no visible gain on an office laser printer.
MAX_PRINT_DPI = 300


class PdfPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._buffer: QBuffer | None = None
        self._pdf = b""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.clear("No preview yet.")

    @property
    def pdf(self) -> bytes:
        return self._pdf

    def page_count(self) -> int:
        return self.document.pageCount() if self._pdf else 0

    def set_pdf(self, pdf: bytes) -> int:
        """Show `pdf`; return its page count."""
        self.document.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        # The document reads from the buffer while it is shown: keep it alive until the next one.
        self._buffer = buffer
        self._pdf = pdf
        pages = self.document.pageCount()
        self.status.setStyleSheet("")
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''} — this is how the letter will print.")
        return pages

    def clear(self, message: str, error: bool = False) -> None:
        self.document.close()
        self._pdf = b""
        self.status.setStyleSheet("color: #b00020;" if error else "color: palette(mid);")
        self.status.setText(message)

    def print_to(self, printer: QPrinter) -> int:
        """Draw every page on `printer`; return the number of pages printed."""
        pages = self.page_count()
        if not pages:
            return 0
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("The printer could not be started; check that it is connected and try again.")
        try:
            dpi = printer.resolution()
            for page in range(pages):
                if page:
                    printer.newPage()
                size = self.document.pagePointSize(page)
                scale = min(dpi, MAX_PRINT_DPI) / 72
                image = self.document.render(page, QSize(round(size.width() * scale), round(size.height() * scale)))
                target = QRectF(0, 0, size.width() * dpi / 72, size.height() * dpi / 72)
                painter.drawImage(target, image)
        finally:
            painter.end()
        return pages
