from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import budget_math, procurement
from .procurement_rule import CONTEXTS, METHODS, PROCUREMENT_TYPES

OPEN_STATES = ("approved", "selecting", "contracted", "accepted")
PAYABLE_STATES = ("contracted", "accepted")
STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("selecting", "Selecting vendor"),
    ("contracted", "Contracted"),
    ("accepted", "Accepted"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]


class SocialSchemeProcurementPackage(models.Model):
    """A procurement package (Gói thầu) of a facility, from its plan to its closure.

    From approval until it is closed or cancelled the package holds an open commitment
    on its budget line: the estimate until contracted, then the contract amount, less
    what has been paid.
    """

    _name = "social.scheme.procurement.package"
    _description = "Procurement package"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.scheme.workflow.mixin"]
    _order = "date_planned desc, id desc"
    _frozen_fields = ("scheme_id", "budget_line_id", "unit_id", "procurement_type", "context",
                      "amount_estimate", "method", "date_planned", "method_justification", "fiscal_year")
    _contract_fields = ("vendor_id", "amount_contract", "contract_number", "contract_date")
    _manager_fields = ("override_reason",)

    # identity
    name = fields.Char(string="Package", required=True, tracking=True, size=512)
    scheme_id = fields.Many2one("social.scheme", required=True, index=True, tracking=True,
                                ondelete="restrict", domain="[('state', 'in', ('approved', 'in_progress'))]")
    budget_line_id = fields.Many2one(
        "social.scheme.budget.line", string="Budget line", required=True, index=True, tracking=True,
        ondelete="restrict", domain="[('scheme_id', '=', scheme_id)]",
    )
    unit_id = fields.Many2one("res.partner", required=True, index=True, tracking=True,
                              compute="_compute_unit_id", store=True, readonly=False, precompute=True,
                              help="The facility that buys: its head is the buyer of record.")
    procurement_type = fields.Selection(PROCUREMENT_TYPES, string="Procurement type", required=True,
                                        default="goods", tracking=True)
    context = fields.Selection(CONTEXTS, required=True, tracking=True, compute="_compute_context", store=True,
                               readonly=False, precompute=True,
                               help="Recurrent purchases from the recurrent budget, or a package within an "
                               "approved project (repairs of works count here).")
    date_planned = fields.Date(string="Planned date", required=True, tracking=True)
    fiscal_year = fields.Integer(
        compute="_compute_fiscal_year", store=True, readonly=False, precompute=True, tracking=True, index=True,
        help="The year whose money the package reserves: the planned date's year; the next one once a year-end "
             "closing carries the contract forward.",
    )
    currency_id = fields.Many2one(related="scheme_id.currency_id", store=True)
    company_id = fields.Many2one(related="scheme_id.company_id", store=True, index=True)

    # method
    amount_estimate = fields.Monetary(string="Estimate", tracking=True, help="Giá gói thầu.")
    rule_id = fields.Many2one("social.scheme.procurement.rule", string="Rule applied", compute="_compute_rule",
                              store=True, precompute=True, help="The threshold rule in force on the planned date that suggests "
                              "the method.")
    suggested_method = fields.Selection(METHODS, compute="_compute_rule", store=True, precompute=True)
    method = fields.Selection(METHODS, string="Selection method", tracking=True, compute="_compute_method",
                              store=True, readonly=False, precompute=True)
    method_rule_id = fields.Many2one("social.scheme.procurement.rule", string="Rule of the chosen method",
                                     compute="_compute_method_rule")
    method_limit = fields.Monetary(string="Limit of the chosen method", compute="_compute_method_rule")
    method_justification = fields.Text(tracking=True, help="Why another method than the suggested one.")
    override_reason = fields.Text(tracking=True, copy=False,
                                  help="A Manager's reason for allowing an estimate above the chosen method's "
                                  "limit, or a contract above the estimate.")

    # contract
    vendor_id = fields.Many2one("res.partner", tracking=True)
    amount_contract = fields.Monetary(string="Contract amount", tracking=True, copy=False)
    contract_number = fields.Char(tracking=True, copy=False, size=64)
    contract_date = fields.Date(tracking=True, copy=False)
    acceptance_date = fields.Date(tracking=True, copy=False)
    acceptance_attachment_ids = fields.Many2many("ir.attachment", string="Acceptance minutes", copy=False)

    # money
    commitment_id = fields.Many2one("social.scheme.commitment", readonly=True, copy=False,
                                    index=True)
    amount_commitment = fields.Monetary(string="Committed", compute="_compute_amount_commitment", store=True)
    disbursement_ids = fields.One2many("social.scheme.disbursement", "package_id", string="Payments")
    amount_paid = fields.Monetary(string="Paid", compute="_compute_amount_paid", store=True)
    amount_remaining = fields.Monetary(string="Contract remainder", compute="_compute_amount_paid", store=True)
    task_id = fields.Many2one("project.task", copy=False, index=True, readonly=True)

    state = fields.Selection(
        STATES,
        default="draft", required=True, tracking=True, copy=False, index=True,
    )

    # -------------------------------------------------------------- computes
    @api.depends("date_planned")
    def _compute_fiscal_year(self):
        for package in self:
            if package.date_planned and package.state == "draft":
                package.fiscal_year = package.date_planned.year

    @api.depends("scheme_id")
    def _compute_unit_id(self):
        for package in self:
            scheme = package.scheme_id
            if not package.unit_id or package.unit_id not in scheme.unit_ids:
                own = self.env.user.scheme_unit_ids & scheme.unit_ids
                package.unit_id = own[:1] or scheme.implementing_unit_id

    @api.depends("budget_line_id.category")
    def _compute_context(self):
        for package in self:
            package.context = "project" if package.budget_line_id.category == "repair" else "recurrent"

    @api.depends("date_planned", "procurement_type", "context", "amount_estimate")
    def _compute_rule(self):
        Rule = self.env["social.scheme.procurement.rule"]
        rules = Rule._rules_for_lookup()
        for package in self:
            found = None
            if package.date_planned and package.procurement_type and package.context:
                found = procurement.suggest(rules, package.date_planned, package.procurement_type,
                                            package.context, package.amount_estimate or 0.0)
            package.rule_id = Rule.browse(found["id"]) if found else Rule
            package.suggested_method = found["method"] if found else False

    @api.depends("suggested_method")
    def _compute_method(self):
        for package in self:
            if package.state in (False, "draft") and (not package.method or not package.method_justification):
                package.method = package.suggested_method

    @api.depends("method", "date_planned", "procurement_type", "context")
    def _compute_method_rule(self):
        Rule = self.env["social.scheme.procurement.rule"]
        rules = Rule._rules_for_lookup()
        for package in self:
            found = None
            if package.method and package.date_planned:
                found = procurement.best_rule(rules, package.method, package.date_planned,
                                              package.procurement_type, package.context)
            rule = Rule.browse(found["id"]) if found else Rule
            package.method_rule_id = rule
            package.method_limit = rule.amount_max

    @api.depends("commitment_id.amount", "commitment_id.state")
    def _compute_amount_commitment(self):
        for package in self:
            commitment = package.commitment_id
            package.amount_commitment = commitment.amount if commitment.state == "open" else 0.0

    @api.depends("amount_contract", "disbursement_ids.state", "disbursement_ids.amount", "disbursement_ids.kind")
    def _compute_amount_paid(self):
        paid = {
            package.id: amount for package, amount in self.env["social.scheme.disbursement"].sudo()._read_group(
                [("package_id", "in", self._origin.ids), ("state", "=", "posted"),
                 ("kind", "in", budget_math.SPENDING_KINDS)],
                ["package_id"], ["amount:sum"],
            )
        }
        for package in self:
            package.amount_paid = paid.get(package._origin.id, 0.0)
            package.amount_remaining = (package.amount_contract - package.amount_paid) if package.amount_contract \
                else 0.0

    # ----------------------------------------------------------- constraints
    @api.constrains("amount_estimate")
    def _check_estimate(self):
        for package in self:
            if package.currency_id.compare_amounts(package.amount_estimate, 0) <= 0:
                raise ValidationError(self.env._("The estimate of %(package)s must be a positive amount.",
                                                 package=package.display_name))

    @api.constrains("amount_contract")
    def _check_contract_amount(self):
        for package in self:
            if package.currency_id.compare_amounts(package.amount_contract, 0) < 0:
                raise ValidationError(self.env._("A contract amount cannot be negative."))

    @api.constrains("budget_line_id", "scheme_id")
    def _check_budget_line(self):
        for package in self:
            if package.budget_line_id.scheme_id != package.scheme_id:
                raise ValidationError(
                    self.env._("%(line)s is not a budget line of %(scheme)s.",
                               line=package.budget_line_id.display_name, scheme=package.scheme_id.display_name)
                )

    @api.constrains("unit_id", "scheme_id")
    def _check_unit(self):
        for package in self:
            if package.unit_id not in package.scheme_id.unit_ids:
                raise ValidationError(
                    self.env._("%(unit)s does not take part in %(scheme)s.",
                               unit=package.unit_id.display_name, scheme=package.scheme_id.display_name)
                )

    @api.constrains("date_planned", "scheme_id")
    def _check_date_planned(self):
        for package in self:
            scheme = package.scheme_id
            if not scheme.date_start <= package.date_planned <= scheme.date_end:
                raise ValidationError(
                    self.env._("The planned date of %(package)s lies outside the scheme's dates.",
                               package=package.display_name)
                )

    @api.constrains("contract_date", "acceptance_date")
    def _check_acceptance_date(self):
        for package in self:
            if package.acceptance_date and package.contract_date and package.acceptance_date < package.contract_date:
                raise ValidationError(
                    self.env._("%(package)s cannot be accepted before its contract was signed.",
                               package=package.display_name)
                )

    @api.constrains("fiscal_year", "scheme_id")
    def _check_fiscal_year(self):
        for package in self:
            # a contract's remainder may be carried into the year after the scheme's last
            package.scheme_id._check_year_within(package.fiscal_year, years_after=1)

    # ------------------------------------------------------------------ CRUD
    def _get_frozen_fields(self):
        if self.state == "draft":
            return ()
        frozen = self._frozen_fields
        if self.state not in ("approved", "selecting"):
            frozen += self._contract_fields
        return frozen

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        for package in self:
            if package.state != "draft":
                raise UserError(
                    self.env._("%(package)s has left the draft stage: cancel it instead of deleting it.",
                               package=package.display_name)
                )

    # ---------------------------------------------------------------- guards
    def _check_officer(self):
        self._check_group(
            ("social_scheme.group_officer", "social_scheme.group_manager"),
            self.env._("Only the unit's procurement officer, or a Manager, can do this."),
        )
        self._check_write_access()

    def _is_approver(self):
        """The unit head of the package's unit, or a Manager (acting for any unit)."""
        user = self.env.user
        if self.env.su or user.has_group("social_scheme.group_manager"):
            return True
        # active_test=False: comparing ids needs no read of the partners' active flag
        return user.has_group("social_scheme.group_unit_head") and \
            self.unit_id.id in user.with_context(active_test=False).scheme_unit_ids.ids

    def _check_scheme_running(self):
        for package in self:
            if package.scheme_id.state not in ("approved", "in_progress"):
                raise UserError(
                    self.env._("%(scheme)s is %(state)s: its packages cannot move on.",
                               scheme=package.scheme_id.display_name, state=package.scheme_id._state_label())
                )

    def _check_method(self):
        for package in self:
            if not package.method:
                raise UserError(self.env._("Choose the selection method of %(package)s.",
                                           package=package.display_name))
            if package.method != package.suggested_method and not package.method_justification:
                raise UserError(
                    self.env._(
                        "%(package)s uses another method than the one the rules suggest: explain why in the "
                        "justification.",
                        package=package.display_name,
                    )
                )
            limit = package.method_limit
            if limit and package.currency_id.compare_amounts(package.amount_estimate, limit) > 0 \
                    and not package.override_reason:
                raise UserError(
                    self.env._(
                        "The estimate of %(package)s (%(estimate)s) exceeds the limit of the chosen method "
                        "(%(limit)s, %(basis)s). Choose another method, or a Manager must override it with a "
                        "reason.",
                        package=package.display_name,
                        estimate=package._format_amount(package.amount_estimate),
                        limit=package._format_amount(limit),
                        basis=package.method_rule_id.legal_basis,
                    )
                )

    def _check_available(self):
        """An early, unlocked check of the package's year; approval repeats it under the line's lock."""
        for package in self:
            line = package.budget_line_id
            line._check_year_open(package.fiscal_year)
            available = line._year_available(package.fiscal_year)[line.id]
            if line.currency_id.compare_amounts(package.amount_estimate, available) > 0:
                raise UserError(
                    self.env._(
                        "The estimate of %(package)s (%(estimate)s) is above what %(line)s still has available "
                        "in %(year)s (%(available)s).",
                        package=package.display_name,
                        estimate=package._format_amount(package.amount_estimate),
                        line=line.display_name,
                        year=package.fiscal_year,
                        available=package._format_amount(available),
                    )
                )

    def _check_can_submit(self):
        self._check_state(("draft",), self.env._("submitted"))
        self._check_officer()
        self._check_scheme_running()
        self._check_method()
        self._check_available()

    def _check_can_approve(self):
        self._check_state(("submitted",), self.env._("approved"))
        for package in self:
            if not package._is_approver():
                raise UserError(
                    self.env._("Only the head of %(unit)s, or a Manager, can approve %(package)s.",
                               unit=package.unit_id.display_name, package=package.display_name)
                )
        self._check_write_access()
        self._check_scheme_running()
        # the method was checked at submission and is frozen since

    def _check_can_start_selection(self):
        self._check_state(("approved",), self.env._("put to selection"))
        self._check_officer()

    def _check_can_contract(self):
        self._check_state(("selecting",), self.env._("contracted"))
        self._check_officer()
        for package in self:
            missing = [package._fields[name]._description_string(self.env) for name in self._contract_fields
                       if not package[name]]
            if missing:
                raise UserError(
                    self.env._("Enter the contract data of %(package)s first: %(fields)s.",
                               package=package.display_name, fields=", ".join(missing))
                )
            if package.currency_id.compare_amounts(package.amount_contract, package.amount_estimate) > 0 \
                    and not package.override_reason:
                raise UserError(
                    self.env._(
                        "The contract of %(package)s (%(contract)s) is above its estimate (%(estimate)s): a "
                        "Manager must override it with a reason.",
                        package=package.display_name,
                        contract=package._format_amount(package.amount_contract),
                        estimate=package._format_amount(package.amount_estimate),
                    )
                )

    def _check_can_accept(self):
        self._check_state(("contracted",), self.env._("accepted"))
        self._check_officer()
        for package in self:
            if not package.acceptance_date or not package.acceptance_attachment_ids:
                raise UserError(
                    self.env._("Enter the acceptance date of %(package)s and attach the acceptance minutes.",
                               package=package.display_name)
                )

    def _check_can_close(self):
        self._check_state(("accepted",), self.env._("closed"))
        self._check_officer()
        for package in self:
            if package.disbursement_ids.filtered(lambda d: d.state == "draft"):
                raise UserError(self.env._("%(package)s has draft payments: post or cancel them first.",
                                           package=package.display_name))

    def _check_can_cancel(self):
        self._check_state(("draft", "submitted", "approved", "selecting", "contracted", "accepted"),
                          self.env._("cancelled"))
        for package in self:
            if package.state in ("draft", "submitted"):
                package._check_officer()
            elif not package._is_approver():
                raise UserError(
                    self.env._("Only the head of %(unit)s, or a Manager, can cancel an approved package.",
                               unit=package.unit_id.display_name)
                )
            if package.disbursement_ids.filtered(lambda d: d.state == "posted"):
                raise UserError(
                    self.env._("%(package)s has posted payments: cancel them before cancelling the package.",
                               package=package.display_name)
                )
        self._check_write_access()

    # --------------------------------------------------------------- actions
    def action_submit(self):
        self._check_can_submit()
        self._write_state({"state": "submitted"})
        self._request_approval()
        return True

    def action_approve(self):
        """Reserve the estimate on the budget line, under its lock."""
        self._check_can_approve()
        for package in self:
            commitment = package.budget_line_id._reserve(
                package.amount_estimate, self.env._("Package: %(name)s", name=package.name), package.fiscal_year,
                package,
            )
            package._write_state({"state": "approved", "commitment_id": commitment.id})
        self._close_approval("approved")
        return True

    def action_start_selection(self):
        self._check_can_start_selection()
        self._write_state({"state": "selecting"})
        self._schedule_minimum_times()
        return True

    def action_contract(self):
        """The reservation becomes the contract amount, under the line's lock."""
        self._check_can_contract()
        for package in self:
            line = package.budget_line_id
            line._lock_ledger()
            amount = package.amount_contract - package.amount_paid
            if package.commitment_id.state == "open":
                line._check_year_open(package.commitment_id.fiscal_year)
                package.commitment_id.sudo().write({"amount": amount})
                package._write_state({"state": "contracted"})
            else:
                # the reservation was cancelled at a year end: reserve again in the contract's year
                year = package.contract_date.year
                commitment = line._reserve(amount, package.commitment_id.name, year, package)
                package._write_state({"state": "contracted", "commitment_id": commitment.id, "fiscal_year": year})
            line._check_ledger()
        return True

    def action_accept(self):
        self._check_can_accept()
        self._write_state({"state": "accepted"})
        return True

    def action_close(self):
        self._check_can_close()
        self._release_commitments()
        self._write_state({"state": "closed"})
        return True

    def action_cancel(self):
        self._check_can_cancel()
        returned = self.filtered(lambda package: package.state == "submitted" and package._is_approver()
                                 and self.env.user != package.submitted_by_id)
        self._release_commitments()
        self._write_state({"state": "cancelled"})
        returned._close_approval("returned", self.env.context.get("social_scheme_reason"))
        (self - returned)._close_approval()
        return True

    # ------------------------------------------------------ business methods
    def _approvers(self):
        """The unit heads of the package's facility, or the Managers when it has none."""
        heads = self._group_users(self.env.ref("social_scheme.group_unit_head")).filtered(
            lambda user: self.unit_id in user.scheme_unit_ids
        )
        return heads or self._group_users(self.env.ref("social_scheme.group_manager"))

    def _release_commitments(self):
        for package in self.filtered("commitment_id"):
            commitment = package.commitment_id
            # only the package's own reservation, whatever its link says
            if commitment.state == "open" and commitment.package_id == package:
                commitment._release()

    def action_create_task(self):
        """Show the package in the scheme's project (kanban, deadlines) as a task."""
        self._check_officer()
        for package in self.filtered(lambda p: not p.task_id):
            if not package.scheme_id.project_id:
                raise UserError(self.env._("%(scheme)s has no project yet: it gets one when approved.",
                                           scheme=package.scheme_id.display_name))
            package.sudo().task_id = package._create_task()
        return True

    def _create_task(self):
        self.ensure_one()
        return self.env["project.task"].sudo().create({
            "name": self.name,
            "project_id": self.scheme_id.project_id.id,
            "date_deadline": self.date_planned,
            "scheme_unit_id": self.unit_id.id,
            "description": self.env._("Procurement package, estimate %(estimate)s.",
                                      estimate=self._format_amount(self.amount_estimate)),
        })

    def _schedule_minimum_times(self):
        labels = {
            "publication": self.env._("Publish the selection plan and invitation (within %(days)s working days)"),
            "bid_preparation": self.env._("Earliest bid closing: at least %(days)s days of bid preparation"),
            "quotation": self.env._("Earliest quotation closing: at least %(days)s working days"),
        }
        today = fields.Date.context_today(self)
        for package in self:
            for key, days, deadline in procurement.minimum_times(package.method, package.procurement_type,
                                                                  package.amount_estimate, today):
                package.activity_schedule(
                    "mail.mail_activity_data_todo", date_deadline=deadline,
                    summary=labels[key] % {"days": days}, user_id=self.env.user.id,
                )

    def _format_amount(self, amount):
        return self.scheme_id._format_amount(amount)
