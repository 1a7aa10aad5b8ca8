from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

ROLES = [("lead_agency", "Lead agency"), ("implementing_unit", "Implementing unit")]
ROLE_FIELDS = {"lead_agency": "lead_agency_id", "implementing_unit": "implementing_unit_id"}


class SocialSchemeHandover(models.Model):
    """A scheme handed to a successor agency or unit on a date (mergers, renamings, the 2025 reorganisation).

    The record keeps who had the role before and the names both had that day, so a report
    dated before the handover prints the names of its own time. Recorded once, never edited.
    """

    _name = "social.scheme.handover"
    _description = "Scheme handover to a successor"
    _inherit = ["mail.thread", "social.scheme.guard.mixin"]
    _order = "scheme_id, date desc, id desc"
    _system_fields = ("from_partner_id", "from_name", "to_name")

    scheme_id = fields.Many2one("social.scheme", required=True, index=True, ondelete="cascade")
    role = fields.Selection(ROLES, required=True, default="lead_agency")
    date = fields.Date(string="Handover date", required=True, default=fields.Date.context_today)
    from_partner_id = fields.Many2one("res.partner", string="Predecessor", ondelete="restrict")
    from_name = fields.Char(string="Predecessor's name then", size=512)
    to_partner_id = fields.Many2one("res.partner", string="Successor", required=True, ondelete="restrict")
    to_name = fields.Char(string="Successor's name then", size=512)
    decision_number = fields.Char(size=64, help="The decision that merged, renamed or transferred the agency.")
    reason = fields.Text()
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)

    @api.depends("scheme_id", "role", "to_partner_id", "date")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for handover in self:
            handover.display_name = f"{roles.get(handover.role, '')} → {handover.to_name or handover.to_partner_id.name or ''}"

    @api.model_create_multi
    def create(self, vals_list):
        handovers = super().create(vals_list)
        for handover in handovers:
            handover._apply()
        return handovers

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("A handover is kept as recorded: record a new one to correct it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("A handover is part of the scheme's history and cannot be deleted."))

    def _apply(self):
        """Record the predecessor and hand the scheme over (the user may write the scheme)."""
        self.ensure_one()
        scheme = self.scheme_id
        scheme.check_access("write")
        field = ROLE_FIELDS[self.role]
        current = scheme[field]
        if current == self.to_partner_id:
            raise ValidationError(self.env._("%(scheme)s already has %(partner)s as its %(role)s.",
                                             scheme=scheme.display_name, partner=current.display_name,
                                             role=dict(self._fields["role"]._description_selection(self.env))[self.role]))
        later = self.search_count([("scheme_id", "=", scheme.id), ("role", "=", self.role), ("id", "!=", self.id),
                                   ("date", ">", self.date)])
        if later:
            raise ValidationError(self.env._("A later handover of this role is already recorded: handovers are "
                                             "recorded in date order."))
        self.sudo().write({"from_partner_id": current.id, "from_name": current.name or "",
                           "to_name": self.to_partner_id.name})
        values = {field: self.to_partner_id.id}
        if self.role == "implementing_unit":
            values["unit_ids"] = [Command.link(self.to_partner_id.id)]  # the predecessor stays a participant
        scheme.sudo().write(values)
        scheme._post_as_user(
            body=self.env._("%(scheme)s handed over from %(old)s to %(new)s on %(date)s.",
                            scheme=scheme.display_name, old=current.name or "–", new=self.to_partner_id.name,
                            date=self.date.strftime("%d/%m/%Y")),
            message_type="comment", subtype_xmlid="mail.mt_note")
