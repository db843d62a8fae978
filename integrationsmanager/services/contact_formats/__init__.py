"""Readers and writers of contact files, used by :mod:`integrationsmanager.services.contacts_io`.

- :mod:`.table` — the shape every reader returns (:class:`~.table.ContactTable`), the target
  fields and the suggested mapping of a file's column names onto them;
- :mod:`.tabular` — CSV (German Excel, Outlook, Google, Thunderbird) and Excel files;
- :mod:`.vcard` — vCard 2.1, 3.0 and 4.0 files in, vCard 3.0 out.

Everything here is pure: files in, tables out (or cards out), no database.
"""
