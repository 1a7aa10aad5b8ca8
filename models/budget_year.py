from odoo import api, fields, models
from odoo.tools import SQL


class SocialSchemeBudgetYear(models.Model):
    """A budget line's money in one fiscal year — an SQL view over the ledger records.

    available = opening + allocated − committed − spent − cancelled − carried out. The
    view holds no data of its own: nothing can drift from the allocations, commitments,
    payments and closings it sums, and a per-year read is one query. Writers lock the
    budget line row (``_lock_ledger``), which covers every year of the line.
    """

    _name = "social.scheme.budget.year"
    _description = "Budget line per fiscal year"
    _inherit = ["social.scheme.guard.mixin"]
    _auto = False
    _order = "fiscal_year desc, scheme_id, budget_line_id"
    _rec_name = "fiscal_year"

    budget_line_id = fields.Many2one("social.scheme.budget.line", string="Budget line", readonly=True)
    scheme_id = fields.Many2one("social.scheme", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    category = fields.Selection(related="budget_line_id.category")
    budget_code_id = fields.Many2one(related="budget_line_id.budget_code_id")
    fiscal_year = fields.Integer(readonly=True, aggregator=None)
    amount_opening = fields.Monetary(string="Opening (carried in)", readonly=True)
    amount_allocated = fields.Monetary(string="Allocated this year", readonly=True)
    amount_usable = fields.Monetary(string="Total usable", readonly=True)
    amount_committed = fields.Monetary(string="Committed", readonly=True)
    amount_spent = fields.Monetary(string="Spent", readonly=True)
    amount_cancelled = fields.Monetary(string="Cancelled", readonly=True)
    amount_carried_out = fields.Monetary(string="Carried forward", readonly=True)
    amount_available = fields.Monetary(string="Available", readonly=True)
    amount_advance_open = fields.Monetary(string="Open advances", readonly=True)
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], readonly=True)

    @api.depends("budget_line_id", "fiscal_year")
    def _compute_display_name(self):
        for year in self:
            year.display_name = f"{year.budget_line_id.display_name} / {year.fiscal_year}"

    @property
    def _table_query(self):
        return self._view_query()

    @api.model
    def _view_query(self, line_ids=None):
        """The view's query, narrowed to ``line_ids`` in every branch when given."""
        where = SQL("budget_line_id IN %s", tuple(line_ids)) if line_ids else SQL("TRUE")
        # the lines too: otherwise the join hashes every line of the database
        line_where = SQL("l.id IN %s", tuple(line_ids)) if line_ids else SQL("TRUE")
        return SQL(
            """
            SELECT m.budget_line_id::bigint * 10000 + m.fiscal_year AS id,
                   m.budget_line_id, l.scheme_id, l.company_id, l.currency_id, m.fiscal_year,
                   SUM(m.opening) AS amount_opening,
                   SUM(m.allocated) AS amount_allocated,
                   SUM(m.opening + m.allocated) AS amount_usable,
                   SUM(m.committed) AS amount_committed,
                   SUM(m.spent) AS amount_spent,
                   SUM(m.cancelled) AS amount_cancelled,
                   SUM(m.carried_out) AS amount_carried_out,
                   SUM(m.opening + m.allocated - m.committed - m.spent - m.cancelled - m.carried_out)
                       AS amount_available,
                   SUM(m.advance) AS amount_advance_open,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM social_scheme_year_closing c
                         JOIN social_scheme_year_closing_scheme_rel r ON r.closing_id = c.id
                        WHERE c.state = 'done' AND c.fiscal_year = m.fiscal_year AND r.scheme_id = l.scheme_id
                   ) THEN 'closed' ELSE 'open' END AS state
              FROM (
                SELECT budget_line_id, fiscal_year, 0 AS opening, amount AS allocated, 0 AS committed,
                       0 AS spent, 0 AS cancelled, 0 AS carried_out, 0 AS advance
                  FROM social_scheme_allocation WHERE %(where)s
                UNION ALL
                SELECT budget_line_id, fiscal_year, 0, 0, amount, 0, 0, 0, 0
                  FROM social_scheme_commitment WHERE state = 'open' AND %(where)s
                UNION ALL
                SELECT budget_line_id, fiscal_year, 0, 0, 0,
                       CASE WHEN kind IN ('advance', 'payment') THEN amount ELSE 0 END, 0, 0,
                       CASE kind WHEN 'advance' THEN amount WHEN 'advance_settlement' THEN -amount ELSE 0 END
                  FROM social_scheme_disbursement WHERE state = 'posted' AND %(where)s
                UNION ALL
                SELECT budget_line_id, fiscal_year, 0, 0, 0, 0,
                       CASE WHEN decision = 'cancel' THEN amount ELSE 0 END,
                       CASE WHEN decision = 'carry_forward' THEN amount ELSE 0 END, 0
                  FROM social_scheme_year_closing_line
                 WHERE state = 'done' AND decision IN ('cancel', 'carry_forward') AND %(where)s
                UNION ALL
                SELECT budget_line_id, fiscal_year + 1, amount, 0, 0, 0, 0, 0, 0
                  FROM social_scheme_year_closing_line
                 WHERE state = 'done' AND decision = 'carry_forward' AND %(where)s
              ) m
              JOIN social_scheme_budget_line l ON l.id = m.budget_line_id
             WHERE %(line_where)s
             GROUP BY m.budget_line_id, l.scheme_id, l.company_id, l.currency_id, m.fiscal_year
            """,
            where=where, line_where=line_where,
        )

    @api.model
    def _figures(self, lines):
        """``{(line_id, fiscal_year): {field: amount, "state": …}}`` for ``lines``, fresh from the database."""
        if not lines:
            return {}
        for model, fnames in (
            ("social.scheme.allocation", ["budget_line_id", "fiscal_year", "amount"]),
            ("social.scheme.commitment", ["budget_line_id", "fiscal_year", "amount", "state"]),
            ("social.scheme.disbursement", ["budget_line_id", "fiscal_year", "amount", "state", "kind"]),
            ("social.scheme.year.closing.line", ["budget_line_id", "fiscal_year", "amount", "state", "decision"]),
            ("social.scheme.year.closing", ["state", "fiscal_year", "scheme_ids"]),
        ):
            self.env[model].flush_model(fnames)
        columns = ("amount_opening", "amount_allocated", "amount_committed", "amount_spent", "amount_cancelled",
                   "amount_carried_out", "amount_available", "amount_advance_open", "state")
        rows = self.env.execute_query_dict(SQL(
            "SELECT budget_line_id, fiscal_year, %s FROM (%s) v",
            SQL(", ").join(SQL.identifier(c) for c in columns), self._view_query(lines.ids),
        ))
        return {(row.pop("budget_line_id"), row.pop("fiscal_year")): row for row in rows}
