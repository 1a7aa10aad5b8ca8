from odoo import models
from odoo.tools import formataddr


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        """Workflow messages and to-dos of users without an e-mail address get a sender.

        mail refuses (outside sudo) or sends without sender (under sudo: the mail then
        fails) when the author has no address; on the addon's models the author stays
        the user and the address falls back to the company's, the server's default
        sender, or OdooBot's.
        """
        if not getattr(self, "_social_scheme_sender_fallback", False):
            return super()._message_compute_author(author_id, email_from, raise_on_email)
        author_id, email_from = super()._message_compute_author(author_id, email_from, raise_on_email=False)
        if not email_from:
            author = self.env["res.partner"].browse(author_id) if author_id else self.env.user.partner_id
            address = self.env.company.email or self.env["ir.mail_server"]._get_default_from_address() \
                or self.env.ref("base.partner_root").email
            email_from = formataddr((author.name or "", address)) if address else False
        return author_id, email_from
