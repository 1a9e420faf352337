"""The read side: the plain values services hand to pages (`values.py`), and the read queries that build them.

Nothing here changes the database or publishes an event. The use cases and the live boards both read through
here, so a change flows one way: use case -> event -> live board -> read query -> pages.
"""
