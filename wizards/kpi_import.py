import base64
import io
import zipfile

import openpyxl
import xlsxwriter
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

MAX_SIZE_PARAM = "social_scheme.import_max_size_mb"
DEFAULT_MAX_SIZE_MB = 5
# visible columns, then the codes the import reads (hidden)
VISIBLE = 6
CODE_COLUMNS = ("unit_id", "kpi_code", "breakdown_code")
HEADER_ROW = 4  # 0-based: title, period, note, blank, header


class SocialSchemeKpiImport(models.TransientModel):
    """A period's figures from a spreadsheet: a pre-filled XLSX template down, the filled one up.

    The upload is checked as a whole (file, unit, period lock, codes, numbers, numerator ≤
    denominator, blocking rules) before anything is written; then every row is written and
    submitted, or none. A row equal to the figure already submitted changes nothing, so
    importing the same file twice is harmless.
    """

    _name = "social.scheme.kpi.import"
    _description = "Import KPI figures"
    _inherit = ["social.scheme.guard.mixin"]

    period_id = fields.Many2one("social.scheme.period", string="Reporting period", required=True,
                                domain="[('scheme_id.state', 'in', ('approved', 'in_progress'))]")
    scheme_id = fields.Many2one(related="period_id.scheme_id")
    unit_id = fields.Many2one("res.partner", help="Empty: every unit of the scheme you report for.")
    template_data = fields.Binary(string="Template", readonly=True, attachment=False)
    template_name = fields.Char(readonly=True)
    file_data = fields.Binary(string="Filled file", attachment=False)
    file_name = fields.Char()
    result_html = fields.Html(string="Result", readonly=True, sanitize=False)
    state = fields.Selection([("draft", "Draft"), ("failed", "Refused"), ("done", "Imported")], default="draft",
                             readonly=True)

    # ------------------------------------------------------------ template
    def _units(self):
        """The units the user reports for in this period's scheme."""
        scheme = self.period_id.scheme_id
        units = scheme.unit_ids
        user = self.env.user
        if not user.has_group("social_scheme.group_manager"):
            units &= user.scheme_unit_ids
        if self.unit_id:
            units &= self.unit_id
        return units

    def _kpis(self):
        return self.period_id.scheme_id.kpi_ids.filtered(
            lambda k: k.frequency == self.period_id.frequency).sorted(lambda k: (k.sequence, k.code, k.id))

    def action_download_template(self):
        self.ensure_one()
        units = self._units()
        if not units:
            raise UserError(self.env._("You report for no unit of %(scheme)s.", scheme=self.scheme_id.display_name))
        _ = self.env._
        existing = {
            (m.unit_id.id, m.kpi_id.id, m.disaggregation_id.id): m
            for m in self.env["social.scheme.kpi.measurement"].search([
                ("period_id", "=", self.period_id.id), ("unit_id", "in", units.ids),
                ("state", "in", ("draft", "submitted", "validated", "rejected")),
            ], order="id")
        }
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True, "font_name": "Times New Roman"})
        header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                                      "font_name": "Times New Roman"})
        text = workbook.add_format({"border": 1, "font_name": "Times New Roman", "text_wrap": True})
        number = workbook.add_format({"border": 1, "font_name": "Times New Roman", "num_format": "#,##0",
                                      "locked": False, "bg_color": "#FFF2CC"})
        sheet = workbook.add_worksheet(_("Figures")[:31])
        sheet.write(0, 0, f"{self.scheme_id.code} — {self.scheme_id.name}", bold)
        sheet.write(1, 0, _("Reporting period: %(period)s (%(start)s – %(end)s), due %(due)s",
                            period=self.period_id.display_name, start=self.period_id.date_from.strftime("%d/%m/%Y"),
                            end=self.period_id.date_to.strftime("%d/%m/%Y"),
                            due=self.period_id.date_due.strftime("%d/%m/%Y") if self.period_id.date_due else "–"))
        sheet.write(2, 0, _("Type whole numbers in the yellow cells only (no formula); leave a row empty when "
                            "you have no figure. Do not change the hidden columns."))
        columns = [(_("Unit"), 30), (_("Indicator"), 60), (_("Breakdown"), 26), (_("Numerator"), 12),
                   (_("Denominator"), 12), (_("Value"), 12)]
        for col, (title, width) in enumerate(columns):
            sheet.write(HEADER_ROW, col, title, header)
            sheet.set_column(col, col, width)
        for offset, name in enumerate(CODE_COLUMNS):
            sheet.write(HEADER_ROW, VISIBLE + offset, name)
        sheet.set_column(VISIBLE, VISIBLE + len(CODE_COLUMNS) - 1, None, None, {"hidden": True})
        row = HEADER_ROW + 1
        for unit in units:
            for kpi in self._kpis():
                for breakdown in kpi.disaggregation_ids or [self.env["social.scheme.kpi.disaggregation"]]:
                    figure = existing.get((unit.id, kpi.id, breakdown.id))
                    sheet.write(row, 0, unit.display_name, text)
                    sheet.write(row, 1, kpi.display_name, text)
                    sheet.write(row, 2, breakdown.name or "", text)
                    ratio = kpi.is_rate
                    for col, field, used in ((3, "numerator", ratio), (4, "denominator", ratio and not kpi.parent_id),
                                             (5, "value", not ratio)):
                        if not used:
                            sheet.write_blank(row, col, None, text)
                        elif figure:
                            sheet.write_number(row, col, figure[field], number)
                        else:
                            sheet.write_blank(row, col, None, number)
                    sheet.write_number(row, VISIBLE, unit.id)
                    sheet.write(row, VISIBLE + 1, kpi.code)
                    sheet.write(row, VISIBLE + 2, breakdown.code or "")
                    row += 1
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        workbook.close()
        self.sudo().write({  # the template is the application's, not the user's
            "template_data": base64.b64encode(output.getvalue()),
            "template_name": f"{self.scheme_id.code}_{self.period_id.date_from:%Y%m%d}_{self.period_id.frequency}.xlsx",
        })
        return self._download("template_data", "template_name")

    def _download(self, field, name_field):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content?model={self._name}&id={self.id}&field={field}&filename_field={name_field}"
                   f"&download=true",
            "target": "self",
        }

    # -------------------------------------------------------------- import
    @api.model
    def _max_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_SIZE_PARAM)
        try:
            return max(int(value), 1) if value else DEFAULT_MAX_SIZE_MB
        except ValueError:
            return DEFAULT_MAX_SIZE_MB

    def _read_rows(self):
        """[(row number, unit id, kpi code, breakdown code, numerator, denominator, value)] or a UserError."""
        _ = self.env._
        if not self.file_data:
            raise UserError(_("Choose the filled file first."))
        data = base64.b64decode(self.file_data)
        if len(data) > self._max_size() * 1024 * 1024:
            raise UserError(_("The file is larger than %(size)s MB, the limit set in the settings.",
                              size=self._max_size()))
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise UserError(_("%(name)s is not an Excel workbook (.xlsx): download the template and fill it.",
                              name=self.file_name or _("The file")))
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception:  # openpyxl raises many kinds of errors on broken files
            raise UserError(_("%(name)s could not be read as an Excel workbook (.xlsx).",
                              name=self.file_name or _("The file"))) from None
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(min_row=HEADER_ROW + 2, values_only=True), HEADER_ROW + 2):
            cells = list(cells) + [None] * (VISIBLE + len(CODE_COLUMNS) - len(cells))
            if all(cell in (None, "") for cell in cells):
                continue
            rows.append((number, cells[VISIBLE], cells[VISIBLE + 1], cells[VISIBLE + 2], *cells[3:6]))
        workbook.close()
        if not rows:
            raise UserError(_("The file has no row of figures: is it the template of this period?"))
        return rows

    def _number(self, value, errors, row, label):
        _ = self.env._
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.startswith("="):
            errors.append((row, _("%(column)s holds a formula (%(formula)s): type the figure itself.",
                                  column=label, formula=value[:40])))
            return None
        try:
            number = float(str(value).replace(".", "").replace(",", ".")) if isinstance(value, str) else float(value)
        except ValueError:
            errors.append((row, _("%(column)s: “%(value)s” is not a number.", column=label, value=str(value)[:40])))
            return None
        if number < 0 or number != round(number):
            errors.append((row, _("%(column)s: %(value)s is not a whole number of people or cases.",
                                  column=label, value=value)))
            return None
        return number

    def _check_rows(self, rows):
        """Every problem of every row, and the figures to write: ``(errors, figures)``."""
        _ = self.env._
        errors, figures, seen = [], [], set()
        period = self.period_id
        units = self._units()
        kpis = {kpi.code: kpi for kpi in self._kpis()}
        all_codes = set(period.scheme_id.kpi_ids.mapped("code"))
        lines = {line.unit_id.id: line for line in period.unit_line_ids}
        today = self.env["social.scheme.period.unit"]._today()
        for row, unit_id, code, breakdown_code, numerator, denominator, value in rows:
            kpi = kpis.get(code)
            if kpi is None:
                if code in all_codes:
                    message = _("%(code)s is not reported for periods like %(period)s: use its own template.",
                                code=code, period=period.display_name)
                else:
                    message = _("Unknown indicator code “%(code)s” in %(scheme)s.", code=code or "",
                                scheme=period.scheme_id.code)
                errors.append((row, message))
                continue
            try:
                unit = self.env["res.partner"].browse(int(unit_id)) if unit_id else None
            except (TypeError, ValueError):
                unit = None
            if unit is None or unit not in period.scheme_id.unit_ids:
                errors.append((row, _("The unit of this row does not take part in %(scheme)s.",
                                      scheme=period.scheme_id.display_name)))
                continue
            if unit not in units:
                errors.append((row, _("You do not report for %(unit)s.", unit=unit.display_name)))
                continue
            line = lines.get(unit.id)
            if line and line._frozen_on(today):
                errors.append((row, _("%(period)s is frozen for %(unit)s.", period=period.display_name,
                                      unit=unit.display_name)))
                continue
            breakdown = kpi.disaggregation_ids.filtered(lambda d, c=breakdown_code: d.code == (c or ""))
            if bool(breakdown_code) != bool(breakdown) or (kpi.disaggregation_ids and not breakdown):
                errors.append((row, _("Unknown breakdown “%(code)s” for %(kpi)s.", code=breakdown_code or "",
                                      kpi=kpi.display_name)))
                continue
            key = (unit.id, kpi.id, breakdown.id)
            if key in seen:
                errors.append((row, _("%(kpi)s appears twice for the same unit and breakdown.", kpi=kpi.code)))
                continue
            seen.add(key)
            count = len(errors)
            vals = {"numerator": self._number(numerator, errors, row, _("Numerator")),
                    "denominator": self._number(denominator, errors, row, _("Denominator")),
                    "value": self._number(value, errors, row, _("Value"))}
            if len(errors) > count:
                continue
            if kpi.is_rate:
                vals.pop("value")
                if kpi.parent_id:
                    vals.pop("denominator")  # the parent's numerator, set at submission
                if vals["numerator"] is None and vals.get("denominator") is None:
                    continue
                if None in vals.values():
                    errors.append((row, _("%(kpi)s needs both its numerator and its denominator.", kpi=kpi.code)))
                    continue
                if not kpi.parent_id and vals["numerator"] > vals["denominator"]:
                    errors.append((row, _("%(kpi)s: the numerator (%(numerator)s) exceeds the denominator "
                                          "(%(denominator)s).", kpi=kpi.code, numerator=int(vals["numerator"]),
                                          denominator=int(vals["denominator"]))))
                    continue
            else:
                vals = {"value": vals["value"]}
                if vals["value"] is None:
                    continue
            figures.append((row, unit, kpi, breakdown, vals))
        return errors, figures

    def action_import(self):
        self.ensure_one()
        errors, figures = self._check_rows(self._read_rows())
        Measurement = self.env["social.scheme.kpi.measurement"]
        existing = {
            (m.unit_id.id, m.kpi_id.id, m.disaggregation_id.id): m
            for m in Measurement.search([
                ("period_id", "=", self.period_id.id), ("unit_id", "in", [f[1].id for f in figures]),
                ("kpi_id", "in", [f[2].id for f in figures]), ("state", "!=", "validated"),
            ], order="id")
        }
        validated = {
            (m.unit_id.id, m.kpi_id.id, m.disaggregation_id.id): m
            for m in Measurement.search([
                ("period_id", "=", self.period_id.id), ("unit_id", "in", [f[1].id for f in figures]),
                ("state", "=", "validated"),
            ])
        }
        to_create, to_update, to_submit, unchanged = [], [], Measurement, 0
        for row, unit, kpi, breakdown, vals in figures:
            key = (unit.id, kpi.id, breakdown.id)
            done = validated.get(key) or existing.get(key)
            if done and all(done[name] == amount for name, amount in vals.items()) \
                    and done.state in ("submitted", "validated"):
                unchanged += 1
                continue
            if key in validated:
                errors.append((row, self.env._("%(kpi)s is already validated for %(unit)s with other figures: ask "
                                               "a planner to reopen it.", kpi=kpi.code, unit=unit.display_name)))
                continue
            figure = existing.get(key)
            if figure and figure.state == "submitted":
                errors.append((row, self.env._("%(kpi)s was submitted with other figures and awaits the "
                                               "Department: ask it to return it first.", kpi=kpi.code)))
                continue
            if figure:
                to_update.append((figure, vals))
            else:
                to_create.append({"kpi_id": kpi.id, "unit_id": unit.id, "disaggregation_id": breakdown.id,
                                  "period_id": self.period_id.id, **vals})
        if not errors:
            try:
                with self.env.cr.savepoint():
                    for figure, vals in to_update:
                        figure.write(vals)
                        to_submit |= figure
                    to_submit |= Measurement.create(to_create)
                    # parents first: an 'of which' ratio takes its parent's numerator
                    to_submit = to_submit.sorted(lambda m: len(m.kpi_id.parent_path or ""))
                    if to_submit:
                        to_submit.action_submit()
            except UserError as error:
                errors.append((0, str(error)))
        if errors:
            self.sudo().write({"state": "failed", "result_html": self._errors_html(errors)})
        else:
            self.sudo().write({"state": "done", "result_html": Markup("<p>%s</p>") % self.env._(
                "%(new)s figure(s) imported and submitted, %(same)s unchanged.",
                new=len(to_submit), same=unchanged)})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Import figures")}

    def _errors_html(self, errors):
        rows = Markup("").join(
            Markup("<tr><td class='text-end'>%s</td><td>%s</td></tr>") % (row or "–", escape(message))
            for row, message in sorted(errors, key=lambda e: e[0]))
        title = self.env._("Nothing was imported: correct these rows and upload the file again.")
        return Markup("<p class='text-danger'><strong>%s</strong></p><table class='table table-sm'>"
                      "<thead><tr><th>%s</th><th>%s</th></tr></thead><tbody>%s</tbody></table>") % (
            title, self.env._("Row"), self.env._("Problem"), rows)
