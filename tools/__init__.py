"""Pure helpers of social_scheme: no ``odoo`` import, unit-tested with pytest."""
