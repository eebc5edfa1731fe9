# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The client card: client fields, Russian requisites, messengers, normalised phone, duplicates.

Field choices (native first):
- INN is the native ``vat`` (Odoo's Tax ID is the INN in Russia; indexed, synced to contacts);
  OGRN / OGRNIP is the native ``company_registry``; KPP, director and legal address are new
  commercial fields. They are validated as Russian requisites when the partner's country is
  Russia, or it has none and its company's country (else the current company's) is Russia, or
  neither is known and the value is digits only.
- Bank accounts are native ``res.partner.bank``; BIK is the bank's native ``bic``.
- Delivery addresses are native child contacts of type "delivery"; the actual address is the
  partner's native address.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, LazyTranslate

from ..lib import handles, phones, requisites

_lt = LazyTranslate(__name__)

PRIORITIES = [("0", "Normal"), ("1", "Good"), ("2", "Very Good"), ("3", "Excellent")]
CONSENT_SOURCES = [
    ("web_form", "Website form"),
    ("phone", "Phone call"),
    ("messenger", "Messenger"),
    ("email", "E-mail"),
    ("paper", "Signed paper form"),
    ("import", "Import"),
    ("other", "Other"),
]
# Writing one of these may make a partner a duplicate of another, or stop it being one.
DUPLICATE_TRIGGERS = {"phone", "email", "vat", "country_id", "parent_id", "active"}
REQUISITE_FIELDS = {"vat": requisites.INN, "kpp": requisites.KPP, "company_registry": requisites.OGRN}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "linear.duplicate.mixin", "linear.import.mixin"]
    _linear_merge_wizard = "base.partner.merge.automatic.wizard"
    _linear_merge_title = _lt("Merge Contacts")

    # e-mail lookups and duplicate checks compare email_normalized exactly: index it
    email_normalized = fields.Char(index="btree_not_null")
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The phone in international E.164 form (+79161234567), used to find the client from any "
        "spelling of the number. Empty when the phone cannot be recognised.",
    )
    phone_lookup = fields.Char(
        string="Phone (any format)",
        compute="_compute_phone_lookup",
        search="_search_phone_lookup",
        help="Search by phone typed in any format: 8 (916) 123-45-67, +7 916 1234567, 79161234567...",
    )
    # --- client card
    client_type_id = fields.Many2one(
        "linear.client.type",
        index="btree_not_null",
        ondelete="restrict",
        help="Individual, shop, wholesaler... (CRM > Configuration > Client Types).",
    )
    client_priority = fields.Selection(PRIORITIES, default="0", help="How important this client is.")
    region = fields.Char(help="Sales region of the client, e.g. Moscow region.")
    birthday = fields.Date(help="The contact's date of birth, for greetings.")
    mailing_consent = fields.Boolean(
        string="Consents to Mailings", help="The client agreed to receive advertising mailings."
    )
    mailing_consent_date = fields.Date(
        string="Consent Date",
        compute="_compute_mailing_consent_date",
        store=True,
        readonly=False,
        precompute=True,
        help="When the consent to mailings was given; set to today when the consent is ticked.",
    )
    mailing_consent_source = fields.Selection(
        CONSENT_SOURCES, string="Consent Source", help="How the consent to mailings was obtained."
    )
    first_contact_date = fields.Datetime(
        string="First Contact",
        help="When the client first got in touch: set from the first lead or interaction.",
    )
    first_contact_medium_id = fields.Many2one(
        "utm.medium",
        string="First Contact Channel",
        ondelete="set null",
        help="Channel of the first contact (phone, e-mail, website...): set from the first lead.",
    )
    first_contact_source_id = fields.Many2one(
        "utm.source",
        ondelete="set null",
        help="Source of the first contact (campaign, referral...): set from the first lead.",
    )
    # --- messengers
    telegram_username = fields.Char(
        index="btree_not_null",
        help="Telegram username without @, stored in lower case (@Ivan_Petrov gives ivan_petrov).",
    )
    telegram_chat_id = fields.Char(
        string="Telegram Chat ID",
        index="btree_not_null",
        help="Numeric id of the chat with the client's Telegram account, set by the Telegram channel.",
    )
    whatsapp_number = fields.Char(string="WhatsApp Number", help="WhatsApp number, any format.")
    whatsapp_e164 = fields.Char(
        string="WhatsApp (E.164)",
        compute="_compute_whatsapp_e164",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The WhatsApp number in E.164 form, used to find the client.",
    )
    vk_url = fields.Char(string="VK Page", help="Link to the client's VK page.")
    # --- Russian requisites (INN is vat, OGRN/OGRNIP is company_registry)
    kpp = fields.Char(
        string="KPP",
        help="Tax registration reason code of an organisation: 9 characters, e.g. 770101001.",
    )
    legal_address = fields.Text(help="Registered address, when it differs from the actual address.")
    director_name = fields.Char(
        string="Director",
        help="The head who signs documents: surname, first name and patronymic, as in documents.",
    )
    director_position = fields.Char(
        string="Director's Position", help="Position of the head, e.g. General Director."
    )
    # --- duplicates
    duplicate_of_id = fields.Many2one(
        "res.partner",
        string="Possible Duplicate Of",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        readonly=True,
        help="An older contact with the same normalised phone, e-mail or INN.",
    )

    # ------------------------------------------------------------------ computes
    def _linear_phone_region(self):
        """Region for national numbers: the partner's country, else its company's, else RU."""
        self.ensure_one()
        country = self.country_id or self.company_id.country_id or self.env.company.country_id
        return country.code or phones.DEFAULT_REGION

    @api.depends("phone", "country_id", "company_id")
    def _compute_phone_e164(self):
        for partner in self:
            partner.phone_e164 = phones.normalize(partner.phone, partner._linear_phone_region()) or False

    @api.depends("whatsapp_number", "country_id", "company_id")
    def _compute_whatsapp_e164(self):
        for partner in self:
            number = partner.whatsapp_number
            partner.whatsapp_e164 = phones.normalize(number, partner._linear_phone_region()) or False

    def _compute_phone_lookup(self):
        for partner in self:
            partner.phone_lookup = partner.phone

    def _search_phone_lookup(self, operator, value):
        if operator not in ("=", "ilike", "like", "=ilike", "=like") or not isinstance(value, str):
            return NotImplemented
        region = self.env.company.country_id.code or phones.DEFAULT_REGION
        e164 = phones.normalize(value, region)
        if e164:
            return Domain("phone_e164", "=", e164) | Domain("whatsapp_e164", "=", e164)
        return Domain("phone", operator, value)

    @api.depends("mailing_consent")
    def _compute_mailing_consent_date(self):
        for partner in self:
            if not partner.mailing_consent:
                partner.mailing_consent_date = False
            elif not partner.mailing_consent_date:
                partner.mailing_consent_date = fields.Date.context_today(partner)

    # ------------------------------------------------------------------ requisites
    def _commercial_fields(self):
        return [*super()._commercial_fields(), "kpp", "legal_address", "director_name", "director_position"]

    def _get_company_registry_labels(self):
        labels = super()._get_company_registry_labels()
        labels["RU"] = self.env._("OGRN / OGRNIP")
        return labels

    def _linear_is_russian(self):
        """Requisites follow the partner's country, else its company's, as its phone numbers do."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return requisites.russian_rules_apply(
            self.country_id.code, company.country_id.code, (self.vat, self.company_registry)
        )

    def _linear_check_requisites(self):
        """Raise RequisiteError for the first invalid Russian requisite of this partner."""
        self.ensure_one()
        if self.kpp:
            requisites.check_kpp(self.kpp)
        if not self._linear_is_russian():
            return
        inn = self.vat if self.vat and self.vat != "/" else None
        if inn:
            requisites.check_inn(inn)
        if self.company_registry:
            requisites.check_registry_number(self.company_registry)
        requisites.check_consistency(inn=inn, kpp=self.kpp, registry=self.company_registry)

    def _linear_requisite_message(self, error):
        """The translated message of a RequisiteError: names the partner, the requisite and why."""
        params = {
            key: self.env._(value) if value in requisites.LABELS.values() else value
            for key, value in error.params.items()
        }
        return self.env._(
            "%(partner)s: %(requisite)s is invalid: %(reason)s.",
            partner=self.display_name or self.env._("New contact"),
            requisite=self.env._(requisites.LABELS[error.field]),
            reason=self.env._(error.reason, **params) if params else self.env._(error.reason),
        )

    @api.constrains("vat", "kpp", "company_registry", "country_id", "company_id")
    def _check_linear_requisites(self):
        for partner in self:
            try:
                partner._linear_check_requisites()
            except requisites.RequisiteError as error:
                raise ValidationError(partner._linear_requisite_message(error)) from error

    @api.model
    def _linear_clean_vals(self, vals):
        """Store requisites without the spaces people type, handles in their canonical spelling."""
        for fname in ("vat", "company_registry"):
            if not isinstance(vals.get(fname), str):
                continue
            value = requisites.clean(vals[fname])
            if fname == "vat" and value[:2].upper() == "RU" and value[2:].isdigit():
                value = value[2:]  # "RU" + INN, the VAT-style spelling
            if value.isdigit():
                vals[fname] = value
        if isinstance(vals.get("kpp"), str):
            vals["kpp"] = requisites.clean(vals["kpp"]).upper() or False
        if isinstance(vals.get("telegram_username"), str) and vals["telegram_username"].strip():
            cleaned = handles.telegram_username(vals["telegram_username"])
            if not cleaned:
                raise ValidationError(
                    self.env._(
                        "Telegram username %(value)s is invalid: 5-32 Latin letters, digits or _.",
                        value=vals["telegram_username"],
                    )
                )
            vals["telegram_username"] = cleaned
        if vals.get("telegram_chat_id"):
            cleaned = handles.telegram_chat_id(vals["telegram_chat_id"])
            if not cleaned:
                raise ValidationError(
                    self.env._(
                        "Telegram chat ID %(value)s is invalid: it is a number.",
                        value=vals["telegram_chat_id"],
                    )
                )
            vals["telegram_chat_id"] = cleaned
        return vals

    # ------------------------------------------------------------------ CRUD
    # The one create/write of this wing for res.partner: each step is a named hook, in order.
    @api.model_create_multi
    def create(self, vals_list):
        default_parent = self.env.context.get("default_parent_id")
        self._linear_check_parent_links([vals.get("parent_id", default_parent) for vals in vals_list])
        for vals in vals_list:
            self._linear_clean_vals(vals)
        partners = super().create(vals_list)
        partners._linear_flag_duplicates()
        return partners

    def write(self, vals):
        if vals.get("parent_id"):
            self._linear_check_parent_links([vals["parent_id"]])
        vals = self._linear_clean_duplicate_vals(vals)
        self._linear_clean_vals(vals)
        result = super().write(vals)
        if DUPLICATE_TRIGGERS & set(vals):
            self._linear_flag_duplicates(only_older=False)
        if "country_id" in vals and self.env["res.company"].sudo().search_count(
            [("partner_id", "in", self.ids)]
        ):
            # the phone lookup caches each company's country as the default phone region
            self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------ duplicates
    def _linear_duplicate_keys(self):
        return ["phone_e164", "email_normalized", "vat"]

    def _linear_duplicate_depends(self):
        return [*super()._linear_duplicate_depends(), "commercial_partner_id"]

    def _linear_duplicate_key_condition(self, key, new_alias):
        if key == "vat":  # "/" means "not subject to tax", not a number
            return SQL("length(%s.vat) > 1", SQL.identifier(new_alias))
        return super()._linear_duplicate_key_condition(key, new_alias)

    def _linear_duplicate_scope(self, other_alias, new_alias):
        # Contacts of one company share its phone and INN: only other clients are duplicates.
        return SQL(
            "%s.active AND %s.commercial_partner_id IS DISTINCT FROM %s.commercial_partner_id",
            SQL.identifier(other_alias),
            SQL.identifier(other_alias),
            SQL.identifier(new_alias),
        )

    def _linear_register_contact(self, when, medium=None, source=None):
        """Record a contact with the client (a lead, an interaction): the first one is kept on the
        commercial partner. Extension point for the channels, which call it for each interaction.
        Bookkeeping, not an edit of the card: done as superuser, so a salesperson who may not
        edit the client can still log a lead for it."""
        for client in self.commercial_partner_id.sudo():
            if client.first_contact_date and client.first_contact_date <= when:
                continue
            client.write(
                {
                    "first_contact_date": when,
                    "first_contact_medium_id": medium.id if medium else False,
                    "first_contact_source_id": source.id if source else False,
                }
            )

    def action_linear_open_timeline(self):
        self.ensure_one()
        client = self.commercial_partner_id
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timeline of %(client)s", client=client.display_name),
            "res_model": "linear.client.timeline",
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("partner_id", "=", client.id)],
            "context": {"create": False, "default_partner_id": client.id},
        }
