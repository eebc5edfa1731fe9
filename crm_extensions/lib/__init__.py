# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure logic of the CRM wing: no Odoo import here, so it is tested without a database."""
