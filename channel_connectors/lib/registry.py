# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The provider adapters by key. Adding a provider = one module in lib/ + one line here."""

from . import asterisk, generic, mango, telegram, whatsapp, zadarma
from .base import _

# pylint: disable=prefer-env-translation
# (no env in the pure lib: _() only marks a label for Odoo's export; the models translate it)

ADAPTERS = {module.PROVIDER: module for module in (telegram, whatsapp, zadarma, mango, asterisk, generic)}

# (key, English label) for the channel's provider selection; the models translate the labels
PROVIDERS = [
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
    ("zadarma", "Zadarma"),
    ("mango", _("Mango Office")),
    ("asterisk", "Asterisk"),
    ("generic", _("Site forms and widgets")),
]


def get(provider):
    """The adapter module of ``provider``; KeyError names an unknown one."""
    try:
        return ADAPTERS[provider]
    except KeyError:
        raise KeyError(f"No channel adapter for provider {provider!r}") from None
