# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What the channels store is in the company's language, not the webhook request's (en_US); the
provider and event kind labels are translatable (review findings F2, F3, F7)."""

import io
from unittest.mock import patch

from babel.messages import extract

from odoo.tests import tagged
from odoo.tools import file_open
from odoo.tools.translate import code_translations

from odoo.addons.linear_crm.channel_connectors.lib import base
from odoo.addons.queue_job.tests.common import trap_jobs

from .channel_webhook_common import request_for
from .test_channel_webhook import DoorCase


@tagged("post_install", "-at_install")
class TestChannelTextLanguage(DoorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ru_RU")
        cls.company = cls.channels["telegram"].company_id
        cls.company.partner_id.lang = "ru_RU"
        cls.ru = cls.env(context=dict(cls.env.context, lang="ru_RU"))

    def test_door_and_job_write_in_the_company_language(self):
        """A Telegram message posted to the door (an en_US request), processed by a job whose
        context still says en_US (as jobs queued before the fix): the lead, its chatter and the new
        client are Russian, like the company."""
        with trap_jobs() as trap:
            self.assertAnswer(self.send("telegram", request_for("telegram", 41)), 200)
            self.assertTrue(trap.enqueued_jobs)
            for job in trap.enqueued_jobs:
                self.assertNotIn("lang", job.env.context, "the request's language stays at the door")
                job._env = self.env(user=job.env.uid, context=dict(job.env.context, lang="en_US"))
            trap.perform_enqueued_jobs()
        event = self.events("telegram")
        self.assertEqual((event.state, event.kind), ("done", "message"), event.error)
        interaction = event.interaction_ids
        lead, client = interaction.lead_id, interaction.partner_id
        self.assertTrue(lead and client)

        title = self.ru._("Message from %(who)s", who=client.name)
        self.assertNotEqual(title, f"Message from {client.name}", "ru.po translates this term")
        self.assertEqual(lead.name, title)
        self.assertEqual(client.lang, "ru_RU")
        provider = dict(self.ru["linear.channel"]._fields["provider"]._description_selection(self.ru))
        note = self.ru._("%(provider)s message from %(who)s", provider=provider["telegram"], who=client.name)
        bodies = lead.message_ids.mapped("body")
        self.assertTrue(any(note in body for body in bodies), bodies)
        self.assertFalse([body for body in bodies if "A new lead has been created" in body], bodies)

    def test_provider_labels_are_exported_and_translated(self):
        """The provider selection comes from a method: its labels are marked in lib (so Odoo's
        export finds them) and the method translates them into the reader's language."""
        with file_open("linear_crm/channel_connectors/lib/registry.py", "rb") as source:
            exported = {
                message
                for _line, message, *_rest in extract.extract(
                    "odoo.tools.babel:extract_python",
                    io.BytesIO(source.read()),
                    keywords={"_": None, "_lt": None},
                    options={"encoding": "UTF-8"},
                )
            }
        self.assertIn("Site forms and widgets", exported)
        real = code_translations.get_python_translations

        def with_label(module, lang):
            terms = dict(real(module, lang))
            if module == "linear_crm" and lang == "ru_RU":
                terms["Site forms and widgets"] = "Формы и виджеты сайта"
            return terms

        with patch.object(code_translations, "get_python_translations", side_effect=with_label):
            for model in ("linear.channel", "linear.channel.event"):
                fields = self.ru[model].fields_get(["provider"])
                self.assertIn(("generic", "Формы и виджеты сайта"), fields["provider"]["selection"])

    def test_event_kind_is_a_translatable_selection(self):
        """The door stores the adapter's kind; anything else it is handed becomes "other"."""
        self.assertEqual(self.env["linear.channel.event"]._fields["kind"].type, "selection")
        Event = self.env["linear.channel.event"].sudo()
        channel = self.channels["generic"]
        raw = [
            base.RawEvent(event_id="lang-1", payload={}, kind="form"),
            base.RawEvent(event_id="lang-2", payload={}, kind="weird"),
        ]
        ids, _duplicates = Event._linear_store(channel, raw, {})
        stored = {event.event_id: event.kind for event in Event.browse(ids)}
        self.assertEqual(stored, {"lang-1": "form", "lang-2": "other"})
        # a static selection: its labels are ir.model.fields.selection rows, exported and translated
        options = self.env["ir.model.fields.selection"].search(
            [("field_id.model", "=", "linear.channel.event"), ("field_id.name", "=", "kind")]
        )
        self.assertEqual(set(options.mapped("value")), {"message", "call", "status", "form", "other"})
