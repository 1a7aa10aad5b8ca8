import math

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tools import ormcache

# Amounts are VND with 0 decimals: 10^15 is far above any provincial budget and
# stays exact in a float; PostgreSQL's integer column holds ±2^31.
MAX_AMOUNT = 10**15
MAX_INTEGER = 2**31 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100  # fiscal years the application accepts
MANAGER_GROUP = "social_scheme.group_manager"
# Odoo itself discards these in create and write
ODOO_DISCARDED = frozenset([*MAGIC_COLUMNS, "parent_path"])


class SocialSchemeGuardMixin(models.AbstractModel):
    """What users may write: one rule, in one place, for every model of the addon.

    Every model of the addon inherits this mixin (the workflow mixin does too).
    When the environment is not ``sudo()``, ``create`` and ``write`` refuse:

    - *system fields*, set by code only (``_get_system_fields``): every field Odoo
      reports as read-only (stored computes and roll-ups without ``readonly=False``,
      related fields, fields declared ``readonly=True`` such as ``submitted_by_id``)
      plus the names a model lists in ``_system_fields`` (editable-looking fields
      that only code sets). On create any value is refused; on write a value equal
      to the current one is dropped, a different one refused (``AccessError``).
    - ``_manager_fields``: only a Manager sets them, on create as on write.

    A create may carry a system field's default value (forms send the initial
    ``state``); ``default_<name>`` context keys and duplicates never set them.

    After a user's write to a relational field, the record rules are checked again
    (Odoo checks them only before a write), so a record cannot be moved to a unit
    or scheme its user may not touch. Whoever writes, values are checked: numbers
    finite and below ``MAX_AMOUNT``, whole where the field has no decimals, known
    selection values, ``Char`` within ``size``.

    Workflow steps and internal code set system fields under ``sudo()`` after their
    own guards; ``self.env.su`` bypasses the access part (not the value checks).
    A new model: ``_inherit = [..., "social.scheme.guard.mixin"]``, mark computed
    or code-set fields read-only, list the rest in ``_system_fields``.
    """

    _name = "social.scheme.guard.mixin"
    _description = "Social scheme write guards"

    # Fields only code sets, beyond those Odoo reports as read-only; the names that
    # each class (mixin, model, extension) declares add up.
    _system_fields = ()
    # Fields only a Manager may set (create) or change (write); they add up too.
    _manager_fields = ()
    # Chatter messages of users without e-mail get a sender (models/mail_thread.py).
    _social_scheme_sender_fallback = True

    @api.model
    @ormcache()
    def _get_system_fields(self):
        """Names of the fields users may not write (see the class docstring)."""
        return self._guard_declared("_system_fields") | frozenset(
            name for name, field in self._fields.items() if field.readonly and name not in ODOO_DISCARDED
        )

    @api.model
    @ormcache()
    def _get_manager_fields(self):
        return self._guard_declared("_manager_fields")

    @api.model
    def _guard_declared(self, attribute):
        """The names every class of the model declares in ``attribute``: they add up."""
        return frozenset(name for cls in type(self).__mro__ for name in cls.__dict__.get(attribute, ()))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._guard_check_values(vals)
            if not self.env.su:
                self._guard_check_create(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._guard_check_values(vals)
        if self.env.su:
            return super().write(vals)
        vals = self._guard_check_write(vals)
        res = super().write(vals)
        if any(self._fields[name].relational for name in vals if name in self._fields):
            # the rules are checked before a write: check the record's new unit / scheme too
            self.check_access("write")
        return res

    @api.model
    def default_get(self, fields_list):
        # ``default_<name>`` in the context is the client's choice: derived fields ignore it
        # (smart buttons pass the scheme), a field the code gives a default refuses another value
        defaults = super().default_get(fields_list)
        if not self.env.su:
            for name in self._get_system_fields() & set(defaults):
                if f"default_{name}" not in self.env.context:
                    continue
                field = self._fields[name]
                if not field.default:
                    del defaults[name]
                elif not self._is_default(name, defaults[name]):
                    raise AccessError(self._guard_system_message([name]))
        return defaults

    def copy_data(self, default=None):
        # a duplicate gets its system fields from the code again, not from the original
        vals_list = super().copy_data(default=default)
        if not self.env.su:
            dropped = self._get_system_fields() - set(default or ())
            vals_list = [{name: value for name, value in vals.items() if name not in dropped} for vals in vals_list]
        return vals_list

    # ---------------------------------------------------------------- checks
    def _guard_check_create(self, vals):
        # the default is what the code would set anyway (forms send the initial state)
        forged = [name for name in vals if name in self._get_system_fields() and not self._is_default(name, vals[name])]
        if forged:
            raise AccessError(self._guard_system_message(forged))
        self._guard_check_manager([name for name in self._get_manager_fields() if vals.get(name)])

    def _guard_check_write(self, vals):
        """Refuse changed system fields; return ``vals`` without the unchanged ones."""
        system = self._get_system_fields() & set(vals)
        if system:
            changed = [name for name in system if any(record._differs(name, vals[name]) for record in self)]
            if changed:
                raise AccessError(self._guard_system_message(changed))
            vals = {name: value for name, value in vals.items() if name not in system}
        managed = [name for name in self._get_manager_fields() if name in vals]
        if managed:
            self._guard_check_manager(
                [name for name in managed if any(record._differs(name, vals[name]) for record in self)]
            )
        return vals

    def _guard_check_manager(self, names):
        if names and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Manager can set %(fields)s.", fields=self._guard_labels(names)))

    def _guard_check_values(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value is None or value is False:
                continue
            if field.type in ("float", "monetary", "integer"):
                self._guard_check_number(field, value)
            elif field.type == "selection" and not field.related and not field.compute:
                if value not in field.get_values(self.env):
                    raise ValidationError(
                        self.env._("%(value)s is not a valid choice for %(field)s.",
                                   value=str(value)[:50], field=self._guard_labels([name]))
                    )
            elif field.type in ("date", "datetime") and isinstance(value, str):
                try:
                    field.convert_to_cache(value, self)
                except ValueError:
                    raise ValidationError(
                        self.env._("%(value)s is not a valid date for %(field)s.",
                                   value=value[:50], field=self._guard_labels([name]))
                    ) from None
            elif field.type == "many2one" and isinstance(value, int) and not 0 < value <= MAX_INTEGER:
                raise ValidationError(
                    self.env._("%(value)s is not a valid record for %(field)s.",
                               value=value, field=self._guard_labels([name]))
                )
            elif field.type == "char" and field.size and isinstance(value, str) and len(value) > field.size:
                raise ValidationError(
                    self.env._("%(field)s is too long: at most %(size)s characters.",
                               field=self._guard_labels([name]), size=field.size)
                )

    def _guard_check_number(self, field, value):
        limit = MAX_INTEGER if field.type == "integer" else MAX_AMOUNT
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if not math.isfinite(number) or abs(number) >= limit:
            # no f-string inside the call: babel's extractor would skip the messages after it
            limit_text = format(limit, ",")
            raise ValidationError(
                self.env._("%(field)s must be a finite number smaller than %(limit)s in absolute value.",
                           field=self._guard_labels([field.name]), limit=limit_text)
            )
        digits = field.get_digits(self.env) if field.type == "float" else None
        if digits and digits[1] == 0 and number != round(number):
            # a field shown without decimals (counts of people) would round the value silently
            raise ValidationError(
                self.env._("%(field)s is a whole number: %(value)s has decimals.",
                           field=self._guard_labels([field.name]), value=str(value)[:30])
            )

    def _check_fiscal_years(self, name="fiscal_year", optional=False):
        """A fiscal year field holds a plausible calendar year (an empty one passes when ``optional``)."""
        for record in self:
            year = record[name]
            if (year or not optional) and not MIN_YEAR <= year <= MAX_YEAR:
                raise ValidationError(self.env._("%(year)s is not a valid fiscal year.", year=year))

    # ------------------------------------------------------------------ misc
    def _differs(self, name, value):
        """Whether writing ``value`` to ``name`` would change this record."""
        # compared as stored: the user may not read every record a relation holds
        record = self.sudo()
        field = self._fields[name]
        try:
            new = field.convert_to_record(field.convert_to_cache(value, record), record)
        except (TypeError, ValueError):
            return True
        return new != record[name]

    def _is_default(self, name, value):
        field = self._fields[name]
        if not field.default or field.type in ("one2many", "many2many"):
            return False
        try:
            return field.convert_to_cache(value, self) == field.convert_to_cache(field.default(self), self)
        except (TypeError, ValueError):
            return False

    def _guard_labels(self, names):
        return ", ".join(self._fields[name]._description_string(self.env) for name in names)

    def _guard_system_message(self, names):
        return self.env._(
            "%(fields)s of %(model)s are set by the application, not by users.",
            fields=self._guard_labels(names), model=self._description,
        )
