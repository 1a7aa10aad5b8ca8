from odoo import api, fields, models
from odoo.exceptions import ValidationError

METHODS = [
    ("head_decision", "Head's own decision (invoices only)"),
    ("direct_appointment", "Direct appointment"),
    ("shortened_direct_appointment", "Shortened direct appointment"),
    ("competitive_quotation", "Competitive quotation"),
    ("limited_bidding", "Limited bidding"),
    ("open_bidding", "Open bidding"),
    ("direct_procurement", "Direct procurement"),
    ("self_performance", "Self-performance"),
]
PROCUREMENT_TYPES = [
    ("goods", "Goods"),
    ("works", "Works"),
    ("consulting", "Consulting services"),
    ("non_consulting", "Non-consulting services"),
    ("mixed", "Mixed"),
]
CONTEXTS = [
    ("recurrent", "Recurrent purchases"),
    ("project", "Within an approved project"),
]


class SocialSchemeProcurementRule(models.Model):
    """A dated threshold: up to which estimate a selection method may be used.

    Shipped as data for 2022 onwards, edited by managers when the law changes.
    """

    _name = "social.scheme.procurement.rule"
    _description = "Procurement threshold rule"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "date_from desc, sequence, method, id"
    _rec_names_search = ["legal_basis"]

    name = fields.Char(compute="_compute_name")  # in the reader's language
    method = fields.Selection(METHODS, required=True, tracking=True)
    procurement_type = fields.Selection(PROCUREMENT_TYPES, string="Procurement type", tracking=True,
                                        help="Empty: every type.")
    context = fields.Selection(CONTEXTS, tracking=True, help="Empty: every context.")
    amount_max = fields.Monetary(string="Limit", tracking=True, help="Largest estimate allowed; 0 = unlimited.")
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.ref("base.VND", raise_if_not_found=False))
    date_from = fields.Date(string="In force from", required=True, tracking=True)
    date_to = fields.Date(string="In force until", tracking=True)
    legal_basis = fields.Char(required=True, tracking=True, size=256)
    note = fields.Text()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)

    @api.depends("method", "procurement_type", "context", "date_from")
    def _compute_name(self):
        methods = dict(self._fields["method"]._description_selection(self.env))
        types = dict(self._fields["procurement_type"]._description_selection(self.env))
        contexts = dict(self._fields["context"]._description_selection(self.env))
        for rule in self:
            scope = " / ".join(filter(None, [contexts.get(rule.context), types.get(rule.procurement_type)]))
            rule.name = f"{methods.get(rule.method, '')} ({scope or self.env._('all')})"

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for rule in self:
            if rule.date_to and rule.date_from > rule.date_to:
                raise ValidationError(self.env._("A rule cannot end before it comes into force."))

    @api.constrains("amount_max")
    def _check_amount(self):
        for rule in self:
            if rule.amount_max < 0:
                raise ValidationError(self.env._("A limit cannot be negative (0 means unlimited)."))

    @api.model
    def _rules_for_lookup(self):
        """Every active rule as the mappings tools.procurement reads: one query per compute."""
        return [
            {
                "id": rule.id, "method": rule.method, "procurement_type": rule.procurement_type,
                "context": rule.context, "amount_max": rule.amount_max, "date_from": rule.date_from,
                "date_to": rule.date_to, "sequence": rule.sequence,
            }
            for rule in self.sudo().search([])
        ]
