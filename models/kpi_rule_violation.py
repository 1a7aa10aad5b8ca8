from odoo import api, fields, models

from .kpi_rule import IMPORTANCE_SELECTION, OPERATOR_SELECTION


class SocialSchemeKpiRuleViolation(models.TransientModel):
    """One row of the violation report: a rule broken by one unit's figures of one period.

    Rows are computed on demand (``action_open_report``) from the submitted and validated
    figures the user may read, one batch for all figures, and belong to that user; nobody
    writes them.
    """

    _name = "social.scheme.kpi.rule.violation"
    _description = "KPI validation rule violation"
    _inherit = ["social.scheme.guard.mixin"]
    _order = "date_to desc, scheme_id, unit_id, importance, rule_sequence, id"
    _system_fields = ("rule_id", "scheme_id", "unit_id", "date_from", "date_to", "period", "importance",
                      "rule_sequence", "left", "operator", "right", "left_value", "right_value", "message")

    rule_id = fields.Many2one("social.scheme.kpi.rule", required=True, ondelete="cascade")
    rule_sequence = fields.Integer()
    scheme_id = fields.Many2one("social.scheme", required=True, ondelete="cascade")
    unit_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    period = fields.Char()
    importance = fields.Selection(IMPORTANCE_SELECTION)
    left = fields.Char(string="Left side")
    operator = fields.Selection(OPERATOR_SELECTION)
    right = fields.Char(string="Right side")
    left_value = fields.Float(string="Left value")
    right_value = fields.Float(string="Right value")
    message = fields.Char()

    @api.model
    def action_open_report(self, scheme_ids=None):
        """Compute the report for ``scheme_ids`` (all schemes the user reads when empty) and open it."""
        schemes = self.env["social.scheme"].browse(scheme_ids) if scheme_ids else self.env["social.scheme"].search([])
        rows = self._compute_rows(schemes)
        action = self.env["ir.actions.act_window"]._for_xml_id("social_scheme.social_scheme_kpi_rule_violation_action")
        action["domain"] = [("id", "in", rows.ids)]
        if len(schemes) == 1:
            action["name"] = self.env._("Rule violations: %(scheme)s", scheme=schemes.display_name)
        return action

    @api.model
    def _compute_rows(self, schemes):
        """Replace the user's rows with the violations of ``schemes``' active rules.

        What the user may read decides what is checked (an officer: their units' figures).
        The query count does not grow with the number of figures.
        """
        self.sudo().search([("create_uid", "=", self.env.uid)]).unlink()
        rules = self.env["social.scheme.kpi.rule"].search([("scheme_id", "in", schemes.ids)])
        if not rules:
            return self.browse()
        figures = rules._rule_figures(rules.scheme_id, kpis=rules.kpi_ids)
        vals_list = []
        for rule, group, result in rules._violations(figures):
            figure = group[:1]
            vals_list.append({
                "rule_id": rule.id, "rule_sequence": rule.sequence, "scheme_id": rule.scheme_id.id,
                "unit_id": figure.unit_id.id, "date_from": figure.date_from, "date_to": figure.date_to,
                "period": rule._period_label(figure), "importance": rule.importance, "left": rule.left,
                "operator": rule.operator, "right": rule.right, "left_value": result.left,
                "right_value": result.right, "message": rule.message,
            })
        # under sudo because users never write rows; create_uid stays the user's
        return self.sudo().create(vals_list).sudo(False)

    @api.depends("rule_id", "unit_id", "period")
    def _compute_display_name(self):
        for row in self:
            row.display_name = " / ".join(filter(None, [row.rule_id.name, row.unit_id.name, row.period]))
