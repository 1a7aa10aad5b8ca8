"""What users may write, proved for every model of the addon and every role.

The fields come from ``fields_get`` (read-only ones) and each model's
``_system_fields``, and the models from the registry: a new field or model is
covered the day it is added, and a model without a fixture here fails.
"""

import base64

from odoo import Command
from odoo.exceptions import UserError
from odoo.models import MAGIC_COLUMNS
from odoo.tests import new_test_user, tagged

from .common import BN, SocialSchemeCase

ROLES = ("reviewer", "planner", "manager", "officer", "unit_head")
# Configuration read by every internal user: no unit owns it.
UNITLESS = {
    "social.scheme.budget.code": "the state-budget classification, configuration read by all",
    "social.scheme.kpi.disaggregation": "breakdown categories, configuration read by all",
    "social.scheme.procurement.rule": "the legal thresholds, configuration read by all",
    "social.scheme.year.calendar": "the year-end dates of the budget law, configuration read by all",
    "social.scheme.carry.category": "the carry-forward categories of the budget law, configuration read by all",
    "social.scheme.disclosure.form": "the public disclosure forms, configuration read by all",
    "social.scheme.due.rule": "when reports are due, configuration read by all",
}


def addon_models(env):
    return sorted(name for name, model in env.registry.items()
                  if name.startswith("social.scheme") and not model._abstract)


