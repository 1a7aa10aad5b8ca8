"""The Word document in the official layout, read back with python-docx."""

import io

from docx import Document
from tools_loader import load

report_docx = load("report_docx")

DOCUMENT = {
    "national_name": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc",
    "authority": "UBND tỉnh Ninh Thuận", "agency": "Cơ sở cai nghiện ma túy tỉnh Ninh Thuận",
    "number": "Số: 12/BC-CSCN", "place_date": "Ninh Thuận, ngày 15 tháng 11 năm 2023",
    "title": "BÁO CÁO", "subtitle": "Kết quả thực hiện năm 2023", "recipient": "Kính gửi: UBND tỉnh Ninh Thuận",
    "blocks": [
        ("heading", "I. TÌNH HÌNH CHUNG"),
        ("paragraph", "Dòng một\nDòng hai"),
        ("table", {"header": ["Mã", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Tỷ lệ"], "numeric": [2, 3, 4],
                   "rows": [{"cells": ["NT-01", "Học viên", "250", "281", "112,4%"], "bold": True},
                            {"cells": ["", "Trong đó: nữ", "", "4", ""], "level": 1}]}),
    ],
    "signer_title": "Giám đốc", "signer_name": "Nguyễn Văn A", "recipients": ["UBND tỉnh", "Lưu: VT"],
}


def test_tables_read_back():
    tables = report_docx.table_texts(report_docx.build(DOCUMENT))
    header, kpis, signature = tables
    assert header[0][0].split("\n") == ["UBND TỈNH NINH THUẬN", "CƠ SỞ CAI NGHIỆN MA TÚY TỈNH NINH THUẬN", "―――――",
                                        "Số: 12/BC-CSCN"]
    assert "Ninh Thuận, ngày 15 tháng 11 năm 2023" in header[0][1]
    assert kpis == [["Mã", "Chỉ tiêu", "Kế hoạch", "Kết quả", "Tỷ lệ"],
                    ["NT-01", "Học viên", "250", "281", "112,4%"],
                    ["", "Trong đó: nữ", "", "4", ""]]
    assert signature[0][1].startswith("GIÁM ĐỐC")
    assert "Nguyễn Văn A" in signature[0][1]


def test_layout_fonts_and_grid():
    doc = Document(io.BytesIO(report_docx.build(DOCUMENT)))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 13
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0
    assert round(section.left_margin.cm, 1) == 3.0
    assert doc.tables[1].style.name == "Table Grid", "bordered tables that open the same in Word and LibreOffice"
    texts = [paragraph.text for paragraph in doc.paragraphs]
    assert "BÁO CÁO" in texts
    assert "Dòng một" in texts and "Dòng hai" in texts
    # numbers aligned right, "of which" rows indented
    number_cell = doc.tables[1].rows[1].cells[3].paragraphs[0]
    assert number_cell.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert doc.tables[1].rows[2].cells[1].paragraphs[0].paragraph_format.left_indent.cm > 0
