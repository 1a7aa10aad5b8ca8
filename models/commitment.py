from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SocialSchemeCommitment(models.Model):
    """An internal reservation of budget (Cam kết chi) — the only place reservations live.

    Written by code under ``sudo()`` after its own checks (procurement approval,
    contract, payment); users only read it. Not the State Treasury's registration.
    """

    _name = "social.scheme.commitment"
    _description = "Budget commitment"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "id desc"
    _system_fields = ("state",)

    name = fields.Char(string="Origin", required=True, size=1024)
    budget_line_id = fields.Many2one(
        "social.scheme.budget.line", string="Budget line", required=True, ondelete="restrict", index=True
    )
    # precomputed: written by the INSERT itself, not by an UPDATE at flush
    scheme_id = fields.Many2one(related="budget_line_id.scheme_id", store=True, index=True, precompute=True)
    package_id = fields.Many2one("social.scheme.procurement.package", index=True,
                                 ondelete="restrict", readonly=True)
    # officers see the reservations of their own units only (record rule)
    unit_id = fields.Many2one("res.partner", compute="_compute_unit_id", store=True,
                              precompute=True, index=True)
    amount = fields.Monetary(string="Open amount", tracking=True,
                             help="What is still reserved: the estimate, then the contract, less what is paid.")
    fiscal_year = fields.Integer(required=True, index=True,
                                 help="The year whose money this reservation holds.")
    carried_from_id = fields.Many2one("social.scheme.commitment", string="Carried forward from", readonly=True,
                                      ondelete="restrict")
    state = fields.Selection(
        [("open", "Open"), ("released", "Released"), ("consumed", "Consumed"),
         ("carried", "Carried forward")],
        default="open", required=True, tracking=True, index=True,
    )
    currency_id = fields.Many2one(related="budget_line_id.currency_id", store=True, precompute=True)
    company_id = fields.Many2one(related="budget_line_id.company_id", store=True, index=True, precompute=True)

    @api.depends("package_id.unit_id", "budget_line_id.scheme_id.implementing_unit_id")
    def _compute_unit_id(self):
        for commitment in self:
            commitment.unit_id = commitment.package_id.unit_id or \
                commitment.budget_line_id.scheme_id.implementing_unit_id

    @api.constrains("amount")
    def _check_amount(self):
        for commitment in self:
            if commitment.currency_id.compare_amounts(commitment.amount, 0) < 0:
                raise ValidationError(self.env._("A commitment cannot be negative."))

    # No group may create or write commitments (see ir.model.access.csv): the
    # workflow methods below run under sudo after their own checks.

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Commitments are never deleted: they are released or consumed."))

    def _release(self):
        """Give back what is still reserved."""
        self.sudo().write({"state": "released"})
        return True

    def _restore(self, amount):
        """Give a cancelled payment's amount back to the reservation it consumed."""
        for commitment in self.sudo():
            commitment.write({"amount": commitment.amount + amount, "state": "open"})
        return True

    def _consume(self, amount):
        """Turn ``amount`` of the reservation into spending (a payment was posted)."""
        for commitment in self.sudo():
            remaining = commitment.amount - amount
            if commitment.currency_id.compare_amounts(remaining, 0) < 0:
                raise UserError(
                    self.env._(
                        "The payment exceeds what remains reserved for %(origin)s.", origin=commitment.name
                    )
                )
            commitment.write({"amount": remaining, "state": "consumed" if commitment.currency_id.is_zero(remaining)
                              else "open"})
        return True