@tagged("post_install", "-at_install")
class TestWriteGuard(SocialSchemeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the other unit takes part: scheme-level records are its business, unit-owned ones not
        cls.scheme = cls._running_scheme(allocate=False, unit_ids=[Command.link(cls.other_unit.id)])
        cls.repair, cls.equipment = cls._lines(cls.scheme)
        cls._allocate(cls.repair, 5 * BN)
        cls._allocate(cls.equipment, 3 * BN)
        cls.draft = cls._create_scheme(code="G-DRAFT")
        cls.stranger = cls._officer_of_new_unit()
        cls.approved = cls._new_package(name="Gói đã duyệt")
        cls.approved.action_submit()
        cls.approved.with_user(cls.unit_head).action_approve()
        cls.revision = cls.env["social.scheme.revision"].with_user(cls.planner).create(
            {"scheme_id": cls.scheme.id, "reason": "x",
             "line_ids": [Command.create({"budget_line_id": cls.repair.id, "amount_new": 8 * BN})]}
        )
        cls.kpi = cls.env["social.scheme.kpi"].with_user(cls.planner).create(cls._kpi_vals())
        cls.project = cls.env["project.project"].create({"name": "Dự án khác"})
        cls.task = cls.env["project.task"].create({"name": "Việc khác", "project_id": cls.project.id})
        cls.env["res.company"].create({"name": "Công ty khác"})
        cls.closing = cls._create("social.scheme.year.closing")
        cls.closing.action_propose()
        cls.disclosure = cls._create("social.scheme.disclosure")
        cls.disclosure.action_update()
        cls.yearly_kpi = cls.env["social.scheme.kpi"].with_user(cls.planner).create(
            {**cls._kpi_vals(), "code": "G-Y", "report_frequency": "year"})
        cls.env["social.scheme.kpi"].with_user(cls.planner).create(
            {**cls._kpi_vals(), "code": "G-Q", "report_frequency": "quarter"})
        cls.period = cls.scheme.period_ids.filtered(lambda p: p.frequency == "year")
        cls.period_line = cls.period.unit_line_ids.filtered(lambda line: line.unit_id == cls.unit)
        cls.kpi_rule = cls._create("social.scheme.kpi.rule")
        cls.activity = cls.env["project.task"].with_user(cls.planner).create({
            "name": "Sửa chữa", "project_id": cls.scheme.project_id.id,
            "scheme_budget_ids": [Command.create({"budget_line_id": cls.repair.id, "amount_planned": 1})]})
        cls.handover = cls.env["social.scheme.handover"].with_user(cls.planner).create(
            {"scheme_id": cls.scheme.id, "role": "lead_agency", "date": "2025-03-01", "to_partner_id": cls.ubnd.id})
        cls.progress_report = cls.env["social.scheme.progress.report"].with_user(cls.planner).create(
            {"scheme_id": cls.scheme.id, "period_kind": "year", "year": 2022})
        records = {
            "social.scheme": cls.draft,
            "social.scheme.activity.budget": cls.activity.scheme_budget_ids,
            "social.scheme.handover": cls.handover,
            "social.scheme.progress.report": cls.progress_report,
            "social.scheme.progress.report.line": cls.progress_report.line_ids[:1],
            "social.scheme.budget.line": cls.repair,
            "social.scheme.allocation": cls.repair.allocation_ids,
            "social.scheme.commitment": cls.approved.commitment_id,
            "social.scheme.revision": cls.revision,
            "social.scheme.revision.line": cls.revision.line_ids,
            "social.scheme.disbursement": cls._create("social.scheme.disbursement"),
            "social.scheme.budget.code": cls.env.ref("social_scheme.budget_code_item_6900"),
            "social.scheme.kpi": cls.kpi,
            "social.scheme.kpi.disaggregation": cls.env["social.scheme.kpi.disaggregation"].search([], limit=1),
            "social.scheme.kpi.measurement": cls._create("social.scheme.kpi.measurement"),
            "social.scheme.kpi.rule": cls.kpi_rule,
            "social.scheme.kpi.rule.violation": cls.env["social.scheme.kpi.rule.violation"].sudo().create(
                cls._base_vals("social.scheme.kpi.rule.violation")),
            "social.scheme.procurement.package": cls._new_package(),
            "social.scheme.procurement.rule": cls.env["social.scheme.procurement.rule"].search([], limit=1),
            "social.scheme.report.wizard": cls._create("social.scheme.report.wizard"),
            "social.scheme.kpi.dashboard": cls._create("social.scheme.kpi.dashboard"),
            "social.scheme.due.rule": cls.env.ref("social_scheme.due_rule_quarter"),
            "social.scheme.period": cls.period,
            "social.scheme.period.unit": cls.period_line,
            "social.scheme.expected.report": cls.env["social.scheme.expected.report"].search(
                [("period_unit_id", "=", cls.period_line.id)]),
            "social.scheme.period.reopen": cls._create("social.scheme.period.reopen"),
            "social.scheme.kpi.import": cls._create("social.scheme.kpi.import"),
            "social.scheme.kpi.measurement.reject": cls._create("social.scheme.kpi.measurement.reject"),
            "social.scheme.reset.approval": cls._create("social.scheme.reset.approval"),
            "social.scheme.budget.year": cls.env["social.scheme.budget.year"].search(
                [("budget_line_id", "=", cls.repair.id)]),
            "social.scheme.year.closing": cls.closing,
            "social.scheme.year.closing.line": cls.closing.line_ids[:1],
            "social.scheme.year.calendar": cls.env.ref("social_scheme.year_calendar_adjustment_end_2026"),
            "social.scheme.carry.category": cls.env.ref("social_scheme.carry_category_other"),
            "social.scheme.disclosure": cls.disclosure,
            "social.scheme.disclosure.line": cls.disclosure.line_ids[:1],
            "social.scheme.disclosure.form": cls.env.ref("social_scheme.disclosure_form_h1"),
        }
        cls.records = {model: record.with_env(cls.env) for model, record in records.items()}

    # ------------------------------------------------------------ fixtures
    @classmethod
    def _officer_of_new_unit(cls):
        unit = cls.env["res.partner"].create({"name": "Cơ sở không tham gia", "is_company": True})
        return new_test_user(cls.env, login="t_stranger", groups="social_scheme.group_officer",
                             scheme_unit_ids=[Command.set(unit.ids)])

    @classmethod
    def _package_vals(cls):
        return {"name": "Thiết bị", "scheme_id": cls.scheme.id, "budget_line_id": cls.equipment.id,
                "procurement_type": "goods", "amount_estimate": 0.5 * BN, "date_planned": "2022-11-10"}

    @classmethod
    def _kpi_vals(cls):
        return {"scheme_id": cls.scheme.id, "code": "G-K", "name": "Tỷ lệ", "target_value": 50}

    @classmethod
    def _new_package(cls, **vals):
        return cls.env["social.scheme.procurement.package"].with_user(cls.officer).create(
            {**cls._package_vals(), **vals}
        )

    @classmethod
    def _base_vals(cls, model):
        return cls._creators()[model][1]

    @classmethod
    def _creators(cls):
        """(the role that creates such a record, valid create values) per model."""
        return {
            "social.scheme": ("planner", cls._scheme_vals(code="G-NEW")),
            "social.scheme.activity.budget": ("planner", {"task_id": getattr(cls, "activity", False) and cls.activity.id,
                                                          "budget_line_id": cls.equipment.id, "amount_planned": 1}),
            "social.scheme.handover": ("planner", {"scheme_id": cls.scheme.id, "role": "lead_agency",
                                                   "date": "2025-03-01", "to_partner_id": cls.vendor.id}),
            "social.scheme.progress.report": ("planner", {"scheme_id": cls.scheme.id, "period_kind": "half_year",
                                                          "year": 2022}),
            "social.scheme.progress.report.line": (None, {"report_id": getattr(cls, "progress_report", False)
                                                          and cls.progress_report.id,
                                                          "section": "kpi", "name": "x"}),
            "social.scheme.budget.line": ("planner", {"scheme_id": cls.draft.id, "name": "Tập huấn",
                                                      "amount_planned": 1}),
            "social.scheme.allocation": ("planner", {"budget_line_id": cls.repair.id, "fiscal_year": 2022,
                                                     "amount": 1, "date": "2022-03-01"}),
            "social.scheme.commitment": (None, {"budget_line_id": cls.repair.id, "amount": 1, "name": "x"}),
            "social.scheme.revision": ("planner", {"scheme_id": cls.scheme.id, "reason": "x"}),
            "social.scheme.revision.line": ("planner", {"revision_id": cls.revision.id,
                                                        "budget_line_id": cls.equipment.id, "amount_new": 1}),
            # the fields DESIGN.md names, no description: it defaults
            "social.scheme.disbursement": ("officer", {"budget_line_id": cls.repair.id, "amount": 1,
                                                       "date": "2022-11-15"}),
            "social.scheme.budget.code": ("manager", {"code": "G-1", "name": "x", "dimension": "item"}),
            "social.scheme.kpi": ("planner", {**cls._kpi_vals(), "code": "G-K2"}),
            "social.scheme.kpi.disaggregation": ("manager", {"name": "x", "code": "G-D"}),
            "social.scheme.kpi.measurement": ("officer", {"kpi_id": cls.kpi.id, "date_from": "2022-01-01",
                                                          "date_to": "2022-03-31", "numerator": 1,
                                                          "denominator": 2}),
            "social.scheme.kpi.rule": ("planner", {"scheme_id": cls.scheme.id, "name": "x", "left": "#{G-K}",
                                                   "operator": "<=", "right": "100"}),
            # report rows: computed by the code for their user, never created by users
            "social.scheme.kpi.rule.violation": (None, {
                "rule_id": getattr(cls, "kpi_rule", False) and cls.kpi_rule.id, "scheme_id": cls.scheme.id,
                "unit_id": cls.unit.id}),
            "social.scheme.procurement.package": ("officer", cls._package_vals()),
            "social.scheme.procurement.rule": ("manager", {"method": "direct_appointment", "amount_max": 1,
                                                           "date_from": "2030-01-01", "legal_basis": "x"}),
            "social.scheme.report.wizard": ("reviewer", {"report": "budget_execution"}),
            "social.scheme.kpi.dashboard": ("reviewer", {"scheme_id": cls.scheme.id}),
            "social.scheme.due.rule": ("manager", {"frequency": "year", "due_day": 10, "date_from": "2030-01-01",
                                                   "legal_basis": "x"}),
            "social.scheme.period": (None, {"scheme_id": cls.scheme.id, "frequency": "month",
                                            "date_from": "2022-05-01", "date_to": "2022-05-31"}),
            "social.scheme.period.unit": (None, {"period_id": getattr(cls, "period", False) and cls.period.id,
                                                 "unit_id": cls.other_unit.id}),
            "social.scheme.expected.report": (None, {}),
            "social.scheme.period.reopen": ("planner", {"reason": "x"}),
            "social.scheme.kpi.import": ("officer", {"period_id": getattr(cls, "period", False) and cls.period.id}),
            "social.scheme.kpi.measurement.reject": ("planner", {"reason": "x"}),
            "social.scheme.reset.approval": ("manager", {"reason": "x"}),
            "social.scheme.budget.year": (None, {}),
            "social.scheme.year.closing": ("manager", {"fiscal_year": 2022, "scheme_ids": [Command.set(cls.scheme.ids)]}),
            "social.scheme.year.closing.line": (None, {"closing_id": getattr(cls, "closing", False) and cls.closing.id,
                                                        "decision": "cancel"}),
            "social.scheme.year.calendar": ("manager", {"event": "reconciliation", "day": 10, "month": 2,
                                                        "year_offset": "1", "year_from": 2030, "legal_basis": "x"}),
            "social.scheme.carry.category": ("manager", {"name": "x", "code": "G-C", "kind": "other",
                                                         "legal_basis": "x"}),
            "social.scheme.disclosure": ("planner", {
                "form_id": cls.env.ref("social_scheme.disclosure_form_year").id, "fiscal_year": 2022,
                "unit_id": cls.unit.id, "scheme_ids": [Command.set(cls.scheme.ids)]}),
            "social.scheme.disclosure.line": (None, {"disclosure_id": getattr(cls, "disclosure", False) and cls.disclosure.id,
                                                     "name": "x",
                                                     "budget_line_id": cls.repair.id}),
            "social.scheme.disclosure.form": ("manager", {"name": "x", "kind": "q1", "days_after": 10,
                                                          "legal_basis": "x"}),
        }

    @classmethod
    def _create(cls, model):
        role, vals = cls._creators()[model]
        return cls.env[model].with_user(getattr(cls, role)).create(vals)

    def _system_fields(self, record):
        """Read-only fields as ``fields_get`` reports them, every ``state`` (workflow-set)
        and what the model's classes declare in ``_system_fields``."""
        described = record.fields_get(attributes=["readonly"])
        names = {name for name, attrs in described.items() if attrs.get("readonly")}
        # Odoo itself discards these on create and write
        names -= {*MAGIC_COLUMNS, "parent_path"}
        names |= {"state"} & set(described)
        names |= {name for cls in type(record).__mro__ for name in cls.__dict__.get("_system_fields", ())}
        return sorted(names)

    def _forged_value(self, record, name):
        field = record._fields[name]
        current = record[name]
        if field.type in ("float", "monetary"):
            return (current or 0.0) + 12345.0
        if field.type == "integer":
            return (current or 0) + 7
        if field.type in ("char", "text", "html"):
            return "forged"
        if field.type == "boolean":
            return not current
        if field.type == "date":
            return "2001-02-03"
        if field.type == "datetime":
            return "2001-02-03 04:05:06"
        if field.type == "binary":
            return base64.b64encode(b"forged")
        if field.type == "selection":
            return next(value for value in field.get_values(self.env) if value != current)
        if field.type in ("many2one", "many2many", "one2many"):
            other = self.env[field.comodel_name].sudo().search([("id", "not in", current.ids)], limit=1)
            self.assertTrue(other, f"no other {field.comodel_name} to forge {record._name}.{name} with")
            return other.id if field.type == "many2one" else [Command.link(other.id)]
        self.fail(f"{record._name}.{name}: teach the test to forge a {field.type} field")

    def _snapshot(self, record, names):
        record.invalidate_recordset()
        record = record.sudo()
        return {name: record._fields[name].convert_to_read(record[name], record, use_display_name=False)
                for name in names}

    # --------------------------------------------------------------- tests
    def test_every_model_has_a_fixture(self):
        missing = set(addon_models(self.env)) - set(self.records)
        self.assertFalse(missing, "add a record of each new model to TestWriteGuard.records and _creators")
        for model, record in self.records.items():
            self.assertTrue(record, model)

    def test_create_values_are_valid(self):
        """The refusals below come from the guard, not from values that could not be saved anyway."""
        for model, (role, _vals) in self._creators().items():
            if role:
                with self.subTest(model=model):
                    self.assertTrue(self._create(model))

    def test_nobody_writes_system_fields(self):
        for model, record in self.records.items():
            names = self._system_fields(record.sudo())
            self.assertTrue(names, model)
            before = self._snapshot(record, names)
            stored = {name: self._forged_value(record, name) for name in names if record._fields[name].store}
            for role in ROLES:
                as_user = record.with_user(getattr(self, role))
                may_write = as_user.has_access("write")
                for name in names:
                    # what a non-stored compute shows may depend on the user (e.g. "is follower")
                    value = stored[name] if name in stored else self._forged_value(as_user.sudo(), name)
                    with self.subTest(model=model, role=role, field=name), \
                            self.assertRaises(UserError) as catcher:
                        as_user.write({name: value})
                    if may_write:
                        label = record._fields[name]._description_string(self.env)
                        self.assertIn(label.lower(), str(catcher.exception).lower(), f"{role} {model}.{name}")
            self.assertEqual(self._snapshot(record, [n for n in names if n in stored]),
                             {n: v for n, v in before.items() if n in stored}, model)

    def test_nobody_creates_with_system_fields(self):
        for model, (_owner, vals) in self._creators().items():
            record = self.records[model].sudo()
            Model = self.env[model].sudo().with_context(active_test=False)
            count = Model.search_count([])
            names = self._system_fields(record)
            forged = {name: self._forged_value(record, name) for name in names}
            for role in ROLES:
                as_user = self.env[model].with_user(getattr(self, role))
                may_create = as_user.has_access("create")
                for name in names:
                    with self.subTest(model=model, role=role, field=name), \
                            self.assertRaises(UserError) as catcher:
                        as_user.create({**vals, name: forged[name]})
                    if may_create:
                        label = record._fields[name]._description_string(self.env)
                        self.assertIn(label.lower(), str(catcher.exception).lower(), f"{role} {model}.{name}")
            self.assertEqual(Model.search_count([]), count, model)

    def test_context_defaults_do_not_set_system_fields(self):
        payment = self.env["social.scheme.disbursement"].with_user(self.officer).with_context(
            default_scheme_id=self.draft.id, default_currency_id=self.env.ref("base.USD").id,
        ).create(self._base_vals("social.scheme.disbursement"))
        self.assertEqual(payment.scheme_id, self.scheme)
        self.assertEqual(payment.currency_id, self.vnd)

    def test_officers_reach_only_their_units_records(self):
        """Every model an officer can read is filtered by the unit of the record itself."""
        for model in addon_models(self.env):
            if self.env[model]._transient:
                continue  # Odoo shows a wizard to its creator only
            record = self.records[model]
            with self.subTest(model=model):
                Model = self.env[model]
                if not Model.with_user(self.officer).has_access("read"):
                    continue
                if model in UNITLESS:
                    self.assertNotIn("unit_id", Model._fields, f"{model} has a unit: give it an officer rule")
                    continue
                self.assertTrue(
                    {"unit_id", "unit_ids", "scheme_id"} & set(Model._fields),
                    f"{model}: officers read it, but it has no unit; add a rule or list it in UNITLESS",
                )
                own = Model.with_user(self.officer).search([("id", "=", record.id)])
                self.assertEqual(own, record.with_user(self.officer), f"the officer of {model}'s unit reads it")
                self.assertFalse(Model.with_user(self.stranger).search([("id", "=", record.id)]),
                                 f"an officer of a unit outside the scheme reads {model}")
                if "unit_id" in Model._fields:
                    self.assertEqual(record.unit_id, self.unit)
                    self.assertFalse(Model.with_user(self.other_officer).search([("id", "=", record.id)]),
                                     f"another participating unit's officer reads {model}")
