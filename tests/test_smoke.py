from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSmoke(TransactionCase):
    def test_installed(self):
        module = self.env["ir.module.module"].search([("name", "=", "social_scheme")])
        self.assertEqual(module.state, "installed")
