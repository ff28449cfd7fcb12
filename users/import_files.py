""" "Gebruikers importeren": reading the uploaded file, CSV or Excel's XLSX, into rows of text cells.

The columns are the export's, found by their header in any of the portal's languages (an exported file
can be read back; its other columns, Naam, Voornaam, Type..., are ignored): INSZ, E-mailadres, Lokaal
e-mailadres, Taalkeuze, Beveiligde toepassingen. CSV: UTF-8 with or without BOM, ";" or "," (csv's
Sniffer on the header line). XLSX: openpyxl in read-only mode, formulas read as their text and never
computed. A file is refused whole, with one Dutch message, when it is too big, too long, of another
kind, or misses a column; what is wrong with one row is the dry run's business (users.imports).
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accessportal.services import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
MAX_CELL = 1000  # longer cells are cut: no value of a row is valid at this length anyway
MAX_UNZIPPED = 50 * 1024 * 1024  # an XLSX of 2 MB that unpacks to more is not a list of users
FIELD = "file"

# The columns, in the export's and the template's order; the key names the row's value.
COLUMNS = {
    "insz": gettext_lazy("INSZ"),
    "email": gettext_lazy("E-mailadres"),
    "local_email": gettext_lazy("Lokaal e-mailadres"),
    "language": gettext_lazy("Taalkeuze"),
    "applications": gettext_lazy("Beveiligde toepassingen"),
}
REQUIRED = ("insz", "email", "applications")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .xls


@dataclass
class FileRow:
    line: int  # as the person sees it in the file: the header is line 1
    cells: dict  # column key -> text


def _normalised(header) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").strip().rstrip("*").split()).casefold()


def _header_names() -> dict:
    """Every language's name of every column -> its key."""
    from django.conf import settings

    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.update({_normalised(str(label)): key for key, label in COLUMNS.items()})
    return names


def _columns(header: list) -> dict:
    """The position of each known column; refuses a header without the required ones."""
    names = _header_names()
    positions = {}
    for index, cell in enumerate(header[:MAX_COLUMNS]):
        key = names.get(_normalised(cell))
        if key and key not in positions:
            positions[key] = index
    missing = [str(COLUMNS[key]) for key in REQUIRED if key not in positions]
    if missing:
        raise ServiceError(
            _(
                "De eerste regel van het bestand moet de namen van de kolommen bevatten; "
                "deze ontbreken: %(columns)s. Gebruik het sjabloon."
            )
            % {"columns": ", ".join(missing)},
            field=FIELD,
            code="columns",
        )
    return positions


def _text(value, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and key == "insz":
        return str(value).zfill(11)  # Excel keeps an INSZ typed as a number without its leading 0
    return str(value).strip()[:MAX_CELL]


def _rows(lines, positions: dict) -> list[FileRow]:
    rows = []
    for line, values in lines:
        values = list(values[:MAX_COLUMNS])
        cells = {
            key: _text(values[index] if index < len(values) else None, key)
            for key, index in positions.items()
        }
        if not any(cells.values()):
            continue  # an empty line, as spreadsheets leave at the end
        if len(rows) == MAX_ROWS:
            raise ServiceError(
                _("Het bestand telt meer dan %(count)s gebruikers. Verdeel het over meerdere bestanden.")
                % {"count": MAX_ROWS},
                field=FIELD,
                code="too_many_rows",
            )
        rows.append(FileRow(line, cells))
    if not rows:
        raise ServiceError(
            _("Het bestand bevat geen gebruikers: enkel de namen van de kolommen."), field=FIELD, code="empty"
        )
    return rows


def _csv_rows(content: bytes) -> list[FileRow]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            _(
                'Dit bestand is niet in UTF-8 opgeslagen. Bewaar het als "CSV UTF-8" of als Excel-werkmap (.xlsx).'
            ),
            field=FIELD,
            code="encoding",
        ) from None
    if "\x00" in text:
        raise ServiceError(_("Kies een CSV- of Excel-bestand (.csv of .xlsx)."), field=FIELD, code="kind")
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=";,")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        positions = _columns(header)
        return _rows(((reader.line_num, values) for values in reader), positions)
    except csv.Error:
        raise ServiceError(
            _("Dit CSV-bestand kan niet gelezen worden. Gebruik het sjabloon."), field=FIELD, code="csv"
        ) from None


def _xlsx_rows(content: bytes) -> list[FileRow]:
    from openpyxl import load_workbook

    unreadable = ServiceError(
        _("Dit Excel-bestand kan niet gelezen worden. Bewaar het opnieuw als Excel-werkmap (.xlsx)."),
        field=FIELD,
        code="xlsx",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                raise unreadable
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ServiceError:
        raise
    except Exception:  # openpyxl raises what zipfile, lxml or its own reader raise
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        lines = enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1)
        _line, header = next(lines, (1, ()))
        return _rows(lines, _columns(list(header)))
    except ServiceError:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def import_file_read(upload) -> tuple[bytes, list[FileRow]]:
    """The file's content and its rows; a ServiceError on the field "file" for a file that cannot be
    imported at all."""
    if upload.size > MAX_BYTES:
        raise ServiceError(file_too_big_message(), field=FIELD, code="too_big")
    content = upload.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ServiceError(file_too_big_message(), field=FIELD, code="too_big")
    if content.startswith(XLSX_MAGIC):
        return content, _xlsx_rows(content)
    if content.startswith(OLE_MAGIC):
        raise ServiceError(
            _(
                "Oude Excel-bestanden (.xls) worden niet gelezen. Bewaar het bestand als Excel-werkmap (.xlsx)."
            ),
            field=FIELD,
            code="xls",
        )
    return content, _csv_rows(content)


def file_too_big_message() -> str:
    return _("Het bestand is te groot: hoogstens %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}


# --- The templates ----------------------------------------------------------------------------------


def template_header() -> list[str]:
    return [str(label) for label in COLUMNS.values()]


def template_csv() -> bytes:
    """The CSV template: the header, UTF-8 with a BOM and ";" as a Belgian Excel writes it."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(template_header())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The XLSX template: the header in bold; the INSZ column as text, so that Excel keeps its leading 0."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Gebruikers"))[:31]
    sheet.append(template_header())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (18, 32, 32, 12, 50), strict=True):
        sheet.column_dimensions[column].width = width
    for row in range(2, 1002):
        sheet.cell(row=row, column=1).number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
