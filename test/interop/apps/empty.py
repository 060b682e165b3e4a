# Twin of empty.ts: an empty document, for sessions that clients push their own documents into.
