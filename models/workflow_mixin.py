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

        One chatter message per decision, whatever the number of approvers, with the
        state change tracked in it (instead of a second message at commit); the to-dos
        are kept as done (the activity type keeps done ones) rather than each marked done
        with its own message. Without a decision (the submitter withdrew it) they are removed.
        """
        # the approver does not become a follower of what they decide on: a Manager decides on
        # hundreds of records and would receive all their messages (and it costs 4 queries each)
        records = self.sudo().with_context(mail_create_nosubscribe=True)
        todos = records.activity_search([APPROVAL_ACTIVITY])
        if not decision:
            todos.unlink()
            return
        # the submitters and the author (names, languages, partners) in one read each
        (records.submitted_by_id | records.env.user).partner_id.mapped("lang")
        for record in records:
            submitter = record.submitted_by_id
            env = record.with_context(lang=submitter.lang or self.env.user.lang).env
            if decision == "approved":
                body = env._("%(user)s approved %(record)s.", user=self.env.user.name, record=record.display_name)
            else:
                body = env._("%(user)s returned %(record)s: %(reason)s", user=self.env.user.name,
                             record=record.display_name, reason=reason or env._("no reason given"))
            tracking = record._tracking_so_far()
            # a message with tracking values is a notification for the chatter (as Odoo's own)
            message = {"body": body, "message_type": "notification" if tracking else "comment",
                       "tracking_value_ids": tracking}
            if submitter and submitter != self.env.user:
                # the e-mail's subject given at once (mailing would write it on the message)
                message.update(partner_ids=submitter.partner_id.ids, subtype_xmlid="mail.mt_comment",
                               subject=record._message_compute_subject())
            else:
                message.update(subtype_xmlid="mail.mt_note")
            record._post_as_user(**message)
        # archived, not unlinked: unlinking empties the whole cache, which the commit would read again
        todos.action_archive()

    def _tracking_so_far(self):
        """The tracking values of this transaction's changes, for a message posted now.

        They are taken out of the tracking message Odoo writes at commit; a later change
        in the same transaction is tracked at commit as usual.
        """
        initial = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {}).pop(self.id, None)
        if not initial:
            return []
        tracked = self.fields_get(list(initial), attributes=("string", "type", "selection", "currency_field"))
        return self._mail_track(tracked, initial)[1]

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
