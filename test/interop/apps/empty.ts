// Twin of empty.py: an empty document, for sessions that clients push their own documents into.
export {}
