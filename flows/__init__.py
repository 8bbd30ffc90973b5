"""The conversation design: one module per topic. Flows know nothing about channels;
they take a Turn and return replies. Every user-facing text is a gettext msgid."""
