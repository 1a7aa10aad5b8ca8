"""The scheme totals are no longer stored (summed from the lines when read): drop their columns."""

from odoo.tools import SQL

COLUMNS = ("amount_planned", "amount_allocated", "amount_committed", "amount_spent", "amount_available",
           "disbursement_rate")


def migrate(cr, version):
    for column in COLUMNS:
        cr.execute(SQL("ALTER TABLE social_scheme DROP COLUMN IF EXISTS %s", SQL.identifier(column)))
