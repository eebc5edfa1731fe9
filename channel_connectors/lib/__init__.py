# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Pure logic of the channel wing (provider adapters): no Odoo import here, tested without a database."""
