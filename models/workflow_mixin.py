from odoo import fields, models
from odoo.exceptions import UserError

APPROVAL_ACTIVITY = "social_scheme.mail_activity_type_approval"


class SocialSchemeWorkflowMixin(models.AbstractModel):
    """Guards shared by every model with a ``state`` workflow and money.

    Transitions are ``action_*`` methods that call ``_check_can_*`` guards and then
    write through ``_write_state`` (under ``sudo()``, after the guard checked the
    user's access). Users never write ``state`` (a system field of the guard mixin)
    or frozen money fields directly, whatever the context: that is what keeps RPC
    clients on the guarded path.
    """

    _name = "social.scheme.workflow.mixin"
    _description = "Social scheme workflow guards"
    _inherit = ["social.scheme.guard.mixin"]

    # the state moves only through the transitions (action_*)
    _system_fields = ("state",)

    submitted_by_id = fields.Many2one("res.users", string="Submitted by", readonly=True, copy=False)

    # Fields a user may not write once the record has left ``_editable_states``.
    _frozen_fields = ()
    _editable_states = ("draft",)

    # ---------------------------------------------------------------- guards
    def _state_label(self, state=None):
        selection = dict(self._fields["state"]._description_selection(self.env))
        return selection.get(state or self.state, state or self.state)

    def _check_state(self, states, action):
        """Refuse ``action`` (already translated) unless every record is in ``states``."""
        for record in self:
            if record.state not in states:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s, so it cannot be %(action)s.",
                        record=record.display_name,
                        state=record._state_label(),
                        action=action,
                    )
                )

    def _check_group(self, group_xmlids, message):
        """Refuse unless the user belongs to one of ``group_xmlids``."""
        if self.env.su:
            return
        if not any(self.env.user.has_group(xmlid) for xmlid in group_xmlids):
            raise UserError(message)

    def _check_write_access(self):
        """Transitions write under sudo: check first that the user may write."""
        if not self.env.su:
            self.check_access("write")

    def _write_state(self, vals):
        """Write a transition's values after its guard passed."""
        return self.sudo().write(vals)

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        if not self.env.su:
            for record in self:
                frozen = set(vals) & set(record._get_frozen_fields())
                changed = [name for name in frozen if record._differs(name, vals[name])]
                if changed:
                    raise UserError(record._frozen_message(changed))
        return super().write(vals)

    def _guard_system_message(self, names):
        if "state" in names:
            return self.env._("%(field)s changes only through the workflow buttons (submit, approve, …).",
                              field=self._guard_labels(["state"]))
        return super()._guard_system_message(names)

    # ------------------------------------------------------------- approvals
    def _approvers(self):
        """Users who may approve this record (one record): each gets an approval to-do."""
        return self.env["res.users"]

    @staticmethod
    def _group_users(group):
        return group.users.filtered(lambda user: user.active and not user.share)

    def _request_approval(self):
        """After a submission: remember the submitter, give each approver a to-do."""
        for record in self.sudo():
            record.submitted_by_id = self.env.user
            for user in record._approvers():
                summary = record.with_context(lang=user.lang).env._(
                    "To approve: %(record)s", record=record.display_name
                )
                record.activity_schedule(APPROVAL_ACTIVITY, user_id=user.id, summary=summary)

    def _close_approval(self, decision=None, reason=None):
        """Close the approval to-dos; tell the submitter the ``decision`` (approved / returned).

        One chatter message per decision, whatever the number of approvers: their
        to-dos are removed rather than each marked done with its own message.
        Without a decision (the submitter withdrew it) the to-dos are simply removed.
        """
        # the approver does not become a follower of what they decide on: a Manager decides on
        # hundreds of records and would receive all their messages (and it costs 4 queries each)
        for record in self.sudo().with_context(mail_create_nosubscribe=True):
            record.activity_unlink([APPROVAL_ACTIVITY])
            if not decision:
                continue
            submitter = record.submitted_by_id
            env = record.with_context(lang=submitter.lang or self.env.user.lang).env
            if decision == "approved":
                body = env._("%(user)s approved %(record)s.", user=self.env.user.name, record=record.display_name)
            else:
                body = env._("%(user)s returned %(record)s: %(reason)s", user=self.env.user.name,
                             record=record.display_name, reason=reason or env._("no reason given"))
            if submitter and submitter != self.env.user:
                record._post_as_user(body=body, partner_ids=submitter.partner_id.ids,
                                     message_type="comment", subtype_xmlid="mail.mt_comment")
            else:
                record._post_as_user(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def _post_as_user(self, **kwargs):
        """Post as the current user, whatever their access to the record (see mail_thread.py
        for users without an e-mail address)."""
        return self.sudo().message_post(author_id=self.env.user.partner_id.id, **kwargs)

    def _get_frozen_fields(self):
        """Fields this record's state no longer lets a user change."""
        return () if self.state in self._editable_states else self._frozen_fields

    def _frozen_message(self, field_names):
        labels = ", ".join(self._fields[name]._description_string(self.env) for name in field_names)
        return self.env._(
            "%(record)s is %(state)s: %(fields)s can no longer be changed.",
            record=self.display_name,
            state=self._state_label(),
            fields=labels,
        )
